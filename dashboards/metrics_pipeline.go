package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

const titleMetricsPipeline = "Klear Karma - Metrics Pipeline"

// Platform pods are scraped by the annotation job; service is the pod's
// app.kubernetes.io/name and container tells the Thanos components apart.
const (
	selPrometheus = `job="kubernetes-pods", service="prometheus"`
	selThanos     = `job="kubernetes-pods", service="thanos"`
)

// grpcServerErrors are the gRPC codes that are the server's fault, as the
// Thanos mixin counts them; NotFound or Canceled are the caller's.
const grpcServerErrors = `grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"`

// metricsPipeline is the path of a sample: scraped by Prometheus, stored in
// its TSDB, evaluated by the rules, served and kept by Thanos (query, store
// gateway, compactor and the bucket). Alert delivery is the alerting
// pipeline's dashboard.
func metricsPipeline(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardMetricsPipeline, titleMetricsPipeline, "infrastructure", "metrics").
		Description("Scrapes, ingestion, rule evaluation and TSDB of Prometheus; Thanos Query, store gateway, compactor and the bucket. Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, metricsStatsRow(o), metricsIngestionRow(o), metricsRulesRow(o), metricsThanosRow(o), metricsRetentionRow(o)).Build()
}

// metricsStatsRow is whether the monitoring itself works now.
func metricsStatsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// `or vector(0)`: with every target up, count() has no series and
		// the panel would read "No data" instead of 0.
		problemStat(o, 1, "Scrape Targets Down",
			"Scrape targets whose last scrape failed. Their alerts cannot fire.",
			grid(0, 0, 4, 4),
			series(`count(up == 0) or vector(0)`, "Targets down")),
		problemStat(o, 2, "Rule Evaluation Failures (1h)",
			"Prometheus rule evaluations that failed in the last hour. A failing alerting rule stays silent.",
			grid(4, 0, 4, 4),
			series(`sum(increase(prometheus_rule_evaluation_failures_total[1h]))`, "Failures")),
		// min: one Prometheus on an old configuration is enough.
		flagStat(o, 3, "Prometheus Configuration",
			"FAILED when a Prometheus could not load its last configuration and runs on the previous one (PrometheusConfigReloadFailed).",
			grid(8, 0, 4, 4), state{"FAILED", red}, state{"LOADED", green},
			series(`min(prometheus_config_last_reload_successful)`, "Configuration")),
		problemStat(o, 4, "TSDB Compaction Failures (24h)",
			"Failed compactions of the Prometheus TSDB in the last day. PrometheusTSDBCompactionsFailing warns when they go on for 4 hours.",
			grid(12, 0, 4, 4),
			series(`sum(increase(prometheus_tsdb_compactions_failed_total[24h]))`, "Failures")),
		// min: one sidecar that lost its Prometheus is enough to show DOWN.
		flagStat(o, 5, "Thanos Sidecar Reaches Prometheus",
			"Whether every Thanos sidecar can reach its Prometheus (worst sidecar shown). Without it, recent data is missing from Thanos Query.",
			grid(16, 0, 4, 4), state{"DOWN", red}, state{"UP", green},
			series(`min(thanos_sidecar_prometheus_up)`, "Sidecar")),
		flagStat(o, 6, "Thanos Compactor",
			"HALTED when the compactor stopped on an error: it needs an operator, and retention and downsampling stop until then (ThanosCompactHalted).",
			grid(20, 0, 4, 4), state{"OK", green}, state{"HALTED", red},
			series(`max(thanos_compact_halted)`, "Compactor")),
	}
}

// metricsIngestionRow is what Prometheus takes in and holds.
func metricsIngestionRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 7, "Samples Ingested",
			"Samples appended to each Prometheus' head block per second, over 5 minutes.",
			grid(0, 4, 8, 8),
			series(`sum by (namespace, pod) (rate(prometheus_tsdb_head_samples_appended_total{`+selPrometheus+`}[5m]))`, "{{pod}}")).
			AxisLabel("samples/s"),
		countPanel(o, 8, "Active Series",
			"Series in each Prometheus' head block: memory grows with them.",
			grid(8, 4, 8, 8),
			series(`max by (namespace, pod) (prometheus_tsdb_head_series{`+selPrometheus+`})`, "{{pod}}")),
		ratioPanel(o, 9, "Scrape Targets Up by Job",
			"Share of each job's targets whose last scrape succeeded.",
			grid(16, 4, 8, 8),
			series(`avg by (job) (up)`, "{{job}}")),
	}
}

// metricsRulesRow is rule evaluation: failures, and groups that take longer
// than their interval (their next evaluation is skipped).
func metricsRulesRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		seriesPanel(o, 10, "Rule Evaluation Failures by Group",
			"Failed evaluations per second, per rule group, over 5 minutes. PrometheusRuleEvaluationFailures pages after 15 minutes of any.",
			grid(0, 12, 12, 8), unitOpsPerSecond,
			series(`sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[5m]))`, "{{rule_group}}")).
			Min(0),
		alertLine(seriesPanel(o, 11, "Rule Group Evaluation Time / Interval (top 10)",
			"The 10 rule groups whose last evaluation took the largest share of their interval. At 100% an evaluation is skipped and its alerts and records lag.",
			grid(12, 12, 12, 8), unitPercentUnit,
			series(`topk(10, max by (rule_group) (prometheus_rule_group_last_duration_seconds / prometheus_rule_group_interval_seconds))`, "{{rule_group}}")).
			Min(0),
			thresholds(green, step{0.8, yellow}, step{1, red})),
	}
}

// metricsThanosRow is Thanos serving: the bucket, the gRPC Store API and
// what Query is connected to.
func metricsThanosRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		alertLine(ratioPanel(o, 12, "Bucket Operation Failures",
			"Share of each Thanos component's object storage operations that failed, per operation, over 5 minutes. ThanosBucketOperationsFailing warns above 5%.",
			grid(0, 20, 8, 8),
			series(`sum by (container, operation) (rate(thanos_objstore_bucket_operation_failures_total[5m])) / (sum by (container, operation) (rate(thanos_objstore_bucket_operations_total[5m])) > 0)`, "{{container}} {{operation}}")),
			thresholds(green, step{0.05, red})),
		ratioPanel(o, 13, "Store API Errors",
			"Share of the gRPC calls each Thanos component (query, store gateway) failed on its side, over 5 minutes.",
			grid(8, 20, 8, 8),
			series(`sum by (container) (rate(grpc_server_handled_total{`+selThanos+`, `+grpcServerErrors+`}[5m])) / (sum by (container) (rate(grpc_server_handled_total{`+selThanos+`}[5m])) > 0)`, "{{container}}")),
		// min across the Query replicas: the one that sees the fewest.
		countPanel(o, 14, "Store Endpoints Connected to Query",
			"Store API endpoints (sidecars, store gateways) Thanos Query holds a healthy connection to, per type, on the Query replica that sees the fewest. A missing sidecar is missing recent data; a missing store gateway, the old data.",
			grid(16, 20, 8, 8),
			series(`min by (store_type) (sum by (pod, store_type) (thanos_store_nodes_grpc_connections))`, "{{store_type}}")).
			Decimals(0),
	}
}

// metricsRetentionRow is Thanos keeping the history: the compactor's
// progress and what the store gateway serves.
func metricsRetentionRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 15, "Compactor Progress",
			"Compactor iterations completed and group compactions failed in the trailing hour. No iterations for hours, or failures, mean blocks pile up and retention stops.",
			grid(0, 28, 12, 8),
			series(`sum(increase(thanos_compact_iterations_total[1h]))`, "iterations"),
			series(`sum by (resolution) (increase(thanos_compact_group_compactions_failures_total[1h]))`, "failed compactions ({{resolution}})")),
		countPanel(o, 16, "Store Gateway Blocks Loaded",
			"Blocks each store gateway has loaded from the bucket: the history older than the sidecars' local retention.",
			grid(12, 28, 6, 8),
			series(`sum by (pod) (thanos_bucket_store_blocks_loaded)`, "{{pod}}")).
			Decimals(0),
		// A block the sidecar cannot upload stays only on the Prometheus
		// volume, and is gone from the 5-year history once local
		// retention deletes it.
		countPanel(o, 17, "Sidecar Upload Failures",
			"Blocks each Thanos sidecar failed to upload to the bucket in the trailing hour (it retries at every sync; ThanosSidecarShipperUploadFailing warns).",
			grid(18, 28, 6, 8),
			series(`sum by (pod) (increase(thanos_shipper_upload_failures_total[1h]))`, "{{pod}}")),
	}
}
