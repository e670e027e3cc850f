package prometheus_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	promcfg "github.com/prometheus/prometheus/config"
	"github.com/prometheus/prometheus/discovery"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/rules"
)

// The probe job, loaded back by Prometheus, turns each static target into
// a scrape of the exporter's /probe with the URL and module as parameters,
// and keeps the labels the probe alerts route and group on.
func TestTheProbeJobScrapesTheExporterForEachEndpoint(t *testing.T) {
	t.Setenv("POD_NAME", "prometheus-0")
	text, err := prometheus.RenderConfig(settings())
	require.NoError(t, err)
	cfg, err := promcfg.Load(text, slog.New(slog.DiscardHandler))
	require.NoError(t, err, text)
	var job *promcfg.ScrapeConfig
	for _, sc := range cfg.ScrapeConfigs {
		if sc.JobName == prometheus.ProbeJob {
			job = sc
		}
	}
	require.NotNil(t, job, "no %s job", prometheus.ProbeJob)
	assert.Equal(t, "/probe", job.MetricsPath)
	require.Len(t, job.ServiceDiscoveryConfigs, 1)
	groups := job.ServiceDiscoveryConfigs[0].(discovery.StaticConfig)
	require.Len(t, groups, 5, "four endpoints, /health/detailed with two modules")

	detailed := groups[4]
	lb := labels.NewBuilder(labels.EmptyLabels())
	for k, v := range detailed.Labels {
		lb.Set(string(k), string(v))
	}
	for k, v := range detailed.Targets[0] {
		lb.Set(string(k), string(v))
	}
	lb.Set(model.JobLabel, prometheus.ProbeJob)
	require.True(t, relabel.ProcessBuilder(lb, job.RelabelConfigs...))
	got := lb.Labels()
	const url = "http://klear-karma-api.klear-karma.svc.cluster.local:3000/health/detailed"
	assert.Equal(t, "blackbox-exporter.monitoring.svc.cluster.local:9115", got.Get(model.AddressLabel), "the scrape goes to the exporter")
	assert.Equal(t, url, got.Get("__param_target"))
	assert.Equal(t, blackbox.ModuleHealthHealthy, got.Get("__param_module"))
	assert.Equal(t, url, got.Get(model.InstanceLabel), "instance names the probed URL, not the exporter")
	for k, want := range map[string]string{"service": "klear-karma-api", "team": "backend", "endpoint": "/health/detailed", "module": blackbox.ModuleHealthHealthy} {
		assert.Equal(t, want, got.Get(k), k)
	}
}

func TestNoProbesLeaveTheProbeJobOut(t *testing.T) {
	s := settings()
	s.Probes, s.ProbeExporter = nil, ""
	cfg, err := prometheus.BuildConfig(s)
	require.NoError(t, err)
	for _, sc := range cfg.ScrapeConfigs {
		assert.NotEqual(t, prometheus.ProbeJob, sc.JobName)
	}
}

// The probe alerts select the probe job by name; rules cannot import this
// package (its tests import rules), so the name is held together here.
func TestTheProbeAlertsSelectTheProbeJob(t *testing.T) {
	groups, err := rules.Groups(rules.Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts", LocalRetention: rules.LongestWindow()})
	require.NoError(t, err)
	found := 0
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if strings.Contains(r.Expr, "probe_success") {
				found++
				assert.Contains(t, r.Expr, `job="`+prometheus.ProbeJob+`"`, r.Alert)
			}
		}
	}
	assert.Equal(t, 2, found, "EndpointDown and EndpointDegraded")
}
