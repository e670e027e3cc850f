package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

const titleTracingPipeline = "Klear Karma - Tracing Pipeline"

// exporterQueueFill is how full each exporter's sending queue is, the
// ratio TracingExporterQueueNearlyFull watches.
const exporterQueueFill = `max by (service, exporter) (otelcol_exporter_queue_size) / max by (service, exporter) (otelcol_exporter_queue_capacity)`

// tracingPipeline is the path of a span: the OpenTelemetry Collector
// gateway receives it and exports it to Jaeger, whose collector (Jaeger v2,
// built on the Collector, so the same otelcol_* telemetry) writes it to
// Cassandra. service tells the two apart. Cassandra's own row comes from
// its exporter sidecar.
func tracingPipeline(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardTracingPipeline, titleTracingPipeline, "infrastructure", "tracing").
		Description("Spans accepted, refused, sent and failed in the OpenTelemetry Collector and Jaeger, their exporters' queues, and Cassandra's compactions, peers and dropped messages. Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, tracingStatsRow(o), tracingReceiversRow(o), tracingExportersRow(o), tracingStoreRow(o)).Build()
}

// tracingStatsRow is whether spans get through now.
func tracingStatsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		valueStat(o, 1, "Spans Accepted",
			"Spans per second the OpenTelemetry Collector gateway accepted from the applications, over 5 minutes.",
			grid(0, 0, 6, 4), unitShort,
			series(`sum(rate(otelcol_receiver_accepted_spans_total{service="opentelemetry-collector"}[5m]))`, "spans/s")),
		problemStat(o, 2, "Spans Refused (1h)",
			"Spans the Collector or Jaeger refused in the last hour (memory limiter, full queue downstream). TracingSpansRefused warns after 15 minutes of any.",
			grid(6, 0, 6, 4),
			series(`sum(increase(otelcol_receiver_refused_spans_total[1h]))`, "Refused")),
		problemStat(o, 3, "Spans Failed or Dropped in Export (1h)",
			"Spans in failed sends, and spans dropped because an exporter's queue was full, in the last hour. TracingSpanExportFailing warns after 15 minutes of failures.",
			grid(12, 0, 6, 4),
			series(`(sum(increase(otelcol_exporter_send_failed_spans_total[1h])) or vector(0)) + (sum(increase(otelcol_exporter_enqueue_failed_spans_total[1h])) or vector(0))`, "Failed")),
		thresholdStat(o, 4, "Exporter Queue (fullest)",
			"How full the fullest exporter sending queue is. TracingExporterQueueNearlyFull warns above 80%; a full queue drops spans.",
			grid(18, 0, 6, 4), unitPercentUnit, thresholds(green, step{0.5, yellow}, step{0.8, red}),
			series(`max(`+exporterQueueFill+`)`, "Fullest")).
			Decimals(0),
	}
}

// tracingReceiversRow is what comes in, per service and receiver.
func tracingReceiversRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 5, "Spans Accepted by Receiver",
			"Spans accepted per second, per service (collector gateway, Jaeger) and receiver, over 5 minutes.",
			grid(0, 4, 12, 8),
			series(`sum by (service, receiver) (rate(otelcol_receiver_accepted_spans_total[5m]))`, "{{service}} {{receiver}}")).
			AxisLabel("spans/s"),
		countPanel(o, 6, "Spans Refused by Receiver",
			"Spans refused per second, per service and receiver, over 5 minutes. Senders retry or drop them.",
			grid(12, 4, 12, 8),
			series(`sum by (service, receiver) (rate(otelcol_receiver_refused_spans_total[5m]))`, "{{service}} {{receiver}}")).
			AxisLabel("spans/s"),
	}
}

// tracingExportersRow is what goes out, per service and exporter.
func tracingExportersRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 7, "Spans Sent by Exporter",
			"Spans sent per second, per service and exporter (the gateway to Jaeger, Jaeger to Cassandra), over 5 minutes.",
			grid(0, 12, 8, 8),
			series(`sum by (service, exporter) (rate(otelcol_exporter_sent_spans_total[5m]))`, "{{service}} {{exporter}}")).
			AxisLabel("spans/s"),
		countPanel(o, 8, "Spans Failed by Exporter",
			"Spans in failed sends, and spans dropped at a full queue, per second, per service and exporter, over 5 minutes.",
			grid(8, 12, 8, 8),
			series(`sum by (service, exporter) (rate(otelcol_exporter_send_failed_spans_total[5m]))`, "send failed {{service}} {{exporter}}"),
			series(`sum by (service, exporter) (rate(otelcol_exporter_enqueue_failed_spans_total[5m]))`, "queue full {{service}} {{exporter}}")).
			AxisLabel("spans/s"),
		alertLine(ratioPanel(o, 9, "Exporter Queue Fill",
			"How full each exporter's sending queue is, per service. TracingExporterQueueNearlyFull warns above 80%.",
			grid(16, 12, 8, 8),
			series(exporterQueueFill, "{{service}} {{exporter}}")),
			thresholds(green, step{0.8, red})),
	}
}

// tracingStoreRow is Cassandra, the store of both tiers, through its
// exporter sidecar: each value is cassandra_stats with the MBean path in
// name (rules/platform_tracing_store.go reads the same paths).
func tracingStoreRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 10, "Cassandra Pending Compactions",
			"Compactions waiting on each node; a backlog that keeps growing slows reads and fills the disk (CassandraPendingCompactionsHigh warns above 100).",
			grid(0, 20, 8, 8),
			series(`max by (pod) (cassandra_stats{name="org:apache:cassandra:metrics:compaction:pendingtasks:value"})`, "{{pod}}")),
		countPanel(o, 11, "Cassandra Peers Seen Down",
			"Peers each node's failure detector holds down: writes at the tiers' consistency level fail while too many are.",
			grid(8, 20, 8, 8),
			series(`max by (pod) (cassandra_stats{name="org:apache:cassandra:net:failuredetector:downendpointcount"})`, "{{pod}}")).
			Decimals(0),
		countPanel(o, 12, "Cassandra Dropped Messages",
			"Messages each node dropped per second (timed out in its queues), over 5 minutes: dropped mutations are lost span writes.",
			grid(16, 20, 8, 8),
			series(`sum by (pod) (rate(cassandra_stats{name=~"org:apache:cassandra:metrics:droppedmessage:.+:dropped:count"}[5m]))`, "{{pod}}")),
	}
}
