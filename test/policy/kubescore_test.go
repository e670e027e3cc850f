package policy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/pins"
)

// kube-score's CRITICAL grade (scorecard.GradeCritical).
const gradeCritical = 1

// scoredObject is one object of kube-score's JSON output (format v2).
type scoredObject struct {
	ObjectName string `json:"object_name"`
	TypeMeta   struct {
		Kind string `json:"kind"`
	} `json:"type_meta"`
	ObjectMeta struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"object_meta"`
	Checks []struct {
		Check struct {
			ID string `json:"id"`
		} `json:"check"`
		Grade    int  `json:"grade"`
		Skipped  bool `json:"skipped"`
		Comments []struct {
			Path    string `json:"path"`
			Summary string `json:"summary"`
		} `json:"comments"`
	} `json:"checks"`
}

func (o scoredObject) ref() string {
	return fmt.Sprintf("%s %s/%s", o.TypeMeta.Kind, o.ObjectMeta.Namespace, o.ObjectMeta.Name)
}

// buildKubeScore builds the pinned kube-score (its own module,
// tools/kubescore) into a temporary directory, or skips under -short: the
// first build compiles kube-score and its Kubernetes libraries; later ones
// come from the Go build cache in seconds.
func buildKubeScore(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("live: builds kube-score from tools/kubescore; runs without -short")
	}
	bin := filepath.Join(t.TempDir(), "kube-score")
	cmd := exec.Command("go", "build", "-modfile", "tools/kubescore/go.mod", "-o", bin, "github.com/zegl/kube-score/cmd/kube-score")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build kube-score from tools/kubescore (run `go mod download -modfile tools/kubescore/go.mod` if modules are missing):\n%s", out)
	return bin
}

// writeManifests writes each object to its own YAML file in dir, named by
// kind, namespace and name, and returns the paths.
func writeManifests(t testing.TB, dir string, objs []manifest) []string {
	t.Helper()
	var files []string
	for _, m := range objs {
		b, err := yaml.Marshal(m.Object)
		require.NoError(t, err)
		ns := m.Namespace
		if ns == "" {
			ns = "default"
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.yaml", strings.ToLower(m.Kind), ns, m.Name))
		require.NoError(t, os.WriteFile(path, b, 0o644))
		files = append(files, path)
	}
	return files
}

// kubernetesVersion is the minor version kube-score checks API versions
// against: the control plane the live tests deploy to.
func kubernetesVersion() string {
	parts := strings.SplitN(pins.KubernetesControlPlane, ".", 3)
	return "v" + parts[0] + "." + parts[1]
}

// score runs kube-score on the files and returns what it says of each
// object. Objects carry no kube-score/ignore annotations: the waivers are
// the table below, so a reader finds every one, and its reason, in one
// place.
func score(t *testing.T, bin string, files []string) []scoredObject {
	t.Helper()
	args := []string{"score", "--output-format", "json", "--kubernetes-version", kubernetesVersion()}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, append(args, files...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// kube-score exits 1 when something is CRITICAL: the JSON says what.
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Fatalf("kube-score: %v\n%s", err, stderr.String())
		}
	}
	var objs []scoredObject
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &objs), "kube-score's JSON output:\n%s", stderr.String())
	require.NotEmpty(t, objs, "kube-score scored nothing")
	return objs
}

// waiver accepts one kube-score check as CRITICAL on the objects it names,
// for a reason. Objects is a path.Match pattern on "Kind namespace/name"
// (its "*" stops at the slash), or "*" for every object; Containers, when set, limits the waiver to those
// containers: a CRITICAL that any other container of the object also
// triggers is not waived.
type waiver struct {
	Check, Objects string
	Containers     []string
	Reason         string
}

// kubeScoreWaivers are the CRITICAL checks the platform accepts, few and
// each with its reason. Everything else kube-score finds is fixed in the
// component. A waiver that no stack needs fails the test: it would hide
// the next real failure of its check.
var kubeScoreWaivers = []waiver{
	{
		Check: "container-image-pull-policy", Objects: "*",
		Reason: "every image is an exact version pinned in internal/pins and pulled from a public registry " +
			"without imagePullSecrets: IfNotPresent (the default for a tagged image) runs exactly that image and " +
			"there is no pull secret to re-validate, while Always would make every pod restart depend on the " +
			"registry being reachable, and the platform is needed most when other things are down",
	},
	{
		Check: "container-security-context-user-group-id", Objects: "StatefulSet logging/elasticsearch",
		Reason: "the Elastic images own their home (/usr/share/elasticsearch) as uid 1000 and support no other " +
			"user without re-owning the image's files; the pod still runs as non-root with a read-only root and no capabilities",
	},
	{
		Check: "container-security-context-user-group-id", Objects: "Job logging/elasticsearch-*",
		Reason: "the certificate and setup Jobs run the Elasticsearch image's tools (elasticsearch-certutil, curl) " +
			"as the image's uid 1000, like the nodes",
	},
	{
		Check: "container-security-context-user-group-id", Objects: "Deployment logging/kibana",
		Reason: "the Kibana image owns its home as uid 1000, like Elasticsearch's",
	},
	{
		Check: "container-security-context-user-group-id", Objects: "StatefulSet logging/logstash",
		Reason: "the Logstash image owns its home as uid 1000, like Elasticsearch's",
	},
	{
		Check: "container-security-context-privileged", Objects: "StatefulSet logging/elasticsearch", Containers: []string{"max-map-count"},
		Reason: "Elasticsearch refuses to start under vm.max_map_count 262144, a node kernel setting only a " +
			"privileged container can write; the init container runs sysctl and nothing else, and a stack whose " +
			"nodes are configured already sets elasticsearch.maxMapCount to node and has no such container",
	},
	{
		Check: "container-security-context-user-group-id", Objects: "DaemonSet logging/fluentd",
		Reason: "Fluentd reads every container's log under /var/log/pods, which the kubelet writes readable by " +
			"root only; it runs as root with no capability and no privilege escalation",
	},
	{
		Check: "container-security-context-readonlyrootfilesystem", Objects: "DaemonSet logging/fluentd",
		Reason: "the image's entrypoint starts Fluentd through Bundler (--gemfile), which may write under /fluentd; " +
			"a read-only root is for when a live run proves it does not (no container runtime here to prove it)",
	},
}

// waives says whether w covers a CRITICAL check of object ref whose
// comments name these containers.
func (w waiver) waives(check, ref string, containers []string) bool {
	if w.Check != check {
		return false
	}
	if ok, err := path.Match(w.Objects, ref); w.Objects != "*" && (err != nil || !ok) {
		return false
	}
	for _, c := range containers {
		if len(w.Containers) > 0 && !slices.Contains(w.Containers, c) {
			return false
		}
	}
	return true
}

// unwaived lists, per object, each CRITICAL check no waiver covers and
// what kube-score says about it, and marks the waivers used.
func unwaived(objs []scoredObject, used map[int]bool) map[string][]string {
	out := map[string][]string{}
	for _, o := range objs {
		for _, c := range o.Checks {
			if c.Skipped || c.Grade != gradeCritical {
				continue
			}
			var why, containers []string
			for _, cm := range c.Comments {
				if cm.Path != "" {
					why = append(why, cm.Path+": "+cm.Summary)
					containers = append(containers, cm.Path)
				} else {
					why = append(why, cm.Summary)
				}
			}
			waived := false
			for i, w := range kubeScoreWaivers {
				if w.waives(c.Check.ID, o.ref(), containers) {
					used[i], waived = true, true
				}
			}
			if !waived {
				out[o.ref()] = append(out[o.ref()], fmt.Sprintf("%s (%s)", c.Check.ID, strings.Join(why, "; ")))
			}
		}
	}
	return out
}

func summary(byObject map[string][]string) string {
	refs := make([]string, 0, len(byObject))
	for r := range byObject {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	var b strings.Builder
	for _, r := range refs {
		fmt.Fprintf(&b, "  %s\n", r)
		for _, line := range byObject[r] {
			fmt.Fprintf(&b, "    - %s\n", line)
		}
	}
	return b.String()
}

// Every shipped stack's objects, exactly as the kubernetes provider receives
// them, score no CRITICAL with the pinned kube-score that a waiver of
// kubeScoreWaivers does not explain, and every waiver explains something in
// some stack.
func TestKubeScoreFindsNothingCriticalThatIsNotExplained(t *testing.T) {
	bin := buildKubeScore(t)
	used := map[int]bool{}
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			files := writeManifests(t, t.TempDir(), manifests(t, stack))
			if c := unwaived(score(t, bin, files), used); len(c) > 0 {
				t.Errorf("kube-score finds CRITICAL checks in the %s stack that no waiver explains; fix the component, "+
					"or add a waiver with its reason to kubeScoreWaivers:\n%s", stack, summary(c))
			}
		})
	}
	if t.Failed() {
		return
	}
	for i, w := range kubeScoreWaivers {
		require.NotEmpty(t, strings.TrimSpace(w.Reason), "waiver %s on %s has no reason", w.Check, w.Objects)
		if !used[i] {
			t.Errorf("waiver %s on %s covers nothing in any stack; remove it from kubeScoreWaivers", w.Check, w.Objects)
		}
	}
}
