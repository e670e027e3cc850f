// Package workflows_test checks the repository's GitHub Actions workflows
// for the rules actionlint (run by scripts/test.sh) does not know: every
// action is pinned by commit, no job of a pull request holds a secret
// when the pull request comes from a fork, and every job that touches a
// deployed stack is in a concurrency group that never cancels a running
// update.
package workflows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

const root = "../../.github"

type concurrency struct {
	Group            string `json:"group"`
	CancelInProgress any    `json:"cancel-in-progress"`
}

type step struct {
	Uses string `json:"uses"`
}

type job struct {
	If          string            `json:"if"`
	Environment any               `json:"environment"`
	Concurrency *concurrency      `json:"concurrency"`
	Steps       []step            `json:"steps"`
	Env         map[string]string `json:"env"`
	raw         string
}

type workflow struct {
	// On is the triggers. YAML 1.1 reads the key `on` as true, and so does
	// the YAML-to-JSON conversion; readWorkflows takes either.
	On          map[string]any `json:"on"`
	OnAsTrue    map[string]any `json:"true"`
	Concurrency *concurrency   `json:"concurrency"`
	Jobs        map[string]job `json:"jobs"`
}

func readWorkflows(t *testing.T) map[string]workflow {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "workflows", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]workflow{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var w workflow
		require.NoError(t, yaml.Unmarshal(b, &w), f)
		// The jobs' own text, for the secrets they name.
		var raw struct {
			Jobs map[string]any `json:"jobs"`
		}
		require.NoError(t, yaml.Unmarshal(b, &raw))
		for name, j := range w.Jobs {
			y, err := yaml.Marshal(raw.Jobs[name])
			require.NoError(t, err)
			j.raw = string(y)
			w.Jobs[name] = j
		}
		if w.On == nil {
			w.On = w.OnAsTrue
		}
		require.NotEmpty(t, w.On, "%s has triggers", f)
		out[filepath.Base(f)] = w
	}
	return out
}

var pinned = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@]+)?@[0-9a-f]{40}$`)

func TestEveryActionIsPinnedByCommit(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "*", "*.yml"))
	require.NoError(t, err)
	more, err := filepath.Glob(filepath.Join(root, "actions", "*", "action.yml"))
	require.NoError(t, err)
	uses := regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	n := 0
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			ref, comment := m[1], strings.TrimSpace(m[2])
			if strings.HasPrefix(ref, "./") {
				continue
			}
			n++
			assert.Regexp(t, pinned, ref, "%s: %s is not pinned by a full commit", f, ref)
			assert.Regexp(t, `^# v[0-9]+\.[0-9]+\.[0-9]+$`, comment, "%s: %s says which release its commit is (# vX.Y.Z)", f, ref)
		}
	}
	assert.Positive(t, n, "the workflows use actions")
}

func TestNoPullRequestJobHoldsASecretForAFork(t *testing.T) {
	for file, w := range readWorkflows(t) {
		if _, ok := w.On["pull_request"]; !ok {
			continue
		}
		_, target := w.On["pull_request_target"]
		assert.False(t, target, "%s: pull_request_target runs with a write token and secrets on fork code", file)
		for name, j := range w.Jobs {
			if !strings.Contains(j.raw, "secrets.") && j.Environment == nil {
				continue
			}
			assert.Contains(t, j.If, "github.event.pull_request.head.repo.full_name == github.repository",
				"%s: job %s uses secrets or an environment and must not run for a fork", file, name)
		}
	}
}

func TestEveryJobThatTouchesAStackIsSerialised(t *testing.T) {
	for file, w := range readWorkflows(t) {
		for name, j := range w.Jobs {
			if j.Environment == nil {
				continue
			}
			c := j.Concurrency
			if c == nil {
				c = w.Concurrency
			}
			require.NotNil(t, c, "%s: job %s runs in an environment without a concurrency group", file, name)
			assert.Regexp(t, `(dev|prod|\$\{\{.*(stack|number).*\}\})`, c.Group, "%s: job %s: the group names the stack (or the pull request)", file, name)
			if strings.Contains(j.raw, "stackctl up") {
				assert.Equal(t, false, c.CancelInProgress, "%s: job %s updates a stack: a newer run must wait, never cancel it", file, name)
				assert.True(t, strings.HasPrefix(c.Group, "stack-"), "%s: job %s updates a stack: it shares the stack-<name> group with every other update", file, name)
			}
		}
	}
}
