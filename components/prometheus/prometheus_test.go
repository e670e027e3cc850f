package prometheus_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func args(replicas int) prometheus.Args {
	return prometheus.Args{
		Namespace: "monitoring", Replicas: replicas, StorageSize: "200Gi", LocalRetention: "15d",
		Scrape: prometheus.ScrapeSettings{Cluster: "prod", ScrapeInterval: 30 * time.Second,
			Namespaces: []string{"monitoring"}, ExporterNamespace: "monitoring"},
		RuleFiles: map[string]string{"klearkarma.yaml": "groups: []\n"},
		Objstore:  prometheus.Objstore{SecretName: pulumi.String("thanos-objstore"), SecretKey: "objstore.yml"},
	}
}

func run(t *testing.T, a prometheus.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := prometheus.New(ctx, "prometheus", a)
		return err
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

func container(t *testing.T, sts map[string]any, name string) map[string]any {
	t.Helper()
	for _, c := range sts["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any) {
		if c.(map[string]any)["name"] == name {
			return c.(map[string]any)
		}
	}
	t.Fatalf("no container %s", name)
	return nil
}

func annotations(sts map[string]any) map[string]any {
	return sts["spec"].(map[string]any)["template"].(map[string]any)["metadata"].(map[string]any)["annotations"].(map[string]any)
}

func TestPrometheus(t *testing.T) {
	cases := map[string]struct {
		args    func() prometheus.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"zero replicas fail before anything is registered": {
			args: func() prometheus.Args { return args(0) }, wantErr: "replicas must be at least 1",
		},
		"a storage size that is not a quantity fails": {
			args: func() prometheus.Args { a := args(1); a.StorageSize = "lots"; return a }, wantErr: "storage size",
		},
		"a rule file without the .yaml suffix fails": {
			args: func() prometheus.Args { a := args(1); a.RuleFiles = map[string]string{"rules": ""}; return a }, wantErr: ".yaml",
		},
		"the prod shape runs two replicas with a disruption budget and the thanos sidecar": {
			args: func() prometheus.Args { return args(2) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Get(t, "kubernetes:apps/v1:StatefulSet::prometheus-statefulset").Mappable()
				assert.Equal(t, 2.0, sts["spec"].(map[string]any)["replicas"])
				assert.True(t, rec.Has("kubernetes:policy/v1:PodDisruptionBudget::prometheus-pdb"))
				prom := container(t, sts, "prometheus")
				flags := strings.Join(toStrings(prom["args"]), " ")
				assert.Contains(t, flags, "--storage.tsdb.retention.time=15d")
				assert.Contains(t, flags, "--storage.tsdb.min-block-duration=2h", "the sidecar uploads 2h blocks")
				sidecar := container(t, sts, "thanos-sidecar")
				assert.Contains(t, strings.Join(toStrings(sidecar["args"]), " "), "--objstore.config-file=/etc/thanos/objstore.yml")
				claim := sts["spec"].(map[string]any)["volumeClaimTemplates"].([]any)[0].(map[string]any)
				assert.Equal(t, "200Gi", claim["spec"].(map[string]any)["resources"].(map[string]any)["requests"].(map[string]any)["storage"])
			},
		},
		"one replica has no disruption budget": {
			args: func() prometheus.Args { return args(1) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.False(t, rec.Has("kubernetes:policy/v1:PodDisruptionBudget::prometheus-pdb"))
			},
		},
		"each replica gets its own replica external label from its pod name": {
			args: func() prometheus.Args { return args(2) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				cm := rec.Get(t, "kubernetes:core/v1:ConfigMap::prometheus-config").Mappable()
				assert.Contains(t, cm["data"].(map[string]any)["prometheus.yml"], "replica: ${POD_NAME}")
				env := container(t, rec.Get(t, "kubernetes:apps/v1:StatefulSet::prometheus-statefulset").Mappable(), "prometheus")["env"].([]any)
				assert.Equal(t, "POD_NAME", env[0].(map[string]any)["name"])
			},
		},
		"service discovery gets read-only access and nothing more": {
			args: func() prometheus.Args { return args(1) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				role := rec.Get(t, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::prometheus-clusterrole").Mappable()
				for _, r := range role["rules"].([]any) {
					for _, v := range toStrings(r.(map[string]any)["verbs"]) {
						assert.Contains(t, []string{"get", "list", "watch"}, v)
					}
					assert.NotContains(t, toStrings(r.(map[string]any)["resources"]), "secrets")
				}
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := run(t, tc.args())
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

func TestARuleChangeRollsThePodsAndNothingElseDoes(t *testing.T) {
	checksum := func(a prometheus.Args) (string, string) {
		rec, err := run(t, a)
		require.NoError(t, err)
		ann := annotations(rec.Get(t, "kubernetes:apps/v1:StatefulSet::prometheus-statefulset").Mappable())
		return ann["checksum.observability.klearkarma.com/rules"].(string), ann["checksum.observability.klearkarma.com/config"].(string)
	}
	rules1, cfg1 := checksum(args(1))
	again, cfgAgain := checksum(args(1))
	assert.Equal(t, rules1, again, "the same rules give the same checksum")
	assert.Equal(t, cfg1, cfgAgain)
	changed := args(1)
	changed.RuleFiles = map[string]string{"klearkarma.yaml": "groups:\n- name: x\n  rules: []\n"}
	rules2, cfg2 := checksum(changed)
	assert.NotEqual(t, rules1, rules2, "a rule change rolls the pods")
	assert.Equal(t, cfg1, cfg2, "the scrape config checksum is unaffected")
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		out = append(out, e.(string))
	}
	return out
}
