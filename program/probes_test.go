package program_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

const probesDeployment = "kubernetes:apps/v1:Deployment::probes-deployment"

// The stacks that list probe targets get the exporter and the probe job;
// the local stack lists none and gets neither.
func TestProbeTargetsBringTheExporterAndTheProbeJob(t *testing.T) {
	for stack, want := range map[string]bool{"local": false, "dev": true, "prod": true} {
		t.Run(stack, func(t *testing.T) {
			rec, err := runStack(t, stack)
			require.NoError(t, err)
			require.Equal(t, want, rec.Has(probesDeployment))
			var promYAML string
			for _, key := range rec.Keys() {
				if strings.HasPrefix(key, "kubernetes:core/v1:ConfigMap::prometheus") {
					if v, ok := pulumitest.Dig(t, rec.Object(t, key), "data").(map[string]any)["prometheus.yml"].(string); ok {
						promYAML = v
					}
				}
			}
			require.NotEmpty(t, promYAML, "no prometheus.yml among the ConfigMaps")
			assert.Equal(t, want, strings.Contains(promYAML, "job_name: blackbox"), "the probe job")
			if want {
				assert.Contains(t, promYAML, "http://klear-karma-api.klear-karma.svc.cluster.local:3000/health/detailed")
				assert.Contains(t, promYAML, blackbox.Address("monitoring"))
			}
		})
	}
}

// The exporter runs in the metrics namespace, so its requests and limits
// count against that namespace's quota like every other workload's.
func TestTheQuotaPreflightCountsTheExporter(t *testing.T) {
	cfg := parsed(t, "prod", nil)
	with, err := program.Footprints(cfg)
	require.NoError(t, err)
	without, err := program.Footprints(parsed(t, "prod", func(c *stacks.Config) { c.Probes.Targets = nil }))
	require.NoError(t, err)
	ns := cfg.Namespaces.Monitoring
	require.Contains(t, with, ns)
	assert.Equal(t, without[ns].Pods+cfg.Probes.Replicas+1, with[ns].Pods, "replicas plus one rolling-update surge pod")
	grew := with[ns].RequestsCPU.DeepCopy()
	grew.Sub(without[ns].RequestsCPU)
	assert.Positive(t, grew.MilliValue(), "the exporter's CPU requests are counted")
	found := false
	for _, why := range with[ns].Why {
		found = found || strings.Contains(why, blackbox.Name)
	}
	assert.True(t, found, "the exporter is named among the namespace's workloads: %v", with[ns].Why)
}
