package program_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// parsed is a shipped stack's config with every secret set.
func parsed(t *testing.T, stack string, edit func(*stacks.Config)) *stacks.Config {
	t.Helper()
	f, err := stacks.ReadStackFile("..", stack)
	require.NoError(t, err)
	for _, s := range stacks.SecretKeys {
		f.Source.Values[stacks.Namespace+":"+s.Key] = "ciphertext"
		f.Source.Secrets[stacks.Namespace+":"+s.Key] = true
	}
	cfg, err := stacks.Parse(stack, f.Source, nil)
	require.NoError(t, err)
	if edit != nil {
		edit(cfg)
	}
	return cfg
}

func TestEveryShippedStacksFencesHoldItsOwnWorkloads(t *testing.T) {
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			require.NoError(t, program.Preflight(stack, parsed(t, stack, nil)))
		})
	}
}

func TestFencesThatCannotHoldTheWorkloads(t *testing.T) {
	pulumitest.Cases(t, map[string]struct {
		edit    func(*stacks.Config)
		wantKey string
	}{
		"a CPU limit quota under the peak names the key and the smallest value that fits": {
			edit: func(c *stacks.Config) { c.Quota.RequestsCPU, c.Quota.LimitsCPU = "2", "2" }, wantKey: "observability:quota.limitsCpu",
		},
		"a pod quota under the pods of a rollout is refused": {
			edit: func(c *stacks.Config) { c.Quota.Pods = 2 }, wantKey: "observability:quota.pods",
		},
		"a volume claim quota under the StatefulSets' claims is refused": {
			edit: func(c *stacks.Config) { c.Quota.PersistentVolumeClaims = 1 }, wantKey: "observability:quota.persistentVolumeClaims",
		},
		"a storage quota under the volumes is refused": {
			edit: func(c *stacks.Config) { c.Quota.RequestsStorage = "1Gi" }, wantKey: "observability:quota.requestsStorage",
		},
		"a LimitRange maximum under one container's limit is refused": {
			edit: func(c *stacks.Config) { c.LimitRange.MaxMemory = "1Gi" }, wantKey: "observability:limitRange.maxMemory",
		},
	}, func(t *testing.T, tc struct {
		edit    func(*stacks.Config)
		wantKey string
	}) {
		cfg := parsed(t, "prod", tc.edit)
		err := program.Preflight("prod", cfg)
		var ce *stacks.ConfigError
		require.ErrorAs(t, err, &ce)
		var found *stacks.Problem
		for i := range ce.Problems {
			if ce.Problems[i].Key == tc.wantKey {
				found = &ce.Problems[i]
			}
		}
		require.NotNil(t, found, "want a problem for %s, got %v", tc.wantKey, err)
		assert.Contains(t, found.Fix, "to at least")
		assert.Contains(t, err.Error(), "nothing was created")
	})
}

func TestTheSmallestValueThatFitsIsTheMostANamespaceNeeds(t *testing.T) {
	cfg := parsed(t, "prod", func(c *stacks.Config) { c.Quota.LimitsCPU = c.Quota.RequestsCPU })
	fps, err := program.Footprints(cfg)
	require.NoError(t, err)
	var most string
	for _, f := range fps {
		if most == "" || f.LimitsCPU.Cmp(mustQuantity(t, most)) > 0 {
			most = f.LimitsCPU.String()
		}
	}
	err = program.Preflight("prod", cfg)
	require.ErrorContains(t, err, "raise observability:quota.limitsCpu to at least "+most+" ")
	cfg.Quota.LimitsCPU = most
	require.NoError(t, program.Preflight("prod", cfg), "the value the message names fits")
}

func TestDaemonSetsCountOncePerNode(t *testing.T) {
	one, err := program.Footprints(parsed(t, "prod", func(c *stacks.Config) { c.Kubernetes.Nodes = 1 }))
	require.NoError(t, err)
	five, err := program.Footprints(parsed(t, "prod", func(c *stacks.Config) { c.Kubernetes.Nodes = 5 }))
	require.NoError(t, err)
	// node-exporter (monitoring) and Fluentd (logging) run on every node.
	assert.Equal(t, one["monitoring"].Pods+4, five["monitoring"].Pods)
	assert.Equal(t, one["logging"].Pods+4, five["logging"].Pods)
	assert.Equal(t, one["tracing"].Pods, five["tracing"].Pods, "no DaemonSet in tracing")
}

func TestBadFencesRegisterNothing(t *testing.T) {
	stackConfig(t, "prod")
	t.Setenv("PULUMI_CONFIG", mergeConfig(t, "observability:quota", `{"requestsCpu":"1","limitsCpu":"1"}`))
	rec := pulumitest.New()
	err := pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, "prod", rec))
	require.ErrorContains(t, err, "observability:quota.limitsCpu")
	assert.Empty(t, rec.Keys(), "nothing is registered")
}

func mustQuantity(t *testing.T, s string) resource.Quantity {
	t.Helper()
	q, err := resource.ParseQuantity(s)
	require.NoError(t, err)
	return q
}

// mergeConfig is the program's current PULUMI_CONFIG with one key replaced.
func mergeConfig(t *testing.T, key, value string) string {
	t.Helper()
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(os.Getenv("PULUMI_CONFIG")), &m))
	m[key] = value
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}
