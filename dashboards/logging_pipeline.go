package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

const titleLoggingPipeline = "Klear Karma - Logging Pipeline"

// loggingPipeline is the path of a log line: Fluentd on every node tails
// it, buffers it on disk per output and ships it to Elasticsearch. Each
// output (its @id is plugin_id) has its own buffer and retries. Logstash
// takes the logs of sources outside the cluster through its persisted
// queue to the same Elasticsearch (its stats come through the json_exporter
// sidecar; Elasticsearch's through its exporter); Kibana reads them.
func loggingPipeline(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardLoggingPipeline, titleLoggingPipeline, "infrastructure", "logging").
		Description("Fluentd's outputs (buffers, retries, errors, records shipped), Logstash's queue and outputs, Elasticsearch's health and disks, Kibana's status. Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, loggingStatsRow(o), loggingBuffersRow(o), loggingOutputsRow(o), logStoreRow(o), logstashRow(o)).Build()
}

// loggingStatsRow is whether logs flow now.
func loggingStatsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		valueStat(o, 1, "Fluentd Pods Scraped",
			"Fluentd pods whose last scrape succeeded: one per node is expected (FluentdDown warns after 5 minutes).",
			grid(0, 0, 6, 4), unitShort,
			series(`sum(up{job="kubernetes-pods", service="fluentd"})`, "Up")).
			Decimals(0),
		// The smallest free share of any output's buffer: the first to fill
		// stops taking new chunks, and tailing stalls behind it.
		thresholdStat(o, 2, "Buffer Space Left (worst output)",
			"Free space of the fullest Fluentd output buffer, on any node.",
			grid(6, 0, 6, 4), unitPercent, thresholds(red, step{10, yellow}, step{25, green}),
			series(`min(fluentd_output_status_buffer_available_space_ratio)`, "Free")).
			Decimals(0),
		problemStat(o, 3, "Output Errors (1h)",
			"Errors of Fluentd's outputs (failed flushes to Elasticsearch) in the last hour, all nodes.",
			grid(12, 0, 6, 4),
			series(`sum(increase(fluentd_output_status_num_errors[1h]))`, "Errors")),
		problemStat(o, 4, "Output Retries (1h)",
			"Retries of Fluentd's outputs in the last hour, all nodes. Retrying outputs fill their buffers.",
			grid(18, 0, 6, 4),
			series(`sum(increase(fluentd_output_status_retry_count[1h]))`, "Retries")),
	}
}

// loggingBuffersRow is the outputs' buffers.
func loggingBuffersRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 5, "Buffer Queue Length",
			"Chunks queued for flushing, per output, on the node with the longest queue. A queue that keeps growing means Elasticsearch takes less than arrives.",
			grid(0, 4, 8, 8),
			series(`max by (plugin_id) (fluentd_output_status_buffer_queue_length)`, "{{plugin_id}}")),
		seriesPanel(o, 6, "Buffered Bytes",
			"Bytes waiting in each output's buffers, summed over all nodes.",
			grid(8, 4, 8, 8), unitBytes,
			series(`sum by (plugin_id) (fluentd_output_status_buffer_total_bytes)`, "{{plugin_id}}")).
			Min(0),
		alertLine(seriesPanel(o, 7, "Buffer Space Left",
			"Free space of each output's buffer on the node where it is fullest.",
			grid(16, 4, 8, 8), unitPercent,
			series(`min by (plugin_id) (fluentd_output_status_buffer_available_space_ratio)`, "{{plugin_id}}")).
			Min(0).
			Max(100),
			thresholds(red, step{10, yellow}, step{25, green})),
	}
}

// loggingOutputsRow is what the outputs ship, retry and fail.
func loggingOutputsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 8, "Records Shipped",
			"Records emitted to each output per second, all nodes, over 5 minutes.",
			grid(0, 12, 8, 8),
			series(`sum by (plugin_id) (rate(fluentd_output_status_emit_records[5m]))`, "{{plugin_id}}")).
			AxisLabel("records/s"),
		countPanel(o, 9, "Retries",
			"Retries per output in the trailing 5 minutes, per node.",
			grid(8, 12, 8, 8),
			series(`sum by (pod, plugin_id) (increase(fluentd_output_status_retry_count[5m])) > 0`, "{{pod}} {{plugin_id}}")),
		countPanel(o, 10, "Output Errors",
			"Errors per output in the trailing 5 minutes, per node.",
			grid(16, 12, 8, 8),
			series(`sum by (pod, plugin_id) (increase(fluentd_output_status_num_errors[5m])) > 0`, "{{pod}} {{plugin_id}}")),
	}
}

// logStoreRow is Elasticsearch and Kibana: health, the fullest data disk,
// Kibana's status, ILM indices stuck on errors.
func logStoreRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// 0 green, 1 yellow, 2 red: the worst color the exporter reports.
		thresholdStat(o, 11, "Elasticsearch Health",
			"The cluster's health: 0 green, 1 yellow (a replica unassigned), 2 red (a primary unassigned: writes to its index fail).",
			grid(0, 20, 6, 4), unitShort, thresholds(green, step{1, yellow}, step{2, red}),
			series(`max(elasticsearch_cluster_health_status{color="yellow"}) + 2 * max(elasticsearch_cluster_health_status{color="red"})`, "Health")).
			Decimals(0),
		alertLine(seriesPanel(o, 12, "Elasticsearch Data Disk Used",
			"Used share of each data node's data path; above the high watermark (90% by default) no shard is allocated to the node, above the flood stage (95%) its indices turn read-only.",
			grid(6, 20, 10, 8), unitPercentUnit,
			series(`max by (name) (1 - elasticsearch_filesystem_data_available_bytes{es_data_node="true"} / elasticsearch_filesystem_data_size_bytes{es_data_node="true"})`, "{{name}}")).
			Min(0).
			Max(1),
			thresholds(green, step{0.85, yellow}, step{0.9, red})),
		problemStat(o, 13, "Kibana Pods Not Available",
			"Kibana pods whose status is not available (degraded, unavailable or critical); KibanaDegraded warns after 10 minutes.",
			grid(16, 20, 4, 4),
			series(`count(kibana_status_overall{level!="available"} == 1) or vector(0)`, "Not available")),
		problemStat(o, 14, "ILM Indices in ERROR",
			"Indices ILM holds in its ERROR step: they are neither rolled over nor deleted on schedule.",
			grid(20, 20, 4, 4),
			series(`count(elasticsearch_ilm_index_status{step="ERROR"} == 1) or vector(0)`, "Indices")),
	}
}

// logstashRow is Logstash's pipeline: the queue's fill, events through it,
// the elasticsearch outputs' failures.
func logstashRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		alertLine(seriesPanel(o, 15, "Logstash Queue Fill",
			"Share of queue.max_bytes each pod's persisted queue uses; full, Logstash stops accepting events (LogstashQueueNearlyFull warns above 80%).",
			grid(0, 28, 8, 8), unitPercentUnit,
			series(`max by (pod) (logstash_pipeline_queue_bytes / logstash_pipeline_queue_max_bytes)`, "{{pod}}")).
			Min(0).
			Max(1),
			thresholds(green, step{0.6, yellow}, step{0.8, red})),
		countPanel(o, 16, "Logstash Events",
			"Events in and out of the pipeline per second, all pods, over 5 minutes; in above out fills the queue.",
			grid(8, 28, 8, 8),
			series(`sum(rate(logstash_pipeline_events_in_total[5m]))`, "in"),
			series(`sum(rate(logstash_pipeline_events_out_total[5m]))`, "out")).
			AxisLabel("events/s"),
		countPanel(o, 17, "Logstash Output Failures",
			"Failed bulk requests and documents Elasticsearch refused for good, per output, in the trailing 5 minutes.",
			grid(16, 28, 8, 8),
			series(`sum by (plugin_id) (increase(logstash_output_bulk_request_failures_total[5m])) > 0`, "{{plugin_id}} failed requests"),
			series(`sum by (plugin_id) (increase(logstash_output_documents_non_retryable_failures_total[5m])) > 0`, "{{plugin_id}} refused documents")),
	}
}
