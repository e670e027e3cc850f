package rules_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/klearkarma/observability/rules"
)

func platformAlerts(t *testing.T) map[string]rulefmt.Rule {
	t.Helper()
	out := map[string]rulefmt.Rule{}
	for _, g := range mustGroups(t).Groups {
		if !strings.HasPrefix(g.Name, "platform.") {
			continue
		}
		for _, r := range g.Rules {
			require.NotEmpty(t, r.Alert, "platform groups hold alerts only (%s)", g.Name)
			out[r.Alert] = r
		}
	}
	require.NotEmpty(t, out)
	return out
}

func TestPlatformAlerts(t *testing.T) {
	alerts := platformAlerts(t)

	t.Run("every platform alert goes to the infrastructure team, and only the Watchdog has no for", func(t *testing.T) {
		for name, r := range alerts {
			require.Equal(t, rules.TeamInfrastructure, r.Labels["team"], name)
			if name == rules.WatchdogAlert {
				require.Equal(t, rules.SeverityNone, r.Labels["severity"])
				require.Zero(t, r.For, "the Watchdog fires from the first evaluation")
				continue
			}
			require.Contains(t, []string{rules.SeverityCritical, rules.SeverityWarning}, r.Labels["severity"], name)
			require.NotZero(t, r.For, "%s: a platform alert waits out restarts and blips", name)
		}
	})

	t.Run("every scraped component has a down alert, and a degrading alert unless the gap is named", func(t *testing.T) {
		// Component (the down alert's prefix) -> its degrading alerts. An
		// empty list is a known gap, with the reason.
		degrading := map[string][]string{
			"Prometheus": {"PrometheusRuleEvaluationFailures", "PrometheusNotificationQueueRunningFull",
				"PrometheusNotificationsDropped", "PrometheusConfigReloadFailed", "PrometheusTSDBCompactionsFailing"},
			"Alertmanager": {"AlertmanagerNotificationsFailing", "AlertmanagerClusterMembersMismatch", "AlertmanagerConfigReloadFailed"},
			"Thanos":       {"ThanosCompactHalted", "ThanosBucketOperationsFailing", "ThanosQueryGrpcClientErrors", "ThanosStoreGrpcErrors"},
			"NodeExporter": {"NodeFilesystemPredictedFull", "NodeMemoryPressure", "NodeClockSkewDetected", "NodeClockNotSynchronising"},
			"KubeStateMetrics": {"KubePodCrashLooping", "KubeDeploymentReplicasMismatch", "KubeStatefulSetReplicasMismatch", "KubeJobFailed",
				"KubeNodeNotReady", "KubeNodeMemoryPressure", "KubeNodeDiskPressure", "KubeNodePIDPressure"},
			// Jaeger v2 is built on the Collector: the same alerts.
			"OpenTelemetryCollector": {"TracingSpansRefused", "TracingSpanExportFailing", "TracingExporterQueueNearlyFull"},
			"Jaeger":                 {"TracingSpansRefused", "TracingSpanExportFailing", "TracingExporterQueueNearlyFull"},
			"Grafana":                {"GrafanaDatasourceRequestErrors"},
			"Fluentd":                {"FluentdOutputRetrying", "FluentdBufferNearlyFull"},
			"Logstash":               {"LogstashQueueNearlyFull", "LogstashOutputFailing", "LogstashDocumentsRejected"},
			"Kibana":                 {"KibanaDegraded"},
			"Elasticsearch": {"ElasticsearchClusterRed", "ElasticsearchClusterYellow", "ElasticsearchDiskHighWatermark",
				"ElasticsearchDiskFloodStage", "ElasticsearchILMErrors", "ElasticsearchSnapshotFailed", "ElasticsearchSnapshotTooOld"},
			// cAdvisor's container metrics feed HighMemoryUsage.
			"KubeletCAdvisor": {},
			// What it measures degrades into EndpointDown/EndpointDegraded;
			// a slow exporter shows as probe timeouts there.
			"BlackboxExporter": {},

			"Cassandra": {"CassandraMetricsAbsent", "CassandraPeersUnreachable", "CassandraPendingCompactionsHigh",
				"CassandraDroppedMessages", "CassandraClientRequestFailures"},
			"ThanosSidecar": {"ThanosSidecarShipperUploadFailing", "ThanosSidecarPrometheusUnreachable"},
			"Kubelet":       {"PersistentVolumeFillingUp"},
		}
		var downs []string
		for name := range alerts {
			if prefix, ok := strings.CutSuffix(name, "Down"); ok {
				downs = append(downs, prefix)
			}
		}
		slices.Sort(downs)
		var want []string
		for c := range degrading {
			want = append(want, c)
		}
		slices.Sort(want)
		require.Equal(t, want, downs, "each scraped component has one <Component>Down alert, and this table says how it degrades")
		for c, names := range degrading {
			for _, n := range names {
				require.Contains(t, alerts, n, "%s: degrading alert %s", c, n)
			}
		}
	})
}

// emptyClusterFile is the part of a promtool test file the empty-cluster
// check reads.
type emptyClusterFile struct {
	Tests []struct {
		Name          string `yaml:"name"`
		InputSeries   []any  `yaml:"input_series"`
		AlertRuleTest []struct {
			EvalTime  model.Duration `yaml:"eval_time"`
			Alertname string         `yaml:"alertname"`
			ExpAlerts []any          `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

// An alert must not fire on an empty cluster or a fresh install: every
// alert (the strategy's, the SLOs' and the platform's) has a promtool case
// with no input series at all, evaluated past its `for`, in which it stays
// quiet. The Watchdog is the exception that proves it: it fires there.
func TestEveryAlertHasAnEmptyClusterCase(t *testing.T) {
	// An alert name can have several rules (HighErrorRate's two tiers):
	// the case must be past the longest `for`.
	longestFor := map[string]time.Duration{}
	for _, r := range allRules(mustGroups(t)) {
		if r.Alert != "" {
			longestFor[r.Alert] = max(longestFor[r.Alert], time.Duration(r.For))
		}
	}
	quietOnEmpty := map[string]bool{}
	for _, f := range promtoolTests(t) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var u emptyClusterFile
		require.NoError(t, yaml.Unmarshal(b, &u), f)
		for _, tc := range u.Tests {
			if len(tc.InputSeries) > 0 {
				continue
			}
			for _, c := range tc.AlertRuleTest {
				longest, ok := longestFor[c.Alertname]
				if !ok {
					continue
				}
				if c.Alertname == rules.WatchdogAlert {
					quietOnEmpty[c.Alertname] = len(c.ExpAlerts) > 0
					continue
				}
				if len(c.ExpAlerts) == 0 && time.Duration(c.EvalTime) > longest {
					quietOnEmpty[c.Alertname] = true
				}
			}
		}
	}
	for name := range longestFor {
		require.True(t, quietOnEmpty[name], "%s has no promtool case without input series, evaluated past its for, in which it stays quiet (the Watchdog: fires)", name)
	}
}
