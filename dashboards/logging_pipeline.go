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
// output (its @id is plugin_id) has its own buffer and retries.
//
// Logstash and Elasticsearch have no panels: nothing scrapes them yet, so
// the catalog declares none of their metrics.
func loggingPipeline(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardLoggingPipeline, titleLoggingPipeline, "infrastructure", "logging").
		Description("Fluentd's outputs: buffers, retries, errors and records shipped, per output. Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, loggingStatsRow(o), loggingBuffersRow(o), loggingOutputsRow(o)).Build()
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
		seriesPanel(o, 5, "Buffer Queue Length",
			"Chunks queued for flushing, per output, on the node with the longest queue. A queue that keeps growing means Elasticsearch takes less than arrives.",
			grid(0, 4, 8, 8), unitShort,
			series(`max by (plugin_id) (fluentd_output_status_buffer_queue_length)`, "{{plugin_id}}")).
			Min(0),
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
		seriesPanel(o, 8, "Records Shipped",
			"Records emitted to each output per second, all nodes, over 5 minutes.",
			grid(0, 12, 8, 8), unitShort,
			series(`sum by (plugin_id) (rate(fluentd_output_status_emit_records[5m]))`, "{{plugin_id}}")).
			Min(0).
			AxisLabel("records/s"),
		seriesPanel(o, 9, "Retries",
			"Retries per output in the trailing 5 minutes, per node.",
			grid(8, 12, 8, 8), unitShort,
			series(`sum by (pod, plugin_id) (increase(fluentd_output_status_retry_count[5m])) > 0`, "{{pod}} {{plugin_id}}")).
			Min(0),
		seriesPanel(o, 10, "Output Errors",
			"Errors per output in the trailing 5 minutes, per node.",
			grid(16, 12, 8, 8), unitShort,
			series(`sum by (pod, plugin_id) (increase(fluentd_output_status_num_errors[5m])) > 0`, "{{pod}} {{plugin_id}}")).
			Min(0),
	}
}
