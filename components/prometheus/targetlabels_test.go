package prometheus_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/relabel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/rules"
)

// producedTargetLabels are the labels a scrape job puts on every series it
// scrapes: job and instance, which Prometheus always sets, and every label
// its relabelling writes (labels starting with __ are dropped after
// relabelling, so they never reach a series).
func producedTargetLabels(relabels []*relabel.Config) []string {
	out := []string{model.JobLabel, model.InstanceLabel}
	for _, r := range relabels {
		if r.Action == relabel.Replace && !strings.HasPrefix(r.TargetLabel, model.ReservedLabelPrefix) && !slices.Contains(out, r.TargetLabel) {
			out = append(out, r.TargetLabel)
		}
	}
	slices.Sort(out)
	return out
}

// without is want minus drop plus add, sorted.
func without(want, drop, add []string) []string {
	var out []string
	for _, l := range want {
		if !slices.Contains(drop, l) {
			out = append(out, l)
		}
	}
	out = append(out, add...)
	slices.Sort(out)
	return out
}

// rules.CheckQuery lets every query use rules.TargetLabels on every scraped
// series; this holds the scrape configuration to that contract, job by job.
// The application jobs produce exactly those labels; each job that differs
// says how and why, so a new job, a relabelling change or a change of
// TargetLabels fails here until someone decides which side is right.
func TestTheScrapeRelabellingProducesTheTargetLabelsRulesAssume(t *testing.T) {
	target := rules.TargetLabels()
	slices.Sort(target)
	type deviation struct {
		missing, extra []string
		honorLabels    bool
		why            string
	}
	jobs := map[string]deviation{
		"blackbox": {
			missing: []string{"container", "namespace", "pod", "service"},
			why: "the target is a URL probed through the blackbox exporter: relabelling writes only instance (the URL); " +
				"service, team, endpoint and module are static labels of each target group, not relabelled, so the " +
				"probe series carry service although this relabelling does not write it",
		},
		"kubernetes-pods": {why: "the application job: every target label, from the pod's metadata"},
		"kubernetes-service-endpoints": {
			missing: []string{"container"},
			why: "an endpoint backed by a pod could carry __meta_kubernetes_pod_container_name but the job does not " +
				"relabel it: a gap, not a design (relabelling it changes prometheus.yml); until then a query on " +
				"`container` finds nothing for these series",
		},
		"kubernetes-cadvisor": {
			missing: []string{"container", "namespace", "pod", "service"}, extra: []string{"node"},
			why: "the target is a kubelet, not a pod: cAdvisor writes container, namespace and pod on each series " +
				"itself (the catalog's cadvisor labels); a container has no service",
		},
		"kubelet": {
			missing: []string{"container", "namespace", "pod", "service"}, extra: []string{"node"},
			why: "the target is a kubelet, as for cAdvisor: its volume stats name the claim's namespace themselves",
		},
		"thanos-sidecar": {why: "a container port of the Prometheus pods: every target label, from the pod's metadata"},
		"node-exporter": {
			missing: []string{"container", "service"}, extra: []string{"node"},
			why: "the target is a node: node and instance name it; namespace and pod are the exporter's own pod",
		},
		"kube-state-metrics": {
			missing: []string{"container", "namespace", "pod", "service"}, honorLabels: true,
			why: "honor_labels: the series' namespace, pod and container name the objects they describe; " +
				"relabelling the exporter's own would overwrite them",
		},
	}

	cfg, err := prometheus.BuildConfig(settings())
	require.NoError(t, err)
	var seen []string
	for _, sc := range cfg.ScrapeConfigs {
		seen = append(seen, sc.JobName)
		d, ok := jobs[sc.JobName]
		if !assert.True(t, ok, "job %s: say how its target labels relate to rules.TargetLabels() in this test", sc.JobName) {
			continue
		}
		assert.Equal(t, without(target, d.missing, d.extra), producedTargetLabels(sc.RelabelConfigs), "job %s: %s", sc.JobName, d.why)
		assert.Equal(t, d.honorLabels, sc.HonorLabels, "job %s: %s", sc.JobName, d.why)
	}
	for job := range jobs {
		assert.Contains(t, seen, job, "the test describes a job the configuration no longer has")
	}
}
