package dashboards_test

import (
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/dashboards"
)

// selected returns the metric names a dashboard's queries select.
func selected(t *testing.T, queries []string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, q := range queries {
		expr, err := parser.NewParser(parser.Options{}).ParseExpr(q)
		require.NoError(t, err, q)
		for _, sel := range parser.ExtractSelectors(expr) {
			for _, m := range sel {
				if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
					out[m.Value] = true
				}
			}
		}
	}
	return out
}

func TestTheClusterAndPipelineDashboardsWatchEachComponent(t *testing.T) {
	queries, err := dashboards.Queries(testOptions)
	require.NoError(t, err)
	cases := map[string]struct {
		uid  string
		want []string
	}{
		"the cluster overview shows nodes ready, CPU, memory and disk per node, pods not ready and crash looping, and PVC usage": {
			uid: "cluster-overview",
			want: []string{"kube_node_status_condition", "node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_filesystem_avail_bytes",
				"kube_pod_status_ready", "kube_pod_container_status_waiting_reason", "kubelet_volume_stats_available_bytes"},
		},
		"the metrics pipeline shows ingestion, rule evaluation failures and duration, the TSDB, and Thanos compactor, store gateway, bucket and query": {
			uid: "metrics-pipeline",
			want: []string{"prometheus_tsdb_head_samples_appended_total", "prometheus_tsdb_head_series", "prometheus_rule_evaluation_failures_total",
				"prometheus_rule_group_last_duration_seconds", "prometheus_tsdb_compactions_failed_total", "thanos_compact_halted",
				"thanos_compact_iterations_total", "thanos_bucket_store_blocks_loaded", "thanos_objstore_bucket_operation_failures_total",
				"grpc_server_handled_total", "thanos_store_nodes_grpc_connections"},
		},
		"the alerting pipeline shows the Watchdog, firing alerts, the notification queue, notifications and failures per integration, and cluster members": {
			uid: "alerting-pipeline",
			want: []string{"ALERTS", "prometheus_notifications_queue_length", "prometheus_notifications_dropped_total",
				"alertmanager_notifications_total", "alertmanager_notifications_failed_total", "alertmanager_cluster_members", "alertmanager_alerts"},
		},
		"the logging pipeline shows Fluentd's buffers, retries and output errors": {
			uid: "logging-pipeline",
			want: []string{"fluentd_output_status_buffer_queue_length", "fluentd_output_status_buffer_available_space_ratio",
				"fluentd_output_status_retry_count", "fluentd_output_status_num_errors"},
		},
		"the tracing pipeline shows accepted and refused spans, the exporter queue and send failures": {
			uid: "tracing-pipeline",
			want: []string{"otelcol_receiver_accepted_spans_total", "otelcol_receiver_refused_spans_total", "otelcol_exporter_queue_size",
				"otelcol_exporter_send_failed_spans_total", "otelcol_exporter_sent_spans_total"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := selected(t, queries[tc.uid])
			for _, m := range tc.want {
				require.True(t, got[m], "%s queries no %s", tc.uid, m)
			}
		})
	}
}
