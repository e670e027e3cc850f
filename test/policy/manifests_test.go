// Package policy_test checks the Kubernetes objects the program renders
// against policies: kube-score's checks and the platform's connectivity
// table, evaluated by a NetworkPolicy evaluator (internal/netpol). The
// objects come from evaluating the program under the recording mock for a
// shipped stack: the same inputs the kubernetes provider renders, without
// running the engine, so these tests run under -short too.
package policy_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// manifest is one rendered Kubernetes object.
type manifest struct {
	Kind, Namespace, Name string
	Object                map[string]any
}

// stackConfig sets the mock program's config to a shipped stack file with
// test values for its secrets.
func stackConfig(t testing.TB, stack string) {
	t.Helper()
	f, err := stacks.ReadStackFile("../..", stack)
	require.NoError(t, err)
	values := f.Source.Values
	var secretKeys []string
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		values[key] = s.ValidValue("policy-test-secret-" + s.Key + "-0123456789abcdef")
		secretKeys = append(secretKeys, key)
	}
	pulumitest.WithConfig(t, values, secretKeys)
}

// manifests evaluates the program for a stack under the mock and returns
// every Kubernetes object it registers (providers excluded), sorted by
// kind, namespace and name.
func manifests(t testing.TB, stack string) []manifest {
	t.Helper()
	stackConfig(t, stack)
	rec := pulumitest.New()
	require.NoError(t, pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, stack, rec)))
	var out []manifest
	for _, key := range rec.Keys() {
		typ, _, _ := strings.Cut(key, "::")
		if !strings.HasPrefix(typ, "kubernetes:") {
			continue
		}
		obj := pulumitest.Plain(rec.Get(t, key))
		// kubernetes:<group>/<version>:<Kind>; core is "core/v1" -> "v1".
		parts := strings.Split(strings.TrimPrefix(typ, "kubernetes:"), ":")
		gv, kind := parts[0], parts[1]
		gv = strings.TrimPrefix(gv, "core/")
		obj["apiVersion"], obj["kind"] = gv, kind
		meta, _ := obj["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		name, _ := meta["name"].(string)
		out = append(out, manifest{Kind: kind, Namespace: ns, Name: name, Object: obj})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Kind+"/"+a.Namespace+"/"+a.Name < b.Kind+"/"+b.Namespace+"/"+b.Name
	})
	return out
}

// TestEveryStackGivesEachObjectOnce checks the evaluation the policy tests
// read: every shipped stack registers Kubernetes objects, each with an
// apiVersion, a kind and a name, and no two with the same kind, namespace
// and name (the API server would refuse the second).
func TestEveryStackGivesEachObjectOnce(t *testing.T) {
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			objs := manifests(t, stack)
			require.NotEmpty(t, objs)
			seen := map[string]bool{}
			for _, m := range objs {
				require.NotEmpty(t, m.Object["apiVersion"], "%s/%s", m.Kind, m.Name)
				require.NotEmpty(t, m.Name, "a %s without a name", m.Kind)
				id := m.Kind + "/" + m.Namespace + "/" + m.Name
				require.False(t, seen[id], "%s registered twice", id)
				seen[id] = true
			}
		})
	}
}
