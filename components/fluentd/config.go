package fluentd

import (
	"encoding/json"
	"regexp"
	"strconv"

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
func buildConfig(p pipeline) Config {
	exclude, _ := json.Marshal([]string{p.selfLogs}) // a []string always marshals
	return Config{
		Sources: []Source{
			{Type: "prometheus", ID: "in_prometheus", Params: Params{
				P("bind", "0.0.0.0"), P("port", strconv.Itoa(MetricsPort)), P("metrics_path", "/metrics"),
			}},
			{Type: "prometheus_output_monitor", ID: "in_prometheus_output_monitor", Params: Params{P("interval", "10")}},
			{
				Type: "tail", ID: "in_tail_container_logs",
				Params: Params{
					P("path", ContainerLogs),
					Raw("exclude_path", string(exclude)),
					P("pos_file", StateDir+"/pos/containers.log.pos"),
					P("pos_file_compaction_interval", "1h"),
					P("tag", "kubernetes.*"),
					P("read_from_head", "true"),
					// Rotation renames files; following inodes keeps a renamed
					// file's position instead of reading it again.
					P("follow_inodes", "true"),
				},
				Parse: &Parser{Type: "multi_format", Sections: []Section{
					{Name: "pattern", Params: Params{
						P("format", "json"), P("time_key", "time"), P("time_format", dockerTimeFormat),
					}},
					{Name: "pattern", Params: Params{
						P("format", "regexp"), P("expression", criLine), P("time_key", "time"), P("time_format", criTimeFormat),
					}},
				}},
			},
		},
		Steps: []Step{
			{Filter: &Filter{Pattern: "kubernetes.**", Type: "kubernetes_metadata", ID: "filter_kubernetes_metadata"}},
			{Filter: &Filter{
				Pattern: "kubernetes.**", Type: "parser", ID: "filter_parse_json_log",
				Params: Params{
					P("key_name", "log"),
					P("reserve_data", "true"),
					P("remove_key_name_field", "true"),
					// Most containers do not log JSON: pass their lines through
					// untouched instead of raising an error per line.
					P("emit_invalid_record_to_error", "false"),
				},
				Parse: &Parser{Type: "json", Params: Params{
					P("time_key", "timestamp"), P("time_format", winstonTimeFormat), P("keep_time_key", "true"),
				}},
			}},
			{Match: &Match{
				Pattern: "kubernetes.**", Type: "rewrite_tag_filter", ID: "route_audit_events",
				Sections: []Section{
					{Name: "rule", Params: Params{
						P("key", conventions.AuditField), P("pattern", "/^"+regexp.QuoteMeta(conventions.AuditValue)+"$/"), P("tag", AuditTagPrefix+".${tag}"),
					}},
					{Name: "rule", Params: Params{
						P("key", conventions.AuditField), P("pattern", "/^"+regexp.QuoteMeta(conventions.AuditValue)+"$/"), P("invert", "true"), P("tag", AppTagPrefix+".${tag}"),
					}},
				},
			}},
			{Match: p.output(AuditTagPrefix, p.audit)},
			{Match: p.output(AppTagPrefix, p.app)},
		},
		Labels: []Label{{Name: "@ERROR", Steps: []Step{
			// Records a plugin gave up on go to Fluentd's own stdout (kubectl
			// logs), which is not tailed, so they cannot loop.
			{Match: &Match{Pattern: "**", Type: "stdout", ID: "out_error_stdout"}},
		}}},
	}
}

// output writes one tag prefix to one data stream.
func (p pipeline) output(prefix string, s stream) *Match {
	params := Params{P("data_stream_name", s.name)}
	if s.template != "" {
		params = append(params, P("data_stream_template_name", s.template))
	}
	if s.ilmPolicy != "" {
		params = append(params, P("data_stream_ilm_name", s.ilmPolicy))
	}
	params = append(params,
		P("host", p.host),
		P("port", strconv.Itoa(p.port)),
		P("scheme", p.scheme),
	)
	if p.scheme == "https" {
		params = append(params, P("ssl_verify", "true"), P("ca_file", p.caFile))
	}
	params = append(params,
		Raw("user", EnvRef(EnvUser)),
		Raw("password", EnvRef(EnvPassword)),
		// The Service's name is in the certificate; sniffed node addresses
		// are not, and would bypass the Service anyway.
		P("reload_connections", "false"),
		P("reconnect_on_error", "true"),
		P("reload_on_failure", "true"),
		P("log_es_400_reason", "true"),
		P("request_timeout", "30s"),
	)
	b := p.buffer.Buffer(s.bufferPath)
	return &Match{Pattern: prefix + ".**", Type: "elasticsearch_data_stream", ID: "out_es_" + prefix, Params: params, Buffer: &b}
}
