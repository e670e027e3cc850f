package exporters_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/exporters"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	daemonSetKey  = "kubernetes:apps/v1:DaemonSet::exporters-node-exporter"
	deploymentKey = "kubernetes:apps/v1:Deployment::exporters-kube-state-metrics"
)

type exportersCase struct {
	args    exporters.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestExporters(t *testing.T) {
	cases := map[string]exportersCase{
		"node-exporter runs on every node with the host's view, read-only": {
			args: exporters.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				spec := pulumitest.Dig(t, rec.Object(t, daemonSetKey), "spec", "template", "spec").(map[string]any)
				assert.Equal(t, true, spec["hostNetwork"])
				assert.Equal(t, true, spec["hostPID"])
				assert.Equal(t, "Exists", spec["tolerations"].([]any)[0].(map[string]any)["operator"], "every node, tainted or not")
				for _, m := range spec["containers"].([]any)[0].(map[string]any)["volumeMounts"].([]any) {
					assert.Equal(t, true, m.(map[string]any)["readOnly"], m)
				}
			},
		},
		"kube-state-metrics may only list and watch": {
			args: exporters.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				role := rec.Object(t, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::exporters-kube-state-metrics-clusterrole")
				for _, r := range role["rules"].([]any) {
					assert.ElementsMatch(t, []any{"list", "watch"}, r.(map[string]any)["verbs"])
				}
				assert.Equal(t, "monitoring-kube-state-metrics", pulumitest.Dig(t, role, "metadata", "name"), "cluster-scoped names carry the namespace")
				assert.Equal(t, 1, rec.CountType("kubernetes:apps/v1:Deployment"))
				assert.Equal(t, 1, rec.CountType("kubernetes:apps/v1:DaemonSet"))
			},
		},
		"each exporter carries its image's version, its selector does not": {
			args: exporters.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for key, want := range map[string]string{daemonSetKey: "v1.10.2", deploymentKey: "v2.17.0"} {
					w := rec.Object(t, key)
					assert.Equal(t, want, pulumitest.Dig(t, w, "metadata", "labels", "app.kubernetes.io/version"), key)
					assert.Equal(t, want, pulumitest.Dig(t, w, "spec", "template", "metadata", "labels", "app.kubernetes.io/version"), key)
					assert.NotContains(t, pulumitest.Dig(t, w, "spec", "selector", "matchLabels"), "app.kubernetes.io/version", key)
				}
			},
		},
		"the kube-state-metrics URL names its in-cluster Service": {
			args: exporters.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, "http://kube-state-metrics.monitoring.svc.cluster.local:8080", rec.Output(t, "url"))
			},
		},
		"a missing namespace fails before anything is registered": {args: exporters.Args{}, wantErr: "namespace: is not set"},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc exportersCase) {
		rec := pulumitest.New()
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			e, err := exporters.New(ctx, "exporters", tc.args)
			if err != nil {
				return err
			}
			rec.Capture("url", e.KubeStateMetricsURL)
			return nil
		}, pulumi.WithMocks("observability", "test", rec))
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Empty(t, rec.Keys())
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}
