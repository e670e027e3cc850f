package policy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

// kube-score's grades (scorecard.Grade).
const (
	gradeCritical = 1
	gradeOK       = 10
)

// scoredObject is one object of kube-score's JSON output (format v2).
type scoredObject struct {
	ObjectName string `json:"object_name"`
	TypeMeta   struct {
		Kind string `json:"kind"`
	} `json:"type_meta"`
	ObjectMeta struct {
		Name        string            `json:"name"`
		Namespace   string            `json:"namespace"`
		Annotations map[string]string `json:"annotations"`
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
// tools/kubescore) into a temporary directory: from the build cache it takes
// a second or two, so the policy runs under -short too.
func buildKubeScore(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kube-score")
	cmd := exec.Command("go", "build", "-modfile", "tools/kubescore/go.mod", "-o", bin, "github.com/zegl/kube-score/cmd/kube-score")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build kube-score from tools/kubescore (run `go mod download -modfile tools/kubescore/go.mod` if modules are missing):\n%s", out)
	return bin
}

// kubernetesVersion is the minor version kube-score checks API versions
// against: the control plane the live tests deploy to.
func kubernetesVersion() string {
	parts := strings.SplitN(pins.KubernetesControlPlane, ".", 3)
	return "v" + parts[0] + "." + parts[1]
}

// score runs kube-score on the files; honourIgnores false scores as if no
// object carried a kube-score/ignore annotation.
func score(t *testing.T, bin string, files []string, honourIgnores bool) []scoredObject {
	t.Helper()
	args := []string{"score", "--output-format", "json", "--kubernetes-version", kubernetesVersion()}
	if !honourIgnores {
		args = append(args, "--disable-ignore-checks-annotations")
	}
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

// criticals lists, per object, each CRITICAL check and what kube-score
// says about it.
func criticals(objs []scoredObject) map[string][]string {
	out := map[string][]string{}
	for _, o := range objs {
		for _, c := range o.Checks {
			if c.Skipped || c.Grade != gradeCritical {
				continue
			}
			var why []string
			for _, cm := range c.Comments {
				if cm.Path != "" {
					why = append(why, cm.Path+": "+cm.Summary)
				} else {
					why = append(why, cm.Summary)
				}
			}
			out[o.ref()] = append(out[o.ref()], fmt.Sprintf("%s (%s)", c.Check.ID, strings.Join(why, "; ")))
		}
	}
	return out
}

// staleWaivers lists the ignore annotations whose check, scored without
// them, is not failing: a waiver that explains nothing hides the next real
// failure of that check.
func staleWaivers(unwaived []scoredObject) map[string][]string {
	out := map[string][]string{}
	for _, o := range unwaived {
		ignored := o.ObjectMeta.Annotations[workload.KubeScoreIgnoreAnnotation]
		if ignored == "" {
			continue
		}
		failing := map[string]bool{}
		for _, c := range o.Checks {
			if !c.Skipped && c.Grade < gradeOK {
				failing[c.Check.ID] = true
			}
		}
		for _, id := range strings.Split(ignored, ",") {
			if id = strings.TrimSpace(id); !failing[id] {
				out[o.ref()] = append(out[o.ref()], id)
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
// them, score no CRITICAL with kube-score that a waiver does not explain: a
// kube-score/ignore annotation set from workload.Waivers, whose reason sits
// next to it in the component. A waiver whose check passes anyway is stale
// and fails too.
func TestKubeScoreFindsNothingCriticalThatIsNotExplained(t *testing.T) {
	bin := buildKubeScore(t)
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			files := writeManifests(t, t.TempDir(), manifests(t, stack))
			scored := score(t, bin, files, true)
			if c := criticals(scored); len(c) > 0 {
				t.Errorf("kube-score finds CRITICAL checks no waiver explains in the %s stack; fix the workload, or waive "+
					"the check with a reason (workload.Waivers in the component):\n%s", stack, summary(c))
			}
			if s := staleWaivers(score(t, bin, files, false)); len(s) > 0 {
				t.Errorf("waived checks that pass anyway in the %s stack; remove them from the component's waivers:\n%s", stack, summary(s))
			}
		})
	}
}
