package fluentd_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/fluentd"
	fc "github.com/klearkarma/observability/components/fluentd/internal/fluentconf"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	appStream   = "logs-klearkarma.app-default"
	auditStream = "logs-klearkarma.audit-default"
	esHost      = "elasticsearch-http.logging.svc"
)

func validArgs() fluentd.Args {
	return fluentd.Args{
		Namespace: "logging",
		Elasticsearch: fluentd.Elasticsearch{
			Host:         esHost,
			CASecretName: pulumi.String("elasticsearch-ca"),
			Username:     "fluentd_writer",
			Password:     pulumi.ToSecret(pulumi.String(password)).(pulumi.StringOutput),
		},
		AppDataStream:   appStream,
		AuditDataStream: auditStream,
	}
}

func rendered(t *testing.T, args fluentd.Args) (string, fc.Config) {
	t.Helper()
	text, err := fluentd.RenderConfig("fluentd", args)
	require.NoError(t, err)
	c, err := fc.Parse(text)
	require.NoError(t, err, "the rendered configuration parses back:\n%s", text)
	return text, c
}

// esOutputs are the Elasticsearch matches by data stream.
func esOutputs(t *testing.T, c fc.Config) map[string]*fc.Match {
	t.Helper()
	out := map[string]*fc.Match{}
	for _, s := range c.Steps {
		if s.Match != nil && s.Match.Type == "elasticsearch_data_stream" {
			out[s.Match.Params.Text("data_stream_name")] = s.Match
		}
	}
	return out
}

func TestRenderedConfig(t *testing.T) {
	text, c := rendered(t, validArgs())
	pulumitest.Golden(t, filepath.Join("testdata", "fluent.conf"), []byte(text))

	t.Run("rendering the parsed configuration gives the same bytes", func(t *testing.T) {
		again, err := fc.Render(c)
		require.NoError(t, err)
		assert.Equal(t, text, again)
	})

	t.Run("each data stream has one output with the seed's buffer settings", func(t *testing.T) {
		outs := esOutputs(t, c)
		require.Len(t, outs, 2)
		for stream, m := range outs {
			b := m.Buffer
			require.NotNil(t, b, stream)
			assert.Equal(t, "file", b.Type, stream)
			assert.Equal(t, "interval", b.FlushMode, stream)
			assert.Equal(t, "exponential_backoff", b.RetryType, stream)
			assert.Equal(t, 2, b.FlushThreadCount, stream)
			assert.Equal(t, "5s", b.FlushInterval, stream)
			assert.True(t, b.RetryForever, stream)
			assert.Equal(t, "30", b.RetryMaxInterval, stream)
			assert.Equal(t, "2M", b.ChunkLimitSize, stream)
			assert.Equal(t, 8, b.QueueLimitLength, stream)
			assert.Equal(t, "block", b.OverflowAction, stream)
			assert.Empty(t, b.Extra, stream)
		}
		assert.NotEqual(t, outs[appStream].Buffer.Path, outs[auditStream].Buffer.Path, "one buffer path per output")
		assert.Equal(t, "/var/lib/fluentd/buffers/app", outs[appStream].Buffer.Path)
		assert.Equal(t, "/var/lib/fluentd/buffers/audit", outs[auditStream].Buffer.Path)
	})

	t.Run("the inputs the Fluentd alerts read are on: the metrics endpoint and the output monitor, with gauges", func(t *testing.T) {
		// rules/platform.go's Fluentd alerts read
		// fluentd_output_status_{retry_count,buffer_available_space_ratio},
		// which the output monitor exposes; the catalog declares them as the
		// gauges gauge_all's default makes them.
		types := map[string]fc.Source{}
		for _, s := range c.Sources {
			types[s.Type] = s
		}
		require.Contains(t, types, "prometheus")
		assert.Equal(t, strconv.Itoa(fluentd.MetricsPort), types["prometheus"].Params.Text("port"))
		require.Contains(t, types, "prometheus_output_monitor")
		assert.Empty(t, types["prometheus_output_monitor"].Params.Text("gauge_all"), "gauge_all keeps its default, true")
	})

	t.Run("the buffer settings equal the seed's own fluent.conf, path aside", func(t *testing.T) {
		seedText, err := os.ReadFile(filepath.Join("testdata", "seed-fluent.conf"))
		require.NoError(t, err)
		seed, err := fc.Parse(string(seedText))
		require.NoError(t, err, "the seed's fluent.conf parses")
		var seedBuffer *fc.Buffer
		for _, s := range seed.Steps {
			if s.Match != nil {
				seedBuffer = s.Match.Buffer
			}
		}
		require.NotNil(t, seedBuffer)
		assert.True(t, seedBuffer.RetryForever, "the seed's bare retry_forever reads as true")
		for _, m := range esOutputs(t, c) {
			ours := *m.Buffer
			ours.Path, seedBuffer.Path = "", ""
			assert.Equal(t, *seedBuffer, ours)
		}
	})

	t.Run("outputs speak TLS with the mounted CA and take credentials from the environment", func(t *testing.T) {
		for stream, m := range esOutputs(t, c) {
			p := m.Params
			assert.Equal(t, esHost, p.Text("host"), stream)
			assert.Equal(t, "9200", p.Text("port"), stream)
			assert.Equal(t, "https", p.Text("scheme"), stream)
			assert.Equal(t, "true", p.Text("ssl_verify"), stream)
			assert.Equal(t, "/fluentd/elasticsearch-ca/ca.crt", p.Text("ca_file"), stream)
			assert.Equal(t, `#{ENV['FLUENT_ELASTICSEARCH_USER']}`, p.Text("user"), stream)
			assert.Equal(t, `#{ENV['FLUENT_ELASTICSEARCH_PASSWORD']}`, p.Text("password"), stream)
			for _, gone := range []string{"type_name", "index_name"} {
				_, ok := p.Get(gone)
				assert.False(t, ok, "%s: %s is gone in Elasticsearch 8", stream, gone)
			}
		}
	})

	t.Run("the tail source reads Docker JSON and CRI lines and keeps its positions off /var/log", func(t *testing.T) {
		var tail *fc.Source
		for i := range c.Sources {
			if c.Sources[i].Type == "tail" {
				tail = &c.Sources[i]
			}
		}
		require.NotNil(t, tail)
		assert.Equal(t, "/var/log/containers/*.log", tail.Params.Text("path"))
		assert.Equal(t, "/var/lib/fluentd/pos/containers.log.pos", tail.Params.Text("pos_file"))
		assert.Equal(t, `["/var/log/containers/fluentd-*_logging_fluentd-*.log"]`, tail.Params.Text("exclude_path"))
		require.NotNil(t, tail.Parse)
		assert.Equal(t, "multi_format", tail.Parse.Type)
		require.Len(t, tail.Parse.Sections, 2)
		assert.Equal(t, "json", tail.Parse.Sections[0].Params.Text("format"))
		assert.Equal(t, "regexp", tail.Parse.Sections[1].Params.Text("format"))
		cri := regexp.MustCompile(strings.Trim(tail.Parse.Sections[1].Params.Text("expression"), "/"))
		m := cri.FindStringSubmatch(`2024-05-01T12:00:00.123456789Z stdout F {"level":"info","log_type":"audit"}`)
		require.NotNil(t, m, "a containerd line matches the CRI pattern")
		assert.Equal(t, `{"level":"info","log_type":"audit"}`, m[cri.SubexpIndex("log")])
	})
}

// route follows the configuration the way Fluentd would for one record
// from a container log: through rewrite_tag_filter's rules, then to the
// first <match> whose pattern takes the new tag. It returns the data
// stream the record is written to.
func route(t *testing.T, c fc.Config, record map[string]string) string {
	t.Helper()
	tag := "kubernetes.var.log.containers.api-7d9_shop_api-0123.log"
	for _, s := range c.Steps {
		m := s.Match
		if m == nil || !globMatch(m.Pattern, tag) {
			continue
		}
		if m.Type != "rewrite_tag_filter" {
			return m.Params.Text("data_stream_name")
		}
		rewritten := ""
		for _, rule := range m.Sections {
			require.Equal(t, "rule", rule.Name)
			pattern := regexp.MustCompile(strings.Trim(rule.Params.Text("pattern"), "/"))
			value, invert := record[rule.Params.Text("key")], rule.Params.Text("invert") == "true"
			if value == "" && !invert {
				continue // as the plugin does: a missing key matches only inverted rules
			}
			if pattern.MatchString(value) != invert {
				rewritten = strings.ReplaceAll(rule.Params.Text("tag"), "${tag}", tag)
				break
			}
		}
		require.NotEmpty(t, rewritten, "every record gets a new tag: %v", record)
		tag = rewritten
	}
	t.Fatalf("no output takes tag %s", tag)
	return ""
}

// globMatch is Fluentd's match pattern for the forms used here: "**"
// matches any number of parts, "*" one part.
func globMatch(pattern, tag string) bool {
	re := "^" + strings.NewReplacer(`\.\*\*`, `(\..+)?`, `\*\*`, `.*`, `\*`, `[^.]+`).Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(tag)
}

func TestBufferSettings(t *testing.T) {
	type testCase struct {
		change func(b *fluentd.BufferSettings)
		check  func(t *testing.T, b *fc.Buffer)
	}
	cases := map[string]testCase{
		"unset fields take the seed's values": {
			change: func(b *fluentd.BufferSettings) {},
			check: func(t *testing.T, b *fc.Buffer) {
				d := fluentd.DefaultBuffer
				assert.Equal(t, fc.Buffer{
					Type: "file", Path: b.Path, FlushMode: d.FlushMode, RetryType: d.RetryType, FlushThreadCount: d.FlushThreadCount,
					FlushInterval: d.FlushInterval, RetryForever: true, RetryMaxInterval: d.RetryMaxInterval,
					ChunkLimitSize: d.ChunkLimitSize, QueueLimitLength: d.QueueLimitLength, OverflowAction: d.OverflowAction,
				}, *b)
			},
		},
		"a retry limit replaces retry_forever": {
			change: func(b *fluentd.BufferSettings) { b.RetryMaxTimes = 17 },
			check: func(t *testing.T, b *fc.Buffer) {
				assert.False(t, b.RetryForever)
				assert.Equal(t, fc.Params{fc.P("retry_max_times", "17")}, b.Extra)
			},
		},
		"a set field overrides only itself": {
			change: func(b *fluentd.BufferSettings) { b.ChunkLimitSize = "8M" },
			check: func(t *testing.T, b *fc.Buffer) {
				assert.Equal(t, "8M", b.ChunkLimitSize)
				assert.Equal(t, 8, b.QueueLimitLength)
				assert.True(t, b.RetryForever)
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		a := validArgs()
		tc.change(&a.Buffer)
		_, c := rendered(t, a)
		for _, m := range esOutputs(t, c) {
			tc.check(t, m.Buffer)
		}
	})
}

func TestRouting(t *testing.T) {
	_, c := rendered(t, validArgs())
	type testCase struct {
		record map[string]string
		want   string
	}
	cases := map[string]testCase{
		"a winston audit event goes to the audit stream":            {map[string]string{"log_type": "audit", "message": "Booking cancelled"}, auditStream},
		"an ordinary winston line goes to the application stream":   {map[string]string{"level": "info", "message": "Creating booking"}, appStream},
		"a line that is not JSON goes to the application stream":    {map[string]string{"log": "GET /health 200"}, appStream},
		"another log_type goes to the application stream":           {map[string]string{"log_type": "access"}, appStream},
		"the marker is exact: a prefix is not an audit event":       {map[string]string{"log_type": "auditing"}, appStream},
		"the marker is case-sensitive: AUDIT is not an audit event": {map[string]string{"log_type": "AUDIT"}, appStream},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		assert.Equal(t, tc.want, route(t, c, tc.record))
	})
}

// bundledPlugins are the plugin types the pinned image provides: Fluentd's
// own and those its debian-elasticsearch8 Gemfile installs.
var bundledPlugins = map[string]bool{
	"tail": true, "parser": true, "stdout": true, "json": true, "regexp": true, "file": true,
	"kubernetes_metadata": true, "rewrite_tag_filter": true, "elasticsearch_data_stream": true,
	"multi_format": true, "prometheus": true, "prometheus_output_monitor": true,
}

func TestEveryPluginIsInTheImage(t *testing.T) {
	_, c := rendered(t, validArgs())
	var used []string
	var sections func(ss []fc.Section)
	sections = func(ss []fc.Section) {
		for _, s := range ss {
			if f := s.Params.Text("format"); f != "" {
				used = append(used, f)
			}
			sections(s.Sections)
		}
	}
	parser := func(p *fc.Parser) {
		if p != nil {
			used = append(used, p.Type)
			sections(p.Sections)
		}
	}
	for _, s := range c.Sources {
		used = append(used, s.Type)
		parser(s.Parse)
	}
	steps := c.Steps
	for _, l := range c.Labels {
		steps = append(steps, l.Steps...)
	}
	for _, s := range steps {
		if s.Filter != nil {
			used = append(used, s.Filter.Type)
			parser(s.Filter.Parse)
		}
		if s.Match != nil {
			used = append(used, s.Match.Type)
			if s.Match.Buffer != nil {
				used = append(used, s.Match.Buffer.Type)
			}
		}
	}
	require.NotEmpty(t, used)
	for _, typ := range used {
		assert.True(t, bundledPlugins[typ], "plugin %q is not in %s", typ, fluentd.DefaultImage)
	}
}
