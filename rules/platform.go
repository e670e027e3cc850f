package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// SeverityNone is the Watchdog's severity: it never pages or posts; the
// route tree sends it to the dead man's switch only.
const SeverityNone = "none"

// WatchdogAlert is the alert that always fires. Alertmanager routes it by
// this name to the dead man's switch, which pages when it stops arriving.
const WatchdogAlert = "Watchdog"

// SourceAlertmanager is Alertmanager's own /metrics.
const SourceAlertmanager Source = "alertmanager"

// SourceOpenTelemetryCollector is the internal telemetry of the
// OpenTelemetry Collector, and of Jaeger v2, which is built on it.
const SourceOpenTelemetryCollector Source = "opentelemetry-collector"

// SourceGrafana is Grafana's own /metrics.
const SourceGrafana Source = "grafana"

// SourceFluentd is fluent-plugin-prometheus in the Fluentd pods (the
// prometheus and prometheus_output_monitor inputs components/fluentd
// configures).
const SourceFluentd Source = "fluentd"

// The jobs of the Prometheus scrape configuration (components/prometheus)
// that the platform alerts select on. Platform pods are scraped by the
// annotation job, whose `service` is the pod's app.kubernetes.io/name.
const (
	jobPods             = "kubernetes-pods"
	jobCAdvisor         = "kubernetes-cadvisor"
	jobNodeExporter     = "node-exporter"
	jobKubeStateMetrics = "kube-state-metrics"
)

// platformExposed are the metrics the platform's own components expose that
// the platform alerts read, with where each was checked: the Go sources of
// the modules pinned in go.mod (prometheus v0.316.0, alertmanager v0.35.0),
// thanos v0.42.5 with its objstore module, node_exporter v1.10.2 and the
// kube-state-metrics v2.17.0 metric docs. Metrics the seed's rules already
// used (up, thanos_compact_halted, node memory...) stay in exposed.
var platformExposed = []Metric{
	// Prometheus: notifier/metric.go, cmd/prometheus/main.go, tsdb/db.go.
	{
		Name: "prometheus_notifications_queue_length", Type: Gauge, Source: SourcePrometheus,
		Help: "Alert notifications waiting in the queue to Alertmanager (per Alertmanager set in recent versions: aggregate by pod).",
		// Recent versions add an alertmanager label; the alerts aggregate
		// it away so they hold for both shapes.
		Labels: []string{"alertmanager"},
	},
	{
		Name: "prometheus_notifications_queue_capacity", Type: Gauge, Source: SourcePrometheus,
		Help: "Capacity of the alert notification queue.",
	},
	{
		Name: "prometheus_notifications_dropped_total", Type: Counter, Source: SourcePrometheus,
		Help:   "Alerts dropped because sending them to Alertmanager failed or the queue was full.",
		Labels: []string{"alertmanager"},
	},
	{
		Name: "prometheus_config_last_reload_successful", Type: Gauge, Source: SourcePrometheus,
		Help: "1 when the last configuration reload succeeded, 0 when Prometheus runs on an older configuration.",
	},
	{
		Name: "prometheus_tsdb_compactions_failed_total", Type: Counter, Source: SourcePrometheus,
		Help: "TSDB compactions that failed.",
	},

	// Alertmanager: notify/metrics.go, cluster/delegate.go, config/coordinator.go.
	{
		Name: "alertmanager_notifications_total", Type: Counter, Source: SourceAlertmanager,
		Help:   "Notifications attempted, per integration (pagerduty, slack, email, webhook...).",
		Labels: []string{"integration"},
	},
	{
		Name: "alertmanager_notifications_failed_total", Type: Counter, Source: SourceAlertmanager,
		Help:   "Notifications that failed, per integration and reason.",
		Labels: []string{"integration", "reason"},
	},
	{
		Name: "alertmanager_cluster_members", Type: Gauge, Source: SourceAlertmanager,
		Help: "Members of the gossip cluster this Alertmanager sees, itself included.",
	},
	{
		Name: "alertmanager_config_last_reload_successful", Type: Gauge, Source: SourceAlertmanager,
		Help: "1 when the last configuration reload succeeded.",
	},

	// Grafana 12.4.3 (components/grafana DefaultImage):
	// pkg/infra/httpclient/httpclientprovider/datasource_metrics_middleware.go,
	// read in the newest stored grafana/grafana source (the v12.4.3 tag is
	// not on the Go proxy and the repository too large to fetch). Older
	// versions lack datasource_type; the alert reads datasource and code,
	// which every version since 8 sets.
	{
		Name: "grafana_datasource_request_total", Type: Counter, Source: SourceGrafana,
		Help:   "Requests Grafana's backend sent to a data source, by the response's HTTP status code (code) and method; promhttp counts only requests that got a response, so a refused connection or a timeout is not among them.",
		Labels: []string{"code", "datasource", "datasource_type", "method"},
	},

	// fluent-plugin-prometheus v2.2.2 (the Gemfile.lock of
	// fluentd-kubernetes-daemonset v1.19.3-1.1, components/fluentd
	// DefaultImage), lib/fluent/plugin/in_prometheus_output_monitor.rb, on
	// Fluentd v1.19.3 (lib/fluent/plugin/buffer.rb, in_monitor_agent.rb).
	// Labels plugin_id (the output's @id) and type; gauges, because the
	// input's gauge_all defaults to true.
	{
		// The plugin sets it from the monitor agent's retry_count, which
		// Fluentd 1.19 defines as the output's num_errors: it is the same
		// number as fluentd_output_status_num_errors, so one alert reads it.
		Name: "fluentd_output_status_retry_count", Type: Gauge, Source: SourceFluentd,
		Help:   "Flushes of an output that failed and are retried, counted since the pod started (a gauge that only grows, and resets on restart).",
		Labels: []string{"plugin_id", "type"},
	},
	{
		// Fluentd computes it against total_limit_size, which is
		// chunk_limit_size x queue_limit_length when queue_limit_length is
		// set, as components/fluentd sets it.
		Name: "fluentd_output_status_buffer_available_space_ratio", Type: Gauge, Source: SourceFluentd,
		Help:   "Share of the output buffer's size limit still free, in percent (0 to 100).",
		Labels: []string{"plugin_id", "type"},
	},

	// Thanos: objstore's BucketMetrics, registered with the thanos_ prefix
	// by every component that talks to the bucket (store, compactor).
	{
		Name: "thanos_objstore_bucket_operations_total", Type: Counter, Source: SourceThanos,
		Help:   "Operations attempted against the object storage bucket.",
		Labels: []string{"bucket", "operation"},
	},
	{
		Name: "thanos_objstore_bucket_operation_failures_total", Type: Counter, Source: SourceThanos,
		Help:   "Operations against the bucket that failed unexpectedly.",
		Labels: []string{"bucket", "operation"},
	},

	// OpenTelemetry Collector core v0.165.0 (internal/pins
	// OTelCollectorCore): exporterhelper's and receiverhelper's
	// metadata.yaml. The Prometheus reader adds _total to monotonic sums and
	// drops the {span} units.
	{
		Name: "otelcol_receiver_refused_spans_total", Type: Counter, Source: SourceOpenTelemetryCollector,
		Help:   "Spans a receiver could not push into the pipeline (memory limiter, full queue downstream).",
		Labels: []string{"receiver", "transport"},
	},
	{
		Name: "otelcol_exporter_send_failed_spans_total", Type: Counter, Source: SourceOpenTelemetryCollector,
		Help:   "Spans in failed attempts to send to the exporter's destination.",
		Labels: []string{"exporter"},
	},
	{
		Name: "otelcol_exporter_queue_size", Type: Gauge, Source: SourceOpenTelemetryCollector,
		Help:   "Batches in the exporter's sending queue.",
		Labels: []string{"data_type", "exporter"},
	},
	{
		Name: "otelcol_exporter_queue_capacity", Type: Gauge, Source: SourceOpenTelemetryCollector,
		Help:   "Capacity of the exporter's sending queue, in batches.",
		Labels: []string{"data_type", "exporter"},
	},

	// node-exporter: collector/filesystem_common.go.
	{
		Name: "node_filesystem_readonly", Type: Gauge, Source: SourceNodeExporter,
		Help:   "1 when the filesystem is mounted read-only.",
		Labels: filesystemLabels,
	},

	// kube-state-metrics (docs/metrics/workload, all STABLE).
	{
		Name: "kube_pod_container_status_waiting_reason", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "1 while the container waits for the reason given (CrashLoopBackOff, ImagePullBackOff...).",
		Labels: []string{"container", "namespace", "pod", "reason", "uid"},
	},
	{
		Name: "kube_deployment_spec_replicas", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Replicas a deployment asks for.",
		Labels: []string{"deployment", "namespace"},
	},
	{
		Name: "kube_deployment_status_replicas_updated", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Replicas of a deployment that run the current pod template.",
		Labels: []string{"deployment", "namespace"},
	},
	{
		Name: "kube_statefulset_replicas", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Replicas a statefulset asks for.",
		Labels: []string{"namespace", "statefulset"},
	},
	{
		Name: "kube_statefulset_status_replicas_ready", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Ready replicas of a statefulset.",
		Labels: []string{"namespace", "statefulset"},
	},
	{
		Name: "kube_statefulset_status_replicas_updated", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Replicas of a statefulset that run the current revision.",
		Labels: []string{"namespace", "statefulset"},
	},
	{
		// job_name, not job: job is the scrape's own label.
		Name: "kube_job_failed", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "1 for the condition (true, false, unknown) the Job's Failed condition is in.",
		Labels: []string{"condition", "job_name", "namespace"},
	},
}

// scrapedComponent is one part of the platform as the Prometheus scrape
// configuration sees it: a job, and for the annotation job the pods'
// app.kubernetes.io/name.
type scrapedComponent struct {
	prefix   string // alert names start with it: <prefix>Down
	what     string // for people
	selector string // label matchers of its targets' up series
	severity string
	// optional components exist only when the stack configures them (the
	// blackbox exporter, only with probes): a job without targets is
	// normal there, so only a failing scrape is "down".
	optional bool
	// serving, for an exporter, is a series it exposes only while the
	// software behind it answers; a target that is scraped but lacks it is
	// down too (the Elasticsearch exporter serves /metrics while the
	// cluster does not answer). servingWhat names that software.
	serving, servingWhat string
}

// targetMissing guards an absent() so that it fires only while Prometheus
// scrapes something: on a Prometheus that scrapes nothing (or in a test
// with no series) every component is missing, and that total silence is the
// Watchdog's dead man's switch to report, not a storm of alerts.
const targetMissing = `and on () count(up) > 0`

// down is the component's "it is down" alert: a target that fails its
// scrape, or no target at all (deleted workload, broken discovery).
func (c scrapedComponent) down() alertingRule {
	up := fmt.Sprintf("up{%s}", c.selector)
	if c.optional {
		return alertingRule{
			alert: c.prefix + "Down", expr: up + ` == 0`, forDuration: 5 * time.Minute,
			severity: c.severity, team: TeamInfrastructure,
			summary:     strings.ToUpper(c.what[:1]) + c.what[1:] + " is down",
			description: fmt.Sprintf("Prometheus cannot scrape %s for {{ $labels.instance }}; it has been so for 5 minutes.", c.what),
		}
	}
	expr := []string{
		up + ` == 0`,
		`  or`,
		`(absent(` + up + `) ` + targetMissing + `)`,
	}
	summary := strings.ToUpper(c.what[:1]) + c.what[1:] + " is down"
	description := fmt.Sprintf("{{ if $labels.instance }}Prometheus cannot scrape %s at {{ $labels.instance }}{{ with $labels.pod }} (pod {{ $labels.namespace }}/{{ . }}){{ end }}{{ else }}Prometheus discovers no %s target at all{{ end }}; it has been so for 5 minutes.", c.what, c.what)
	if c.serving != "" {
		// up == 1 keeps the value 1, which tells this case from a failing
		// scrape (0) in the description.
		expr = append(expr, `  or`, `(`+up+` == 1 unless on (namespace, pod) `+c.serving+`)`)
		summary = c.servingWhat + " or its exporter is down"
		description = fmt.Sprintf("{{ if not $labels.instance }}Prometheus discovers no %s target at all{{ else if eq $value 0.0 }}Prometheus cannot scrape %s at {{ $labels.instance }} (pod {{ $labels.namespace }}/{{ $labels.pod }}){{ else }}%s at {{ $labels.instance }} (pod {{ $labels.namespace }}/{{ $labels.pod }}) gets no answer from %s{{ end }}; it has been so for 5 minutes.", c.what, c.what, c.what, c.servingWhat)
	}
	return alertingRule{
		alert:       c.prefix + "Down",
		expr:        lines(expr...),
		forDuration: 5 * time.Minute,
		severity:    c.severity,
		team:        TeamInfrastructure,
		summary:     summary,
		description: description,
	}
}

// scraped are the components the rendered scrape configuration has targets
// for (components/prometheus BuildConfig: the pods of the platform that carry
// the scrape annotations, the exporters, the kubelets' cAdvisor).
var scraped = []scrapedComponent{
	{prefix: "Prometheus", what: "Prometheus", selector: `job="` + jobPods + `", service="prometheus"`, severity: SeverityCritical},
	{prefix: "Alertmanager", what: "Alertmanager", selector: `job="` + jobPods + `", service="alertmanager"`, severity: SeverityCritical},
	{prefix: "Thanos", what: "Thanos (query, store gateway or compactor)", selector: `job="` + jobPods + `", service="thanos"`, severity: SeverityWarning},
	{prefix: "Grafana", what: "Grafana", selector: `job="` + jobPods + `", service="grafana"`, severity: SeverityWarning},
	{prefix: "Fluentd", what: "Fluentd", selector: `job="` + jobPods + `", service="fluentd"`, severity: SeverityWarning},
	// Through their json_exporter sidecars (platform_ingest.go): a status
	// API that does not answer fails the scrape.
	{prefix: "Logstash", what: "Logstash", selector: `job="` + jobPods + `", service="logstash"`, severity: SeverityWarning},
	{prefix: "Kibana", what: "Kibana", selector: `job="` + jobPods + `", service="kibana"`, severity: SeverityWarning},
	// Down when the exporter cannot be scraped or gets no cluster health:
	// the exporter emits no cluster health series when the request fails
	// (v1.11.0 has no elasticsearch_cluster_health_up any more). Critical:
	// without Elasticsearch, logs pile up in the shippers' buffers.
	{
		prefix: "Elasticsearch", what: "the Elasticsearch exporter", selector: `job="` + jobPods + `", service="elasticsearch-exporter"`, severity: SeverityCritical,
		serving: `elasticsearch_cluster_health_status`, servingWhat: "Elasticsearch",
	},
	{prefix: "OpenTelemetryCollector", what: "the OpenTelemetry Collector", selector: `job="` + jobPods + `", service="opentelemetry-collector"`, severity: SeverityWarning},
	{prefix: "Jaeger", what: "Jaeger", selector: `job="` + jobPods + `", service="jaeger"`, severity: SeverityWarning},
	{prefix: "NodeExporter", what: "node-exporter", selector: `job="` + jobNodeExporter + `"`, severity: SeverityWarning},
	{prefix: "KubeStateMetrics", what: "kube-state-metrics", selector: `job="` + jobKubeStateMetrics + `"`, severity: SeverityWarning},
	{prefix: "KubeletCAdvisor", what: "the kubelet's cAdvisor endpoint", selector: `job="` + jobCAdvisor + `"`, severity: SeverityWarning},
	// The probe job scrapes the exporter once per probed URL (instance).
	{prefix: "BlackboxExporter", what: "the blackbox exporter", selector: `job="` + probeJob + `"`, severity: SeverityWarning, optional: true},

	// Cassandra through its exporter sidecar (platform_tracing_store.go),
	// the Thanos sidecar's and the kubelet's own jobs (platform_watchers.go).
	{prefix: "Cassandra", what: "Cassandra exporter", selector: `job="` + jobPods + `", service="cassandra"`, severity: SeverityWarning},
	{prefix: "ThanosSidecar", what: "Thanos sidecar", selector: `job="` + jobThanosSidecar + `"`, severity: SeverityWarning},
	{prefix: "Kubelet", what: "kubelet", selector: `job="` + jobKubelet + `"`, severity: SeverityWarning},
}

// downAlerts are the "it is down" alerts of every scraped component.
func downAlerts() []alertingRule {
	out := make([]alertingRule, 0, len(scraped))
	for _, c := range scraped {
		out = append(out, c.down())
	}
	return out
}

// platformGroups watch the platform itself: the Watchdog, one "down" alert
// per scraped component and "degrading" alerts per component family. All
// go to the infrastructure team, which runs the platform.
func platformGroups() []ruleGroup {
	return []ruleGroup{
		{
			name: "platform.watchdog",
			alerts: []alertingRule{{
				// No `for`: it must fire from the first evaluation, so that
				// the dead man's switch hears it as soon as Prometheus runs.
				alert:       WatchdogAlert,
				expr:        `vector(1)`,
				severity:    SeverityNone,
				team:        TeamInfrastructure,
				summary:     "The alerting pipeline is alive",
				description: "This alert always fires. Alertmanager sends it to the dead man's switch every minute; when the heartbeats stop, Prometheus, the rule evaluation or Alertmanager is broken, and the switch pages.",
			}},
		},
		{name: "platform.down", alerts: downAlerts()},
		{name: "platform.prometheus", alerts: prometheusAlerts},
		{name: "platform.alertmanager", alerts: alertmanagerAlerts},
		{name: "platform.thanos", alerts: slices.Concat(thanosAlerts, thanosWatcherAlerts)},
		{name: "platform.tracing", alerts: slices.Concat(tracingAlerts, tracingStoreAlerts)},
		{name: "platform.logging.elasticsearch", alerts: elasticsearchAlerts()},
		{name: "platform.node", alerts: slices.Concat(nodeAlerts, nodeConditionAlerts, nodeClockAlerts)},
		{name: "platform.kubernetes", alerts: slices.Concat(kubernetesAlerts, kubeletAlerts)},
		{name: "platform.grafana", alerts: grafanaAlerts},
		{name: "platform.fluentd", alerts: fluentdAlerts},
		{name: "platform.logstash", alerts: logstashAlerts},
		{name: "platform.kibana", alerts: kibanaAlerts},
	}
}

var prometheusAlerts = []alertingRule{
	{
		// An alert whose rule fails to evaluate never fires: critical.
		alert:       "PrometheusRuleEvaluationFailures",
		expr:        `sum by (namespace, pod, rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityCritical,
		team:        TeamInfrastructure,
		summary:     "Prometheus fails to evaluate rules",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} failed {{ $value | humanize }} evaluations of rule group {{ $labels.rule_group }} in the last 5 minutes; the alerts of that group may not fire.",
	},
	{
		alert: "PrometheusNotificationQueueRunningFull",
		expr: lines(
			`max by (namespace, pod) (prometheus_notifications_queue_length)`,
			`  /`,
			`max by (namespace, pod) (prometheus_notifications_queue_capacity)`,
			`> 0.9`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Prometheus' alert queue is nearly full",
		description: "The queue of alerts {{ $labels.namespace }}/{{ $labels.pod }} sends to Alertmanager is {{ $value | humanizePercentage }} full (threshold 90%); once full, alerts are dropped.",
	},
	{
		// A dropped alert never reaches anyone: critical.
		alert:       "PrometheusNotificationsDropped",
		expr:        `sum by (namespace, pod) (increase(prometheus_notifications_dropped_total[5m])) > 0`,
		forDuration: 5 * time.Minute,
		severity:    SeverityCritical,
		team:        TeamInfrastructure,
		summary:     "Prometheus drops alerts",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} dropped {{ $value | humanize }} alerts in the last 5 minutes instead of delivering them to Alertmanager.",
	},
	{
		alert:       "PrometheusConfigReloadFailed",
		expr:        `prometheus_config_last_reload_successful == 0`,
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Prometheus runs on an old configuration",
		description: "The last configuration reload of {{ $labels.namespace }}/{{ $labels.pod }} failed; it still scrapes and evaluates with its previous configuration.",
	},
	{
		// One failed compaction retries by itself; failures over 4 hours
		// (a compaction runs every 2) mean the disk or a block is broken.
		alert:       "PrometheusTSDBCompactionsFailing",
		expr:        `increase(prometheus_tsdb_compactions_failed_total[3h]) > 0`,
		forDuration: 4 * time.Hour,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Prometheus fails to compact its database",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} failed {{ $value | humanize }} TSDB compactions in the last 3 hours; its disk fills and queries slow down until it is fixed.",
	},
}

var alertmanagerAlerts = []alertingRule{
	{
		// A failing integration is a page or message nobody receives.
		alert: "AlertmanagerNotificationsFailing",
		expr: lines(
			`sum by (namespace, pod, integration) (rate(alertmanager_notifications_failed_total[5m]))`,
			`  /`,
			`(sum by (namespace, pod, integration) (rate(alertmanager_notifications_total[5m])) > 0)`,
			`> 0.01`,
		),
		forDuration: 5 * time.Minute,
		severity:    SeverityCritical,
		team:        TeamInfrastructure,
		summary:     "Alertmanager fails to deliver notifications",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} failed {{ $value | humanizePercentage }} of its {{ $labels.integration }} notifications over the last 5 minutes (threshold 1%).",
	},
	{
		// Each replica counts the members it sees; one that sees fewer than
		// there are replicas reporting is cut off, and a split cluster
		// sends every notification once per part.
		alert: "AlertmanagerClusterMembersMismatch",
		expr: lines(
			`max_over_time(alertmanager_cluster_members[5m])`,
			`  < on (namespace, service) group_left ()`,
			`count by (namespace, service) (max_over_time(alertmanager_cluster_members[5m]))`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Alertmanager cluster is split",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} sees {{ $value }} members of its gossip cluster, fewer than the replicas that report; notifications may be sent more than once.",
	},
	{
		alert:       "AlertmanagerConfigReloadFailed",
		expr:        `alertmanager_config_last_reload_successful == 0`,
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Alertmanager runs on an old configuration",
		description: "The last configuration reload of {{ $labels.namespace }}/{{ $labels.pod }} failed; it still routes with its previous configuration.",
	},
}

var thanosAlerts = []alertingRule{
	{
		alert:       "ThanosCompactHalted",
		expr:        `thanos_compact_halted == 1`,
		forDuration: 5 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Thanos compactor halted",
		description: "The compactor {{ $labels.namespace }}/{{ $labels.pod }} halted on an error and needs an operator: blocks are no longer compacted, downsampled or deleted at the end of their retention.",
	},
	{
		alert: "ThanosBucketOperationsFailing",
		expr: lines(
			`sum by (namespace, pod, bucket, operation) (rate(thanos_objstore_bucket_operation_failures_total[5m]))`,
			`  /`,
			`(sum by (namespace, pod, bucket, operation) (rate(thanos_objstore_bucket_operations_total[5m])) > 0)`,
			`> 0.05`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Thanos object storage operations fail",
		description: "{{ $value | humanizePercentage }} of the {{ $labels.operation }} operations of {{ $labels.namespace }}/{{ $labels.pod }} on bucket {{ $labels.bucket }} failed over the last 5 minutes (threshold 5%).",
	},
}

// tracingAlerts watch the collector-based tracing pods: the OpenTelemetry
// Collector gateway and each tier's Jaeger, which expose the same internal
// telemetry; `service` tells them apart.
var tracingAlerts = []alertingRule{
	{
		alert:       "TracingSpansRefused",
		expr:        `sum by (namespace, pod, service, receiver) (rate(otelcol_receiver_refused_spans_total[5m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Tracing pipeline refuses spans",
		description: "{{ $labels.service }} {{ $labels.namespace }}/{{ $labels.pod }} refuses {{ $value | humanize }} spans per second on receiver {{ $labels.receiver }}; senders retry or drop them.",
	},
	{
		alert:       "TracingSpanExportFailing",
		expr:        `sum by (namespace, pod, service, exporter) (rate(otelcol_exporter_send_failed_spans_total[5m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Tracing pipeline fails to export spans",
		description: "{{ $labels.service }} {{ $labels.namespace }}/{{ $labels.pod }} fails to send {{ $value | humanize }} spans per second through exporter {{ $labels.exporter }}.",
	},
	{
		alert: "TracingExporterQueueNearlyFull",
		expr: lines(
			`max by (namespace, pod, service, exporter) (otelcol_exporter_queue_size)`,
			`  /`,
			`max by (namespace, pod, service, exporter) (otelcol_exporter_queue_capacity)`,
			`> 0.8`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Tracing exporter queue nearly full",
		description: "The sending queue of exporter {{ $labels.exporter }} on {{ $labels.service }} {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizePercentage }} full (threshold 80%); once full, spans are dropped.",
	},
}

// writableDisk selects the filesystems on disk that NodeFilesystemPredictedFull
// watches (read-only ones are dropped by node_filesystem_readonly).
const writableDisk = `{fstype!="", fstype!~"tmpfs|ramfs", mountpoint!=""}`

var nodeAlerts = []alertingRule{
	{
		// Little space left and, at the trend of the last 6 hours, none in
		// 4: someone must act before the node stops writing. Read-only
		// filesystems never fill, and fstype="" drops pseudo-filesystems.
		// tmpfs and ramfs hold memory, not disk (node_exporter v1.10.2
		// excludes neither by default): their filling is memory pressure.
		alert: "NodeFilesystemPredictedFull",
		expr: lines(
			`(`,
			`  node_filesystem_avail_bytes`+writableDisk+` / node_filesystem_size_bytes`+writableDisk+` < 0.15`,
			`    and`,
			`  predict_linear(node_filesystem_avail_bytes`+writableDisk+`[6h], 4 * 60 * 60) < 0`,
			`    and`,
			`  node_filesystem_readonly`+writableDisk+` == 0`,
			`)`,
		),
		forDuration: time.Hour,
		severity:    SeverityCritical,
		team:        TeamInfrastructure,
		summary:     "Filesystem predicted to fill within 4 hours",
		description: "{{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} has {{ $value | humanizePercentage }} free and, at the rate of the last 6 hours, fills up within 4 hours.",
	},
	{
		alert: "NodeMemoryPressure",
		expr: lines(
			`node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes`,
			`< 0.05`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Node is running out of memory",
		description: "Only {{ $value | humanizePercentage }} of the memory of {{ $labels.instance }} is available (threshold 5%); the kubelet starts evicting pods and the kernel OOM-kills.",
	},
}

var kubernetesAlerts = []alertingRule{
	{
		// max_over_time: the reason flips between CrashLoopBackOff and
		// the restart itself, so an instant check would blink.
		alert:       "KubePodCrashLooping",
		expr:        `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Container is crash looping",
		description: "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been restarting in CrashLoopBackOff for 15 minutes.",
	},
	{
		// Only while no rollout makes progress: a rolling update has fewer
		// available replicas on purpose.
		alert: "KubeDeploymentReplicasMismatch",
		expr: lines(
			`(`,
			`  kube_deployment_spec_replicas > kube_deployment_status_replicas_available`,
			`)`,
			`  and`,
			`changes(kube_deployment_status_replicas_updated[10m]) == 0`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Deployment has fewer available replicas than it asks for",
		description: "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} asks for {{ $value }} replicas but fewer are available, and no rollout has made progress for 15 minutes.",
	},
	{
		alert: "KubeStatefulSetReplicasMismatch",
		expr: lines(
			`(`,
			`  kube_statefulset_replicas > kube_statefulset_status_replicas_ready`,
			`)`,
			`  and`,
			`changes(kube_statefulset_status_replicas_updated[10m]) == 0`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "StatefulSet has fewer ready replicas than it asks for",
		description: "StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} asks for {{ $value }} replicas but fewer are ready, and no rollout has made progress for 15 minutes.",
	},
	{
		// A failed Job stays failed until it is deleted or rerun, so the
		// alert resolves only then.
		alert:       "KubeJobFailed",
		expr:        `kube_job_failed{condition="true"} > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Job failed",
		description: "Job {{ $labels.namespace }}/{{ $labels.job_name }} failed; delete it or run it again once the cause is fixed.",
	},
}

// grafanaAlerts watch Grafana's backend queries. Every dashboard and data
// source is generated and its queries checked against the catalog, so an
// error answer is the platform's to fix: a data source that is down or
// overloaded (5xx), or refuses Grafana's credentials (401/403, a rotated
// Elasticsearch password).
var grafanaAlerts = []alertingRule{
	{
		alert: "GrafanaDatasourceRequestErrors",
		expr: lines(
			`sum by (namespace, pod, datasource) (rate(grafana_datasource_request_total{code!~"2.."}[5m]))`,
			`  /`,
			`(sum by (namespace, pod, datasource) (rate(grafana_datasource_request_total[5m])) > 0)`,
			`> 0.1`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Grafana's data source requests fail",
		description: "{{ $value | humanizePercentage }} of the requests {{ $labels.namespace }}/{{ $labels.pod }} sent to data source {{ $labels.datasource }} got an error answer over the last 5 minutes (threshold 10%); its dashboard panels show errors or no data.",
	},
}

// fluentdAlerts watch the log shipping of each Fluentd pod, per output
// (plugin_id is the output's @id: out_es_app, out_es_audit).
var fluentdAlerts = []alertingRule{
	{
		// With the default buffer settings a failed flush is retried
		// forever, backoff capped at 30 seconds, so while Elasticsearch
		// refuses or cannot be reached the count rises every half minute;
		// one failure ages out of the 10-minute window before the 15
		// minutes pass.
		alert:       "FluentdOutputRetrying",
		expr:        `sum by (namespace, pod, plugin_id) (increase(fluentd_output_status_retry_count[10m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Fluentd keeps failing to ship logs",
		description: "Output {{ $labels.plugin_id }} of {{ $labels.namespace }}/{{ $labels.pod }} failed {{ $value | humanize }} flushes in the last 10 minutes and has kept failing for 15; its buffer fills until the destination accepts the logs again.",
	},
	{
		// overflow_action block: a full buffer stops Fluentd reading the
		// node's logs, and a log file the kubelet rotates away meanwhile
		// is lost, audit events included.
		alert:       "FluentdBufferNearlyFull",
		expr:        `min by (namespace, pod, plugin_id) (fluentd_output_status_buffer_available_space_ratio) < 20`,
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Fluentd's buffer is nearly full",
		description: "Only {{ $value | humanize }}% of the buffer of output {{ $labels.plugin_id }} on {{ $labels.namespace }}/{{ $labels.pod }} is free (threshold 20%); once full, Fluentd stops reading the node's logs, and logs rotated away meanwhile are lost.",
	},
}
