package logstash_test

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/logstash"
	pl "github.com/klearkarma/observability/components/logstash/internal/pipeline"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	appStream   = "logs-klearkarma.app-default"
	auditStream = "logs-klearkarma.audit-default"
	esHost      = "elasticsearch-http.logging.svc"
	password    = "es-password-do-not-leak"
)

func validArgs() logstash.Args {
	return logstash.Args{
		Namespace: "logging",
		Elasticsearch: logstash.Elasticsearch{
			Host:         esHost,
			CASecretName: pulumi.String("elasticsearch-ca"),
			Username:     "logstash_writer",
			Password:     pulumi.ToSecret(pulumi.String(password)).(pulumi.StringOutput),
		},
		AppDataStream:   appStream,
		AuditDataStream: auditStream,
	}
}

func rendered(t *testing.T) (string, string, pl.Config) {
	t.Helper()
	settings, text, err := logstash.RenderFiles(validArgs())
	require.NoError(t, err)
	p, err := pl.Parse(text)
	require.NoError(t, err, "the rendered pipeline parses back:\n%s", text)
	return settings, text, p
}

// plugins lists every plugin a list of stages can reach, in order.
func plugins(stages []pl.Stage) []*pl.Plugin {
	var out []*pl.Plugin
	for _, s := range stages {
		if s.Plugin != nil {
			out = append(out, s.Plugin)
			continue
		}
		for _, b := range s.If.Branches {
			out = append(out, plugins(b.Then)...)
		}
		out = append(out, plugins(s.If.Else)...)
	}
	return out
}

func setting(p *pl.Plugin, name string) pl.Value {
	for _, s := range p.Settings {
		if s.Name == name {
			return s.Value
		}
	}
	return nil
}

func TestRenderedPipeline(t *testing.T) {
	settings, text, p := rendered(t)
	pulumitest.Golden(t, filepath.Join("testdata", "pipeline.conf"), []byte(text))
	pulumitest.Golden(t, filepath.Join("testdata", "logstash.yml"), []byte(settings))

	t.Run("rendering the parsed pipeline gives the same bytes", func(t *testing.T) {
		again, err := pl.Render(p)
		require.NoError(t, err)
		assert.Equal(t, text, again)
	})

	t.Run("Beats listens on 5044 and HTTP on 8080", func(t *testing.T) {
		ins := plugins(p.Inputs)
		require.Len(t, ins, 2)
		assert.Equal(t, "beats", ins[0].Name)
		assert.Equal(t, pl.Number("5044"), setting(ins[0], "port"))
		assert.Equal(t, "http", ins[1].Name)
		assert.Equal(t, pl.Number("8080"), setting(ins[1], "port"))
	})

	t.Run("both outputs write data streams over verified TLS with credentials from the environment", func(t *testing.T) {
		outs := plugins(p.Outputs)
		require.Len(t, outs, 2)
		datasets := map[string]bool{}
		for _, o := range outs {
			assert.Equal(t, "elasticsearch", o.Name)
			assert.Equal(t, pl.String("true"), setting(o, "data_stream"))
			assert.Equal(t, pl.Bool(false), setting(o, "data_stream_auto_routing"))
			assert.Equal(t, pl.Array{pl.String("https://" + esHost + ":9200")}, setting(o, "hosts"))
			assert.Equal(t, pl.Bool(true), setting(o, "ssl_enabled"))
			assert.Equal(t, pl.String("full"), setting(o, "ssl_verification_mode"))
			assert.Equal(t, pl.Array{pl.String("/usr/share/logstash/config/elasticsearch-ca/ca.crt")}, setting(o, "ssl_certificate_authorities"))
			assert.Equal(t, pl.String("${ELASTICSEARCH_USER}"), setting(o, "user"))
			assert.Equal(t, pl.String("${ELASTICSEARCH_PASSWORD}"), setting(o, "password"))
			stream := strings.Join([]string{
				string(setting(o, "data_stream_type").(pl.String)),
				string(setting(o, "data_stream_dataset").(pl.String)),
				string(setting(o, "data_stream_namespace").(pl.String)),
			}, "-")
			datasets[stream] = true
		}
		assert.Equal(t, map[string]bool{appStream: true, auditStream: true}, datasets)
	})

	t.Run("the output is chosen by a conditional on the route the filters set", func(t *testing.T) {
		require.Len(t, p.Outputs, 1)
		c := p.Outputs[0].If
		require.NotNil(t, c)
		require.Len(t, c.Branches, 1)
		assert.Equal(t, pl.Condition{Left: pl.Field("@metadata", "route"), Op: "==", Right: pl.Str("audit")}, c.Branches[0].When)
		assert.Contains(t, text, `if [@metadata][route] == "audit" {`)
		assert.Contains(t, text, `if [log_type] == "audit" {`)
	})

	t.Run("the audit marker is the log schema's, which Fluentd routes on too", func(t *testing.T) {
		assert.Contains(t, text, "["+conventions.AuditField+`] == "`+conventions.AuditValue+`"`)
	})

	t.Run("logstash.yml listens for the API on all interfaces, queues on disk and does no legacy monitoring", func(t *testing.T) {
		var s map[string]any
		require.NoError(t, yaml.Unmarshal([]byte(settings), &s))
		assert.Equal(t, "0.0.0.0", s["api.http.host"])
		assert.EqualValues(t, 9600, s["api.http.port"])
		assert.Equal(t, "persisted", s["queue.type"])
		assert.Equal(t, "1024mb", s["queue.max_bytes"])
		assert.Equal(t, false, s["xpack.monitoring.enabled"])
		assert.Equal(t, "/usr/share/logstash/data", s["path.data"])
	})
}

// event runs an event through the pipeline's filters and outputs the way
// Logstash would for the constructs it uses, and returns the data stream
// the event is written to and its tags.
func event(t *testing.T, p pl.Config, fields map[string]any) (string, []string) {
	t.Helper()
	meta := map[string]any{}
	get := func(ref string) any {
		path := strings.Split(strings.Trim(ref, "[]"), "][")
		var cur any = fields
		if path[0] == "@metadata" {
			cur, path = meta, path[1:]
		}
		for _, k := range path {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[k]
		}
		return cur
	}
	holds := func(c pl.Condition) bool {
		left, _ := get(c.Left.Value).(string)
		switch c.Op {
		case "==":
			return get(c.Left.Value) != nil && left == c.Right.Value
		case "=~":
			return get(c.Left.Value) != nil && regexp.MustCompile(c.Right.Value).MatchString(left)
		case "":
			return get(c.Left.Value) != nil
		}
		t.Fatalf("operator %q not simulated", c.Op)
		return false
	}
	var run func(stages []pl.Stage) string
	run = func(stages []pl.Stage) string {
		for _, s := range stages {
			if s.If != nil {
				taken := false
				for _, b := range s.If.Branches {
					if holds(b.When) {
						if out := run(b.Then); out != "" {
							return out
						}
						taken = true
						break
					}
				}
				if !taken {
					if out := run(s.If.Else); out != "" {
						return out
					}
				}
				continue
			}
			plugin := s.Plugin
			switch plugin.Name {
			case "json":
				var parsed map[string]any
				if json.Unmarshal([]byte(fields[string(setting(plugin, "source").(pl.String))].(string)), &parsed) == nil {
					for k, v := range parsed {
						fields[k] = v
					}
				}
			case "mutate":
				if r, ok := setting(plugin, "replace").(pl.Hash); ok {
					for _, e := range r {
						require.True(t, strings.HasPrefix(e.Key, "[@metadata]"))
						meta[strings.Trim(strings.TrimPrefix(e.Key, "[@metadata]"), "[]")] = string(e.Value.(pl.String))
					}
				}
				if tags, ok := setting(plugin, "add_tag").(pl.Array); ok {
					for _, tag := range tags {
						old, _ := fields["tags"].([]string)
						fields["tags"] = append(old, string(tag.(pl.String)))
					}
				}
				if rm, ok := setting(plugin, "remove_field").(pl.Array); ok {
					for _, f := range rm {
						delete(fields, strings.Trim(string(f.(pl.String)), "[]"))
					}
				}
			case "elasticsearch":
				return strings.Join([]string{
					string(setting(plugin, "data_stream_type").(pl.String)),
					string(setting(plugin, "data_stream_dataset").(pl.String)),
					string(setting(plugin, "data_stream_namespace").(pl.String)),
				}, "-")
			default:
				t.Fatalf("plugin %q not simulated", plugin.Name)
			}
		}
		return ""
	}
	run(p.Filters)
	stream := run(p.Outputs)
	tags, _ := fields["tags"].([]string)
	return stream, tags
}

func TestRouting(t *testing.T) {
	_, _, p := rendered(t)
	type testCase struct {
		fields   map[string]any
		want     string
		audited  bool
		wantNoDS bool
	}
	cases := map[string]testCase{
		"a Beats line holding a winston audit event goes to the audit stream": {
			fields: map[string]any{"message": `{"level":"info","message":"Refund issued","log_type":"audit"}`}, want: auditStream, audited: true,
		},
		"an HTTP JSON audit event goes to the audit stream": {
			fields: map[string]any{"log_type": "audit", "message": "Login"}, want: auditStream, audited: true,
		},
		"a Beats line holding ordinary JSON goes to the application stream": {
			fields: map[string]any{"message": `{"level":"info","message":"Creating booking"}`}, want: appStream,
		},
		"a plain text line goes to the application stream": {
			fields: map[string]any{"message": "GET /health 200"}, want: appStream,
		},
		"a sender's own data_stream fields do not pick the stream": {
			fields: map[string]any{"message": "x", "data_stream": map[string]any{"dataset": "klearkarma.audit"}}, want: appStream, wantNoDS: true,
		},
		"the marker is exact: a prefix is not an audit event": {
			fields: map[string]any{"log_type": "auditing"}, want: appStream,
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		got, tags := event(t, p, tc.fields)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, tc.audited, len(tags) == 1 && tags[0] == logstash.AuditTag, "tags %v", tags)
		if tc.wantNoDS {
			assert.NotContains(t, tc.fields, "data_stream")
		}
	})
}
