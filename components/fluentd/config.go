package fluentd

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	fc "github.com/klearkarma/observability/components/fluentd/internal/fluentconf"
	"github.com/klearkarma/observability/internal/conventions"
)

// Tag prefixes the router gives each record; the outputs match on them.
const (
	AuditTagPrefix = "audit"
	AppTagPrefix   = "app"
)

// Paths inside the pod.
const (
	ConfigDir = "/fluentd/etc"
	// StateDir holds the tail positions and the file buffers. It is a
	// hostPath so both survive the pod: a configuration change replaces
	// every pod, and an emptyDir would lose unflushed chunks and make the
	// new pod re-read or skip logs.
	StateDir = "/var/lib/fluentd"
	// CADir is where the Elasticsearch CA Secret is mounted.
	CADir = "/fluentd/elasticsearch-ca"
	// ContainerLogs is what the tail source reads; the kubelet links each
	// container's log under /var/log/pods here.
	ContainerLogs = "/var/log/containers/*.log"
	// MetricsPort serves Prometheus metrics (and the probes).
	MetricsPort = 24231
	// ContainerName is the Fluentd container's name, which also appears in
	// its own log file name.
	ContainerName = "fluentd"
)

// Environment variables the configuration reads credentials from.
const (
	EnvUser     = "FLUENT_ELASTICSEARCH_USER"
	EnvPassword = "FLUENT_ELASTICSEARCH_PASSWORD"
)

// Time formats. Docker's json-file driver writes RFC 3339 with nanoseconds
// and a literal "Z" (the seed's format); CRI runtimes may write "Z" or a
// numeric offset, so that pattern parses the zone, as fluent-plugin-parser-cri
// does by default; winston's timestamp is JavaScript's toISOString().
const (
	dockerTimeFormat  = "%Y-%m-%dT%H:%M:%S.%NZ"
	criTimeFormat     = "%Y-%m-%dT%H:%M:%S.%L%z"
	winstonTimeFormat = "%Y-%m-%dT%H:%M:%S.%L%z"
	// criLine is "<time> <stream> <F|P> <log>" as the kubelet's CRI
	// runtimes write it; naming the message "log" makes both formats feed
	// the same JSON parser below.
	criLine = `/^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>[FP]) (?<log>.*)$/`
)

// pipeline is what the configuration is built from, after defaults.
type pipeline struct {
	// selfLogs is the glob of this DaemonSet's own log files: tailing them
	// would feed Fluentd's warnings back into itself.
	selfLogs   string
	host       string
	port       int
	scheme     string
	caFile     string
	app, audit stream
	buffer     BufferSettings
}

type stream struct {
	name, template, ilmPolicy, bufferPath string
}

// buildConfig is the whole fluent.conf: tail every container log (Docker
// JSON or CRI lines), add Kubernetes metadata, explode JSON application
// logs, route audit events apart, and ship both streams to Elasticsearch
// data streams with a file buffer each.
func buildConfig(p pipeline) fc.Config {
	exclude, _ := json.Marshal([]string{p.selfLogs}) // a []string always marshals
	return fc.Config{
		Sources: []fc.Source{
			{Type: "prometheus", ID: "in_prometheus", Params: fc.Params{
				fc.P("bind", "0.0.0.0"), fc.P("port", strconv.Itoa(MetricsPort)), fc.P("metrics_path", "/metrics"),
			}},
			{Type: "prometheus_output_monitor", ID: "in_prometheus_output_monitor", Params: fc.Params{fc.P("interval", "10")}},
			{
				Type: "tail", ID: "in_tail_container_logs",
				Params: fc.Params{
					fc.P("path", ContainerLogs),
					fc.Raw("exclude_path", string(exclude)),
					fc.P("pos_file", StateDir+"/pos/containers.log.pos"),
					fc.P("pos_file_compaction_interval", "1h"),
					fc.P("tag", "kubernetes.*"),
					fc.P("read_from_head", "true"),
					// Rotation renames files; following inodes keeps a renamed
					// file's position instead of reading it again.
					fc.P("follow_inodes", "true"),
				},
				Parse: &fc.Parser{Type: "multi_format", Sections: []fc.Section{
					{Name: "pattern", Params: fc.Params{
						fc.P("format", "json"), fc.P("time_key", "time"), fc.P("time_format", dockerTimeFormat),
					}},
					{Name: "pattern", Params: fc.Params{
						fc.P("format", "regexp"), fc.P("expression", criLine), fc.P("time_key", "time"), fc.P("time_format", criTimeFormat),
					}},
				}},
			},
		},
		Steps: []fc.Step{
			{Filter: &fc.Filter{Pattern: "kubernetes.**", Type: "kubernetes_metadata", ID: "filter_kubernetes_metadata"}},
			{Filter: &fc.Filter{
				Pattern: "kubernetes.**", Type: "parser", ID: "filter_parse_json_log",
				Params: fc.Params{
					fc.P("key_name", "log"),
					fc.P("reserve_data", "true"),
					fc.P("remove_key_name_field", "true"),
					// Most containers do not log JSON: pass their lines through
					// untouched instead of raising an error per line.
					fc.P("emit_invalid_record_to_error", "false"),
				},
				Parse: &fc.Parser{Type: "json", Params: fc.Params{
					fc.P("time_key", "timestamp"), fc.P("time_format", winstonTimeFormat), fc.P("keep_time_key", "true"),
				}},
			}},
			{Match: &fc.Match{
				Pattern: "kubernetes.**", Type: "rewrite_tag_filter", ID: "route_audit_events",
				Sections: []fc.Section{
					{Name: "rule", Params: fc.Params{
						fc.P("key", conventions.AuditField), fc.P("pattern", "/^"+regexp.QuoteMeta(conventions.AuditValue)+"$/"), fc.P("tag", AuditTagPrefix+".${tag}"),
					}},
					{Name: "rule", Params: fc.Params{
						fc.P("key", conventions.AuditField), fc.P("pattern", "/^"+regexp.QuoteMeta(conventions.AuditValue)+"$/"), fc.P("invert", "true"), fc.P("tag", AppTagPrefix+".${tag}"),
					}},
				},
			}},
			{Match: p.output(AuditTagPrefix, p.audit)},
			{Match: p.output(AppTagPrefix, p.app)},
		},
		Labels: []fc.Label{{Name: "@ERROR", Steps: []fc.Step{
			// Records a plugin gave up on go to Fluentd's own stdout (kubectl
			// logs), which is not tailed, so they cannot loop.
			{Match: &fc.Match{Pattern: "**", Type: "stdout", ID: "out_error_stdout"}},
		}}},
	}
}

// output writes one tag prefix to one data stream.
func (p pipeline) output(prefix string, s stream) *fc.Match {
	params := fc.Params{fc.P("data_stream_name", s.name)}
	if s.template != "" {
		params = append(params, fc.P("data_stream_template_name", s.template))
	}
	if s.ilmPolicy != "" {
		params = append(params, fc.P("data_stream_ilm_name", s.ilmPolicy))
	}
	params = append(params,
		fc.P("host", p.host),
		fc.P("port", strconv.Itoa(p.port)),
		fc.P("scheme", p.scheme),
	)
	if p.scheme == "https" {
		params = append(params, fc.P("ssl_verify", "true"), fc.P("ca_file", p.caFile))
	}
	params = append(params,
		fc.Raw("user", fc.EnvRef(EnvUser)),
		fc.Raw("password", fc.EnvRef(EnvPassword)),
		// The Service's name is in the certificate; sniffed node addresses
		// are not, and would bypass the Service anyway.
		fc.P("reload_connections", "false"),
		fc.P("reconnect_on_error", "true"),
		fc.P("reload_on_failure", "true"),
		fc.P("log_es_400_reason", "true"),
		fc.P("request_timeout", "30s"),
	)
	b := buffer(p.buffer, s.bufferPath)
	return &fc.Match{Pattern: prefix + ".**", Type: "elasticsearch_data_stream", ID: "out_es_" + prefix, Params: params, Buffer: &b}
}

// buffer is the <buffer> section of one output writing chunks under path.
func buffer(s BufferSettings, path string) fc.Buffer {
	b := fc.Buffer{
		Type: "file", Path: path,
		FlushMode: s.FlushMode, RetryType: s.RetryType, FlushThreadCount: s.FlushThreadCount,
		FlushInterval: s.FlushInterval, RetryForever: s.RetryMaxTimes == 0, RetryMaxInterval: s.RetryMaxInterval,
		ChunkLimitSize: s.ChunkLimitSize, QueueLimitLength: s.QueueLimitLength, OverflowAction: s.OverflowAction,
	}
	if s.RetryMaxTimes > 0 {
		b.Extra = fc.Params{fc.P("retry_max_times", fmt.Sprint(s.RetryMaxTimes))}
	}
	return b
}

// RenderConfig is the fluent.conf an instance named name renders for args;
// the component puts exactly this in its ConfigMap.
func RenderConfig(name string, args Args) (string, error) {
	if err := args.withDefaults(); err != nil {
		return "", err
	}
	return fc.Render(buildConfig(args.pipeline(name)))
}

func (a Args) pipeline(name string) pipeline {
	es := a.Elasticsearch
	return pipeline{
		// The kubelet names the file <pod>_<namespace>_<container>-<id>.log,
		// and DaemonSet pods are named <daemonset>-<suffix>.
		selfLogs: fmt.Sprintf("/var/log/containers/%s-*_%s_%s-*.log", name, a.Namespace, ContainerName),
		host:     es.Host, port: es.Port, scheme: es.Scheme,
		caFile: CADir + "/" + es.CASecretKey,
		app:    stream{name: a.AppDataStream, template: a.AppRetention.IndexTemplate, ilmPolicy: a.AppRetention.ILMPolicy, bufferPath: StateDir + "/buffers/app"},
		audit:  stream{name: a.AuditDataStream, template: a.AuditRetention.IndexTemplate, ilmPolicy: a.AuditRetention.ILMPolicy, bufferPath: StateDir + "/buffers/audit"},
		buffer: a.Buffer,
	}
}
