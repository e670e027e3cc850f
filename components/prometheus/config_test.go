package prometheus_test

import (
	"log/slog"
	"testing"
	"time"

	promcfg "github.com/prometheus/prometheus/config"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/components/prometheus"
)

func settings() prometheus.ScrapeSettings {
	return prometheus.ScrapeSettings{
		Cluster: "prod", ScrapeInterval: 30 * time.Second,
		Namespaces: []string{"monitoring", "klear-karma"}, ExporterNamespace: "monitoring",
		Alertmanagers: []string{"am-0.am-headless.monitoring.svc.cluster.local:9093"},
		Probes: blackbox.Probes([]blackbox.Target{{
			Service: "klear-karma-api", Team: "backend", URL: "http://klear-karma-api.klear-karma.svc.cluster.local:3000",
		}}),
		ProbeExporter: blackbox.Address("monitoring"),
	}
}

func TestTheGeneratedConfigIsAcceptedByPrometheusItself(t *testing.T) {
	t.Setenv("POD_NAME", "prometheus-0")
	text, err := prometheus.RenderConfig(settings())
	require.NoError(t, err)
	cfg, err := promcfg.Load(text, slog.New(slog.DiscardHandler))
	require.NoError(t, err, text)
	jobs := map[string]bool{}
	for _, sc := range cfg.ScrapeConfigs {
		jobs[sc.JobName] = true
	}
	for _, j := range []string{"blackbox", "kubernetes-pods", "kubernetes-service-endpoints", "kubernetes-cadvisor", "node-exporter", "kube-state-metrics", "thanos-sidecar", "kubelet"} {
		assert.True(t, jobs[j], "job %s", j)
	}
	assert.Equal(t, "prod", cfg.GlobalConfig.ExternalLabels.Get("cluster"))
	assert.Equal(t, "prometheus-0", cfg.GlobalConfig.ExternalLabels.Get("replica"), "each replica gets its own replica label")
	assert.Equal(t, []string{"/etc/prometheus/rules/*.yaml"}, cfg.RuleFiles)
	require.Len(t, cfg.AlertingConfig.AlertmanagerConfigs, 1)
}

func TestTheConfigIsDeterministic(t *testing.T) {
	a, err := prometheus.RenderConfig(settings())
	require.NoError(t, err)
	s := settings()
	s.Namespaces = []string{"klear-karma", "monitoring"}
	b, err := prometheus.RenderConfig(s)
	require.NoError(t, err)
	assert.Equal(t, a, b, "namespace order does not change the output")
}

func TestBadScrapeSettingsAreRefused(t *testing.T) {
	cases := map[string]func(*prometheus.ScrapeSettings){
		"a missing cluster label is refused":                func(s *prometheus.ScrapeSettings) { s.Cluster = "" },
		"a zero scrape interval is refused":                 func(s *prometheus.ScrapeSettings) { s.ScrapeInterval = 0 },
		"probes without the exporter's address are refused": func(s *prometheus.ScrapeSettings) { s.ProbeExporter = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			s := settings()
			mutate(&s)
			_, err := prometheus.RenderConfig(s)
			require.Error(t, err)
		})
	}
}

func TestAlertsLeaveWithoutTheReplicaLabelSoTheHAPairSendsOneAlert(t *testing.T) {
	text, err := prometheus.RenderConfig(settings())
	require.NoError(t, err)
	cfg, err := promcfg.Load(text, slog.New(slog.DiscardHandler))
	require.NoError(t, err, text)
	// What Prometheus does to an alert before sending it: the external
	// labels are added, then alert_relabel_configs apply.
	for _, replica := range []string{"prometheus-0", "prometheus-1"} {
		alert := labels.FromStrings("alertname", "HighErrorRate", "service", "checkout", "cluster", "prod", "replica", replica)
		lb := labels.NewBuilder(alert)
		require.True(t, relabel.ProcessBuilder(lb, cfg.AlertingConfig.AlertRelabelConfigs...), "no alert is dropped")
		assert.Equal(t, labels.FromStrings("alertname", "HighErrorRate", "service", "checkout", "cluster", "prod"), lb.Labels(),
			"both replicas' copies carry the same labels, so Alertmanager sees one alert and its annotations are common")
	}
}

// The Cassandra exporter names the Cassandra cluster `cluster`, which is
// this Prometheus' external label: the annotation job moves it aside, so
// an alert on cassandra_stats keeps the platform's cluster, and leaves
// every other series' labels alone.
func TestTheCassandraExportersClusterLabelIsMovedAside(t *testing.T) {
	text, err := prometheus.RenderConfig(settings())
	require.NoError(t, err)
	cfg, err := promcfg.Load(text, slog.New(slog.DiscardHandler))
	require.NoError(t, err, text)
	var pods *promcfg.ScrapeConfig
	for _, sc := range cfg.ScrapeConfigs {
		if sc.JobName == "kubernetes-pods" {
			pods = sc
		}
	}
	require.NotNil(t, pods)
	cases := map[string]struct{ in, want labels.Labels }{
		"cassandra_stats gets cassandra_cluster instead of cluster": {
			in:   labels.FromStrings("__name__", "cassandra_stats", "cluster", "jaeger", "datacenter", "dc1", "name", "org:apache:cassandra:metrics:compaction:pendingtasks:value"),
			want: labels.FromStrings("__name__", "cassandra_stats", "cassandra_cluster", "jaeger", "datacenter", "dc1", "name", "org:apache:cassandra:metrics:compaction:pendingtasks:value"),
		},
		"another metric keeps its labels": {
			in:   labels.FromStrings("__name__", "http_requests_total", "cluster", "x", "status_code", "200"),
			want: labels.FromStrings("__name__", "http_requests_total", "cluster", "x", "status_code", "200"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			lb := labels.NewBuilder(tc.in)
			require.True(t, relabel.ProcessBuilder(lb, pods.MetricRelabelConfigs...))
			assert.Equal(t, tc.want, lb.Labels())
		})
	}
}
