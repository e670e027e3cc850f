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
	pods := loadedPodsJob(t)
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

// podTarget is what Kubernetes service discovery (role pod) gives the
// annotation job for one declared container port of a running pod.
func podTarget(pod, container string, port string, annotations map[string]string) labels.Labels {
	m := map[string]string{
		"__address__":                                        "10.0.1.10:" + port,
		"__meta_kubernetes_namespace":                        "monitoring",
		"__meta_kubernetes_pod_name":                         pod,
		"__meta_kubernetes_pod_phase":                        "Running",
		"__meta_kubernetes_pod_label_app_kubernetes_io_name": "prometheus",
		"__meta_kubernetes_pod_container_name":               container,
		"__meta_kubernetes_pod_container_port_number":        port,
	}
	for k, v := range annotations {
		m["__meta_kubernetes_pod_annotation_"+k] = v
	}
	return labels.FromMap(m)
}

func TestAPodIsScrapedOnceOnTheAnnotatedPortWhateverPortsItsContainersDeclare(t *testing.T) {
	pods := loadedPodsJob(t)
	scrape := map[string]string{"prometheus_io_scrape": "true", "prometheus_io_port": "9090", "prometheus_io_path": "/metrics"}
	withParams := map[string]string{
		"prometheus_io_scrape": "true", "prometheus_io_port": "7979", "prometheus_io_path": "/probe",
		"prometheus_io_param_module": "logstash", "prometheus_io_param_target": "http://localhost:9600/_node/stats",
	}
	type kept struct{ address, container, path, module, target string }
	cases := map[string]struct {
		targets []labels.Labels
		want    []kept
	}{
		"Prometheus and its Thanos sidecar: one target, Prometheus' port": {
			targets: []labels.Labels{
				podTarget("prometheus-0", "prometheus", "9090", scrape),
				podTarget("prometheus-0", "thanos-sidecar", "10901", scrape),
				podTarget("prometheus-0", "thanos-sidecar", "10902", scrape),
			},
			want: []kept{{address: "10.0.1.10:9090", container: "prometheus", path: "/metrics"}},
		},
		"a workload and its json_exporter sidecar: the sidecar, with the module and target parameters": {
			targets: []labels.Labels{
				podTarget("logstash-0", "logstash", "5044", withParams),
				podTarget("logstash-0", "logstash", "9600", withParams),
				podTarget("logstash-0", "json-exporter", "7979", withParams),
			},
			want: []kept{{address: "10.0.1.10:7979", container: "json-exporter", path: "/probe", module: "logstash", target: "http://localhost:9600/_node/stats"}},
		},
		"a pod without the scrape annotation: none": {
			targets: []labels.Labels{podTarget("app-0", "app", "8080", nil)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got []kept
			for _, target := range tc.targets {
				lb := labels.NewBuilder(target)
				if !relabel.ProcessBuilder(lb, pods.RelabelConfigs...) {
					continue
				}
				got = append(got, kept{
					address: lb.Get("__address__"), container: lb.Get("container"), path: lb.Get("__metrics_path__"),
					module: lb.Get("__param_module"), target: lb.Get("__param_target"),
				})
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// loadedPodsJob is the annotation job of the rendered configuration as
// Prometheus loads it (the YAML round trip included).
func loadedPodsJob(t *testing.T) *promcfg.ScrapeConfig {
	t.Helper()
	text, err := prometheus.RenderConfig(settings())
	require.NoError(t, err)
	cfg, err := promcfg.Load(text, slog.New(slog.DiscardHandler))
	require.NoError(t, err, text)
	for _, sc := range cfg.ScrapeConfigs {
		if sc.JobName == "kubernetes-pods" {
			return sc
		}
	}
	t.Fatal("no kubernetes-pods job")
	return nil
}
