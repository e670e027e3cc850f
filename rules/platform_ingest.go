package rules

import "time"

// Logstash and Kibana serve no Prometheus endpoint: a json_exporter
// sidecar in each pod (internal/jsonprobe) reads their JSON status APIs
// when Prometheus scrapes it, and the annotation job scrapes the sidecar.
// A status API that does not answer fails the scrape (the exporter answers
// 503), so up is 0 and LogstashDown/KibanaDown fire.
const (
	// SourceLogstashStats is Logstash's node stats API (GET /_node/stats)
	// through the sidecar (components/logstash StatsProbe).
	SourceLogstashStats Source = "logstash-stats"
	// SourceKibanaStatus is Kibana's status API (GET /api/status) through
	// the sidecar (components/kibana StatusProbe).
	SourceKibanaStatus Source = "kibana-status"
)

var (
	logstashPipelineLabels = []string{"pipeline"}
	logstashOutputLabels   = []string{"pipeline", "plugin_id"}
)

// ingestExposed are the series the two sidecars make, as
// components/logstash and components/kibana configure them (their tests
// run json_exporter's collector on a response of the pinned release and
// compare the names with these).
var ingestExposed = []Metric{
	{Name: "logstash_pipeline_events_in_total", Type: Counter, Source: SourceLogstashStats, Labels: logstashPipelineLabels,
		Help: "Events the pipeline's inputs received."},
	{Name: "logstash_pipeline_events_out_total", Type: Counter, Source: SourceLogstashStats, Labels: logstashPipelineLabels,
		Help: "Events the pipeline's outputs sent."},
	{Name: "logstash_pipeline_queue_bytes", Type: Gauge, Source: SourceLogstashStats, Labels: logstashPipelineLabels,
		Help: "Bytes the pipeline's persisted queue uses on disk."},
	{Name: "logstash_pipeline_queue_max_bytes", Type: Gauge, Source: SourceLogstashStats, Labels: logstashPipelineLabels,
		Help: "The persisted queue's limit (queue.max_bytes): when full, inputs stop accepting events."},
	{Name: "logstash_pipeline_queue_events", Type: Gauge, Source: SourceLogstashStats, Labels: logstashPipelineLabels,
		Help: "Events waiting in the pipeline's queue."},
	{Name: "logstash_output_events_out_total", Type: Counter, Source: SourceLogstashStats, Labels: logstashOutputLabels,
		Help: "Events an elasticsearch output sent."},
	{Name: "logstash_output_bulk_request_failures_total", Type: Counter, Source: SourceLogstashStats, Labels: logstashOutputLabels,
		Help: "Bulk requests of an elasticsearch output that got no answer (Elasticsearch unreachable); the output retries them. Absent until the first one."},
	{Name: "logstash_output_bulk_requests_with_errors_total", Type: Counter, Source: SourceLogstashStats, Labels: logstashOutputLabels,
		Help: "Bulk requests of an elasticsearch output whose answer reported errors for some documents. Absent until the first one."},
	{Name: "logstash_output_documents_non_retryable_failures_total", Type: Counter, Source: SourceLogstashStats, Labels: logstashOutputLabels,
		Help: "Documents Elasticsearch refused for good (a mapping conflict, say): they are dropped, there is no dead letter queue. Absent until the first one."},
	{Name: "logstash_jvm_heap_used_percent", Type: Gauge, Source: SourceLogstashStats,
		Help: "JVM heap in use, in percent."},
	{Name: "kibana_status_overall", Type: Gauge, Source: SourceKibanaStatus, Labels: []string{"level"},
		Help: "1, labelled with Kibana's overall status level: available, degraded, unavailable or critical."},
}

var logstashAlerts = []alertingRule{
	{
		// The queue fills while the outputs are slower than the inputs:
		// Elasticsearch back-pressure or refusal. Full, the inputs stop
		// accepting events and the senders outside the cluster buffer or
		// drop theirs.
		alert: "LogstashQueueNearlyFull",
		expr: lines(
			`max by (namespace, pod, pipeline) (logstash_pipeline_queue_bytes)`,
			`  /`,
			`max by (namespace, pod, pipeline) (logstash_pipeline_queue_max_bytes > 0)`,
			`> 0.8`,
		),
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Logstash's queue is nearly full",
		description: "The persisted queue of pipeline {{ $labels.pipeline }} on {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizePercentage }} full (threshold 80%); once full, Logstash stops accepting events from its senders.",
	},
	{
		// A failed bulk request is retried with backoff, so while
		// Elasticsearch cannot be reached the count rises and the queue
		// fills (LogstashQueueNearlyFull comes next).
		alert:       "LogstashOutputFailing",
		expr:        `sum by (namespace, pod, plugin_id) (increase(logstash_output_bulk_request_failures_total[10m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Logstash cannot reach Elasticsearch",
		description: "Output {{ $labels.plugin_id }} of {{ $labels.namespace }}/{{ $labels.pod }} had {{ $value | humanize }} bulk requests fail in the last 10 minutes and has kept failing for 15; events wait in the queue until Elasticsearch answers.",
	},
	{
		// Refused documents are gone: audit events among them break the
		// seven-year audit trail. No `for` beyond one evaluation cycle
		// would bring them back, but a single refusal is worth a look, not
		// a page.
		alert:       "LogstashDocumentsRejected",
		expr:        `sum by (namespace, pod, plugin_id) (increase(logstash_output_documents_non_retryable_failures_total[15m])) > 0`,
		forDuration: 5 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Elasticsearch refuses Logstash's documents",
		description: "Elasticsearch refused {{ $value | humanize }} documents from output {{ $labels.plugin_id }} of {{ $labels.namespace }}/{{ $labels.pod }} in the last 15 minutes for good (no retry, no dead letter queue): those events are lost; the Logstash log says why (a mapping conflict, usually).",
	},
}

var kibanaAlerts = []alertingRule{{
	// Kibana reports degraded while a plugin or Elasticsearch is
	// unhealthy; a start takes a minute or two in that state.
	alert:       "KibanaDegraded",
	expr:        `max by (namespace, pod, level) (kibana_status_overall{level!="available"}) == 1`,
	forDuration: 10 * time.Minute,
	severity:    SeverityWarning,
	team:        TeamInfrastructure,
	summary:     "Kibana is not available",
	description: "Kibana {{ $labels.namespace }}/{{ $labels.pod }} has reported status {{ $labels.level }} for 10 minutes: log search works partly or not at all; GET /api/status with credentials says which part.",
}}
