package prometheus_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	statefulSetKey = "kubernetes:apps/v1:StatefulSet::prometheus-statefulset"
	pdbType        = "kubernetes:policy/v1:PodDisruptionBudget"
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

func run(a prometheus.Args) (*pulumitest.Recorder, error) {
	return pulumitest.Run(func(ctx *pulumi.Context) error {
		_, err := prometheus.New(ctx, "prometheus", a)
		return err
	})
}

func container(t *testing.T, sts map[string]any, name string) map[string]any {
	t.Helper()
	for _, c := range pulumitest.Dig(t, sts, "spec", "template", "spec", "containers").([]any) {
		if c.(map[string]any)["name"] == name {
			return c.(map[string]any)
		}
	}
	t.Fatalf("no container %s", name)
	return nil
}

type newCase struct {
	args    func() prometheus.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestPrometheus(t *testing.T) {
	cases := map[string]newCase{
		"zero replicas fail before anything is registered": {
			args: func() prometheus.Args { return args(0) }, wantErr: "replicas: 0 is below 1",
		},
		"a storage size that is not a quantity fails": {
			args: func() prometheus.Args { a := args(1); a.StorageSize = "lots"; return a }, wantErr: `storageSize: "lots" is not a Kubernetes quantity`,
		},
		"a local retention that is not a duration fails": {
			args: func() prometheus.Args { a := args(1); a.LocalRetention = "two weeks"; return a }, wantErr: `localRetention: "two weeks" is not a duration`,
		},
		"a rule file without the .yaml suffix fails": {
			args: func() prometheus.Args { a := args(1); a.RuleFiles = map[string]string{"rules": ""}; return a }, wantErr: ".yaml",
		},
		"the prod shape runs two replicas with a disruption budget and the thanos sidecar": {
			args: func() prometheus.Args { return args(2) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Object(t, statefulSetKey)
				assert.Equal(t, 2.0, pulumitest.Dig(t, sts, "spec", "replicas"))
				assert.Equal(t, 1, rec.CountType(pdbType))
				prom := container(t, sts, "prometheus")
				flags := strings.Join(toStrings(prom["args"]), " ")
				assert.Contains(t, flags, "--storage.tsdb.retention.time=15d")
				assert.Contains(t, flags, "--storage.tsdb.min-block-duration=2h", "the sidecar uploads 2h blocks")
				sidecar := container(t, sts, "thanos-sidecar")
				assert.Contains(t, strings.Join(toStrings(sidecar["args"]), " "), "--objstore.config-file=/etc/thanos/objstore.yml")
				claim := pulumitest.Dig(t, sts, "spec", "volumeClaimTemplates").([]any)[0]
				assert.Equal(t, "200Gi", pulumitest.Dig(t, claim, "spec", "resources", "requests", "storage"))
			},
		},
		"one replica has no disruption budget": {
			args: func() prometheus.Args { return args(1) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Zero(t, rec.CountType(pdbType))
			},
		},
		"each replica gets its own replica external label from its pod name": {
			args: func() prometheus.Args { return args(2) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				cm := rec.Object(t, "kubernetes:core/v1:ConfigMap::prometheus-config")
				assert.Contains(t, pulumitest.Dig(t, cm, "data", "prometheus.yml"), "replica: ${POD_NAME}")
				env := container(t, rec.Object(t, statefulSetKey), "prometheus")["env"].([]any)
				assert.Equal(t, "POD_NAME", env[0].(map[string]any)["name"])
			},
		},
		"service discovery gets read-only access and nothing more": {
			args: func() prometheus.Args { return args(1) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				role := rec.Object(t, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::prometheus-clusterrole")
				for _, r := range role["rules"].([]any) {
					for _, v := range toStrings(r.(map[string]any)["verbs"]) {
						assert.Contains(t, []string{"get", "list", "watch"}, v)
					}
					assert.NotContains(t, toStrings(r.(map[string]any)["resources"]), "secrets")
				}
				assert.Equal(t, "monitoring-prometheus", pulumitest.Dig(t, role, "metadata", "name"), "cluster-scoped names carry the namespace")
			},
		},
		"the workload carries the image's version, its selector and claim template do not": {
			args: func() prometheus.Args { return args(2) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Object(t, statefulSetKey)
				assert.Equal(t, "v"+pins.Prometheus.Version, pulumitest.Dig(t, sts, "metadata", "labels", "app.kubernetes.io/version"))
				assert.Equal(t, "v"+pins.Prometheus.Version, pulumitest.Dig(t, sts, "spec", "template", "metadata", "labels", "app.kubernetes.io/version"))
				assert.NotContains(t, pulumitest.Dig(t, sts, "spec", "selector", "matchLabels"), "app.kubernetes.io/version", "an upgrade never orphans pods")
				claim := pulumitest.Dig(t, sts, "spec", "volumeClaimTemplates").([]any)[0]
				assert.NotContains(t, pulumitest.Dig(t, claim, "metadata", "labels"), "app.kubernetes.io/version",
					"a changed claim template replaces the StatefulSet")
			},
		},
		"the URL and the sidecar Service name the in-cluster Services": {
			args: func() prometheus.Args { return args(1) },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, "http://prometheus.monitoring.svc.cluster.local:9090", rec.Output(t, "url"))
				assert.Equal(t, "prometheus-headless", rec.Output(t, "sidecarService"))
				assert.Equal(t, "prometheus-headless", pulumitest.Dig(t, rec.Object(t, statefulSetKey), "spec", "serviceName"))
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc newCase) {
		rec := pulumitest.New()
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			p, err := prometheus.New(ctx, "prometheus", tc.args())
			if err != nil {
				return err
			}
			rec.Capture("url", p.URL)
			rec.Capture("sidecarService", p.SidecarService)
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

func TestARuleChangeRollsThePodsAndNothingElseDoes(t *testing.T) {
	checksum := func(a prometheus.Args) (string, string) {
		rec, err := run(a)
		require.NoError(t, err)
		ann := pulumitest.Dig(t, rec.Object(t, statefulSetKey), "spec", "template", "metadata", "annotations").(map[string]any)
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

type sizingCase struct {
	sizing     prometheus.Sizing
	wantFields []string
}

func TestSizingStatesTheStackRulesOnce(t *testing.T) {
	cases := map[string]sizingCase{
		"the prod sizing has no problem":                   {sizing: prometheus.Sizing{Replicas: 2, StorageSize: "200Gi", LocalRetention: "15d"}},
		"every bad field is named by its config field":     {sizing: prometheus.Sizing{StorageSize: "lots", LocalRetention: "soon"}, wantFields: []string{"replicas", "storageSize", "localRetention"}},
		"a zero local retention is refused like a typo is": {sizing: prometheus.Sizing{Replicas: 1, StorageSize: "1Gi", LocalRetention: "0s"}, wantFields: []string{"localRetention"}},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc sizingCase) {
		var fields []string
		for _, p := range tc.sizing.Check() {
			fields = append(fields, p.Field)
			assert.NotEmpty(t, p.Fix, p.Field)
		}
		assert.Equal(t, tc.wantFields, fields)
	})
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		out = append(out, e.(string))
	}
	return out
}
