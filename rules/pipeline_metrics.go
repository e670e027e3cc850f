package rules

// fluentdOutputLabels are what prometheus_output_monitor puts on every
// fluentd_output_status_* series: the output's @id and its @type. The
// component configures no extra labels.
var fluentdOutputLabels = []string{"plugin_id", "type"}

// pipelineExposed are the metrics of the platform's components that the
// pipeline dashboards (dashboards/) read beyond what the platform alerts
// need, each checked at the pinned version (CATALOG.md lists where). Only
// what a scrape job collects today is declared: the Thanos sidecar's
// shipper metrics, for one, are left out because the Prometheus pods'
// scrape annotation names Prometheus' port only.
var pipelineExposed = []Metric{
	// Prometheus v0.316.0: tsdb/head.go, rules/group.go, notifier/metric.go,
	// rules/alerting.go.
	{
		Name: "prometheus_tsdb_head_samples_appended_total", Type: Counter, Source: SourcePrometheus,
		Help:   "Samples appended to the head block; type is float or histogram.",
		Labels: []string{"type"},
	},
	{
		Name: "prometheus_tsdb_head_series", Type: Gauge, Source: SourcePrometheus,
		Help: "Series in the head block (the active series).",
	},
	{
		Name: "prometheus_rule_group_last_duration_seconds", Type: Gauge, Source: SourcePrometheus,
		Help:   "How long the last evaluation of the rule group took.",
		Labels: []string{"rule_group"},
	},
	{
		Name: "prometheus_rule_group_interval_seconds", Type: Gauge, Source: SourcePrometheus,
		Help:   "Evaluation interval of the rule group.",
		Labels: []string{"rule_group"},
	},
	{
		Name: "prometheus_notifications_sent_total", Type: Counter, Source: SourcePrometheus,
		Help:   "Alerts sent to Alertmanager, per Alertmanager.",
		Labels: []string{"alertmanager"},
	},
	{
		Name: "prometheus_notifications_errors_total", Type: Counter, Source: SourcePrometheus,
		Help:   "Alerts whose sending to Alertmanager failed, per Alertmanager.",
		Labels: []string{"alertmanager"},
	},
	{
		Name: "prometheus_notifications_alertmanagers_discovered", Type: Gauge, Source: SourcePrometheus,
		Help: "Alertmanagers Prometheus discovered and sends alerts to.",
	},
	{
		// Written by the rule manager, not scraped: one series per pending or
		// firing alert, with the alert's labels. Every rule here sets team
		// and severity; the Watchdog's severity is "none".
		Name: "ALERTS", Type: Gauge, Source: SourcePrometheus,
		Help:   "1 for each alert that is pending or firing (alertstate), with the alert's labels.",
		Labels: []string{"alertname", "alertstate", "severity", "team"},
	},

	// Alertmanager v0.35.0: dispatch/metric.go, notify/metrics.go.
	{
		Name: "alertmanager_alerts", Type: Gauge, Source: SourceAlertmanager,
		Help:   "Alerts this Alertmanager holds, by state (active, suppressed, unprocessed).",
		Labels: []string{"state"},
	},
	{
		Name: "alertmanager_notification_latency_seconds", Type: Histogram, Source: SourceAlertmanager,
		Help:    "How long sending a notification took, per integration.",
		Labels:  []string{"integration"},
		Buckets: []float64{1, 5, 10, 15, 20},
	},

	// Thanos v0.42.5: cmd/thanos/compact.go, pkg/compact/compact.go,
	// pkg/store/bucket.go, pkg/query/endpointset.go; the gRPC server
	// metrics of go-grpc-middleware providers/prometheus v1.0.1 (Thanos'
	// go.mod), on every Thanos gRPC server.
	{
		Name: "thanos_compact_iterations_total", Type: Counter, Source: SourceThanos,
		Help: "Compactor iterations that completed successfully.",
	},
	{
		Name: "thanos_compact_group_compactions_failures_total", Type: Counter, Source: SourceThanos,
		Help:   "Group compactions that failed, per resolution.",
		Labels: []string{"resolution"},
	},
	{
		Name: "thanos_bucket_store_blocks_loaded", Type: Gauge, Source: SourceThanos,
		Help: "Blocks the store gateway has loaded from the bucket.",
	},
	{
		Name: "thanos_store_nodes_grpc_connections", Type: Gauge, Source: SourceThanos,
		Help:   "Store API endpoints Thanos Query holds a healthy gRPC connection to, per store type and external labels.",
		Labels: []string{"external_labels", "store_type"},
	},
	{
		Name: "grpc_server_handled_total", Type: Counter, Source: SourceThanos,
		Help:   "gRPC calls a Thanos component's server completed, per method and status code.",
		Labels: []string{"grpc_code", "grpc_method", "grpc_service", "grpc_type"},
	},

	// OpenTelemetry Collector core v0.165.0: receiverhelper's and
	// exporterhelper's metadata.yaml.
	{
		Name: "otelcol_receiver_accepted_spans_total", Type: Counter, Source: SourceOpenTelemetryCollector,
		Help:   "Spans a receiver pushed into the pipeline.",
		Labels: []string{"receiver", "transport"},
	},
	{
		Name: "otelcol_exporter_sent_spans_total", Type: Counter, Source: SourceOpenTelemetryCollector,
		Help:   "Spans the exporter sent to its destination.",
		Labels: []string{"exporter"},
	},
	{
		Name: "otelcol_exporter_enqueue_failed_spans_total", Type: Counter, Source: SourceOpenTelemetryCollector,
		Help:   "Spans the exporter could not add to its sending queue (queue full): they are dropped.",
		Labels: []string{"exporter"},
	},

	// fluent-plugin-prometheus v2.2.1 (the image's Gemfile pins ~> 2.2.1),
	// lib/fluent/plugin/in_prometheus_output_monitor.rb. gauge_all defaults
	// to true, so the cumulative counts are gauges too: read them with
	// increase() or rate(), which handle the reset at a restart.
	{
		Name: "fluentd_output_status_buffer_queue_length", Type: Gauge, Source: SourceFluentd,
		Help:   "Chunks queued for flushing in the output's buffer.",
		Labels: fluentdOutputLabels,
	},
	{
		Name: "fluentd_output_status_buffer_total_bytes", Type: Gauge, Source: SourceFluentd,
		Help:   "Bytes in the output's buffer, staged and queued.",
		Labels: fluentdOutputLabels,
	},
	{
		Name: "fluentd_output_status_num_errors", Type: Gauge, Source: SourceFluentd,
		Help:   "Errors of the output since Fluentd started (cumulative, exposed as a gauge).",
		Labels: fluentdOutputLabels,
	},
	{
		Name: "fluentd_output_status_emit_records", Type: Gauge, Source: SourceFluentd,
		Help:   "Records emitted to the output since Fluentd started (cumulative, exposed as a gauge).",
		Labels: fluentdOutputLabels,
	},

	// kube-state-metrics docs at tag v2.17.0 (docs/metrics/cluster/node-
	// metrics.md, docs/metrics/workload/pod-metrics.md, STABLE).
	{
		Name: "kube_persistentvolumeclaim_access_mode", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "1 for each access mode (ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod) the claim asks for.",
		Labels: []string{"access_mode", "namespace", "persistentvolumeclaim"},
	},
	{
		Name: "kube_pod_status_ready", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "1 for the state (true, false, unknown) the pod's Ready condition is in; completed pods read false.",
		Labels: []string{"condition", "namespace", "pod", "uid"},
	},
	{
		Name: "kube_pod_status_phase", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "1 for the phase (Pending, Running, Succeeded, Failed, Unknown) the pod is in.",
		Labels: []string{"namespace", "phase", "pod", "uid"},
	},
}
