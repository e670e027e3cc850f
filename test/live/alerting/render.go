package alerting

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// RepoRoot is the repository root as seen from this package's directory,
// where go test runs it.
const RepoRoot = "../../.."

// Rendered is what the program renders for one stack that the alert path
// runs from: the configuration files exactly as the ConfigMaps carry them
// and every server's container arguments as the workloads carry them.
type Rendered struct {
	Stack string
	// PrometheusConfig is prometheus.yml.
	PrometheusConfig string
	// RuleFiles are the rule files by file name.
	RuleFiles map[string]string
	// AlertmanagerConfig is alertmanager.yml.
	AlertmanagerConfig string
	// AlertmanagerSecretKeys are the files the Alertmanager Secret holds
	// (the *_file fields of the configuration point at them).
	AlertmanagerSecretKeys []string
	// Args are container arguments by workload and container, e.g.
	// Args["prometheus"]["thanos-sidecar"].
	Args map[string]map[string][]string
	// Replicas are the workloads' replica counts.
	Replicas map[string]int
	// Pods are the workloads' pod specs.
	Pods []RenderedPod
}

// Workloads whose containers the alert path runs, by the key Rendered.Args
// uses, with their Pulumi resource keys (child names do not change: the
// render is compared byte for byte across refactors).
var workloads = map[string]string{
	"prometheus":       "kubernetes:apps/v1:StatefulSet::prometheus-statefulset",
	"alertmanager":     "kubernetes:apps/v1:StatefulSet::alertmanager-statefulset",
	"thanos-query":     "kubernetes:apps/v1:Deployment::thanos-query-deployment",
	"thanos-store":     "kubernetes:apps/v1:StatefulSet::thanos-store-statefulset",
	"thanos-compactor": "kubernetes:apps/v1:StatefulSet::thanos-compactor-statefulset",
}

const (
	prometheusConfigKey   = "kubernetes:core/v1:ConfigMap::prometheus-config"
	prometheusRulesKey    = "kubernetes:core/v1:ConfigMap::prometheus-rules"
	alertmanagerConfigKey = "kubernetes:core/v1:ConfigMap::alertmanager-config"
	alertmanagerSecretKey = "kubernetes:core/v1:Secret::alertmanager-secret"
)

// Render evaluates the program for a shipped stack under the recording mock
// (the stack file plus a test value for every secret) and returns what the
// alert path runs from. It is evaluated once per stack and process, and
// safe to call from parallel tests (the mock reads its configuration from
// the environment, which Render sets and restores under a lock).
func Render(t testing.TB, stack string) *Rendered {
	t.Helper()
	renderMu.Lock()
	defer renderMu.Unlock()
	if r, ok := renders[stack]; ok {
		return r
	}
	r, err := render(t, stack)
	if err != nil {
		t.Fatal(err)
	}
	renders[stack] = r
	return r
}

var (
	renderMu sync.Mutex
	renders  = map[string]*Rendered{}
)

func render(t testing.TB, stack string) (*Rendered, error) {
	f, err := stacks.ReadStackFile(RepoRoot, stack)
	if err != nil {
		return nil, fmt.Errorf("read stack %s: %w", stack, err)
	}
	values := maps.Clone(f.Source.Values)
	var secretKeys []string
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		values[key] = s.ValidValue("test-secret-value-for-" + s.Key)
		secretKeys = append(secretKeys, key)
	}
	restore, err := setEnvJSON(map[string]any{pulumi.EnvConfig: values, pulumi.EnvConfigSecretKeys: secretKeys})
	if err != nil {
		return nil, err
	}
	rec := pulumitest.New()
	err = pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, stack, rec))
	restore()
	if err != nil {
		return nil, fmt.Errorf("render stack %s: %w", stack, err)
	}
	r := &Rendered{Stack: stack, Args: map[string]map[string][]string{}, Replicas: map[string]int{}}
	r.PrometheusConfig = onlyFile(t, configMapData(t, rec, prometheusConfigKey), "prometheus.yml")
	r.RuleFiles = configMapData(t, rec, prometheusRulesKey)
	r.AlertmanagerConfig = onlyFile(t, configMapData(t, rec, alertmanagerConfigKey), "alertmanager.yml")
	secret := pulumitest.Plain(rec.Get(t, alertmanagerSecretKey))
	if data, ok := secret["stringData"].(map[string]any); ok {
		r.AlertmanagerSecretKeys = slices.Sorted(maps.Keys(data))
	}
	for name, key := range workloads {
		obj := pulumitest.Plain(rec.Get(t, key))
		spec, _ := obj["spec"].(map[string]any)
		if n, ok := spec["replicas"].(float64); ok {
			r.Replicas[name] = int(n)
		}
		pod := pulumitest.Dig(t, obj, "spec", "template", "spec").(map[string]any)
		r.Args[name] = map[string][]string{}
		for _, c := range pod["containers"].([]any) {
			cm := c.(map[string]any)
			var args []string
			for _, a := range asSlice(cm["args"]) {
				args = append(args, a.(string))
			}
			r.Args[name][cm["name"].(string)] = args
		}
		r.Pods = append(r.Pods, RenderedPod{Workload: name, Spec: pod})
	}
	return r, nil
}

// setEnvJSON sets each variable to its value as JSON and returns what
// puts the previous values back.
func setEnvJSON(vars map[string]any) (func(), error) {
	old := map[string]*string{}
	for k, v := range vars {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		os.Setenv(k, string(b))
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}, nil
}

// RenderedPod is one workload's pod spec as rendered, for assertions on
// what the harness cannot take from the arguments (environment).
type RenderedPod struct {
	Workload string
	Spec     map[string]any
}

// ContainerEnv is a rendered container's environment by variable name
// (each a Kubernetes EnvVar object).
func (r *Rendered) ContainerEnv(workload, container string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, p := range r.Pods {
		if p.Workload != workload {
			continue
		}
		for _, c := range asSlice(p.Spec["containers"]) {
			cm := c.(map[string]any)
			if cm["name"] != container {
				continue
			}
			for _, e := range asSlice(cm["env"]) {
				em := e.(map[string]any)
				out[em["name"].(string)] = em
			}
		}
	}
	return out
}

func configMapData(t testing.TB, rec *pulumitest.Recorder, key string) map[string]string {
	t.Helper()
	data, ok := pulumitest.Plain(rec.Get(t, key))["data"].(map[string]any)
	if !ok {
		t.Fatalf("%s has no data", key)
	}
	out := map[string]string{}
	for k, v := range data {
		out[k] = v.(string)
	}
	return out
}

func onlyFile(t testing.TB, files map[string]string, name string) string {
	t.Helper()
	s, ok := files[name]
	if !ok {
		t.Fatalf("no %s among %v", name, slices.Sorted(maps.Keys(files)))
	}
	return s
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// Flag is the value of --name=value in args, and whether it is there.
func Flag(args []string, name string) (string, bool) {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// Container is one rendered container's arguments, or fails the test.
func (r *Rendered) Container(t testing.TB, workload, container string) []string {
	t.Helper()
	args, ok := r.Args[workload][container]
	if !ok {
		t.Fatalf("rendered %s has no container %q (has %v)", workload, container, slices.Sorted(maps.Keys(r.Args[workload])))
	}
	return slices.Clone(args)
}

// Rewrite replaces the values of the named flags in args (--name=value)
// and drops the flags mapped to the empty string, so a rendered command line
// runs on loopback with the test's paths; every other argument is kept as
// rendered. A flag to replace that the rendered arguments lack is an error:
// the rendering changed and the harness must follow it.
func Rewrite(args []string, values map[string]string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, a := range args {
		name, _, isFlag := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		v, replace := values[name]
		if !isFlag || !strings.HasPrefix(a, "--") || !replace {
			out = append(out, a)
			continue
		}
		seen[name] = true
		if v != "" {
			out = append(out, "--"+name+"="+v)
		}
	}
	var missing []string
	for name := range values {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("the rendered arguments %q have no %v", args, missing)
	}
	return out, nil
}
