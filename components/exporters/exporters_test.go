package exporters_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/exporters"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func TestExporters(t *testing.T) {
	cases := map[string]struct {
		args    exporters.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"node-exporter runs on every node with the host's view, read-only": {
			args: exporters.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				ds := rec.Get(t, "kubernetes:apps/v1:DaemonSet::exporters-node-exporter").Mappable()
				spec := ds["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
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
				role := rec.Get(t, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::exporters-kube-state-metrics-clusterrole").Mappable()
				for _, r := range role["rules"].([]any) {
					assert.ElementsMatch(t, []any{"list", "watch"}, r.(map[string]any)["verbs"])
				}
				assert.True(t, rec.Has("kubernetes:apps/v1:Deployment::exporters-kube-state-metrics"))
			},
		},
		"a missing namespace fails before anything is registered": {args: exporters.Args{}, wantErr: "namespace"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := exporters.New(ctx, "exporters", tc.args)
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}
