package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/manifestdiff/manifestdifftest"
	"github.com/klearkarma/observability/internal/pulumitest"
)

// prCommentInputs lays out what the pull-request workflow hands to
// pr-comment: each stack's `diff --json` (made here from the manifestdiff
// fixtures, so the comment follows that package's real output), the real
// previews of dev and prod (testdata: prod replaces a protected namespace
// and a StatefulSet), local's note saying why it has no preview, and the
// policy tests' `go test -json` output.
func prCommentInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	base, head := manifestdifftest.Dirs(t)
	for _, stack := range []string{"local", "dev", "prod"} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"--json", "--base-dir", base, "--head-dir", head, "diff", stack}, &stdout, &stderr)
		require.Equal(t, 0, code, stderr.String())
		require.NoError(t, os.WriteFile(filepath.Join(dir, "diff-"+stack+".json"), stdout.Bytes(), 0o644))
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "prcomment", "in"))
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", "prcomment", "in", e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644))
	}
	return dir
}

func prCommentArgs(in string, extra ...string) []string {
	args := []string{"--in", in, "--policy", filepath.Join("testdata", "prcomment", "policy.json"),
		"--base", "origin/main", "--commit", "0123456789abcdef0123456789abcdef01234567", "--run-url", "https://github.com/klearkarma/observability/actions/runs/1"}
	return append(append(args, extra...), "pr-comment", "local", "dev", "prod")
}

func TestThePullRequestComment(t *testing.T) {
	in := prCommentInputs(t)
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(prCommentArgs(in), &stdout, &stderr), stderr.String())
	got := stdout.String()
	pulumitest.Golden(t, filepath.Join("testdata", "prcomment", "comment.md"), []byte(got))

	t.Run("it starts with the marker the workflow finds it by", func(t *testing.T) {
		assert.True(t, strings.HasPrefix(got, commentMarker+"\n"))
	})
	t.Run("every stack has a row and a section", func(t *testing.T) {
		for _, s := range []string{"local", "dev", "prod"} {
			assert.Contains(t, got, "| `"+s+"` |")
			assert.Contains(t, got, "### Stack `"+s+"`")
		}
	})
	t.Run("the data warnings are at the top, before any stack", func(t *testing.T) {
		caution := strings.Index(got, "[!CAUTION]")
		require.GreaterOrEqual(t, caution, 0)
		assert.Less(t, caution, strings.Index(got, "### Stack"))
		assert.Contains(t, got, "2 step(s) delete or replace resources that hold data")
		assert.Contains(t, got, `platform-traces-namespace`)
	})
	t.Run("a failed policy check shows what it printed", func(t *testing.T) {
		assert.Contains(t, got, "TestKubeScore/prod/Deployment_monitoring.grafana")
		assert.Contains(t, got, "❌ 1 failed")
	})
	t.Run("secret values never appear, only that a key changed", func(t *testing.T) {
		for _, secret := range []string{"bmV3LXNtdHAtUzNjcmV0Pw==", "new-smtp-S3cret?", "ZnJlc2gtYXBpLVQwa2Vu", "fresh-api-T0ken"} {
			assert.NotContains(t, got, secret)
		}
		assert.Contains(t, got, "smtp-password")
	})
	t.Run("a missing part says why", func(t *testing.T) {
		assert.Contains(t, got, "Not run: local renders offline and is never deployed")
	})
}

func TestAPullRequestCommentFitsTheLimit(t *testing.T) {
	in := prCommentInputs(t)
	for _, limit := range []int{4000, 9000, 20000} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run(prCommentArgs(in, "--max-chars", itoa(limit)), &stdout, &stderr), stderr.String())
		got := stdout.String()
		assert.LessOrEqual(t, len(got), limit, "limit %d", limit)
		assert.True(t, utf8.ValidString(got), "limit %d: cut inside a character", limit)
		assert.True(t, strings.HasPrefix(got, commentMarker), "limit %d: the marker survives", limit)
		assert.Contains(t, got, "[!CAUTION]", "limit %d: the data warnings survive", limit)
	}
}

func TestPullRequestCommentInputsAreChecked(t *testing.T) {
	pulumitest.Cases(t, map[string]struct {
		files   map[string]string
		wantErr string
	}{
		"a diff file of another shape names the command that writes it": {
			files:   map[string]string{"diff-dev.json": `{"schema":"something/v0"}`},
			wantErr: "write it with this revision's `stackctl diff --json`",
		},
		"a preview file that is not JSON is refused": {
			files:   map[string]string{"preview-dev.json": `not json`},
			wantErr: "preview-dev.json is not `stackctl preview --json` output",
		},
	}, func(t *testing.T, tc struct {
		files   map[string]string
		wantErr string
	}) {
		dir := t.TempDir()
		for name, body := range tc.files {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
		}
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 1, run([]string{"--in", dir, "pr-comment", "dev"}, &stdout, &stderr))
		assert.Contains(t, stderr.String(), tc.wantErr)
	})
}

func TestAStackWithNothingYetStillGetsItsSection(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"--in", t.TempDir(), "pr-comment", "dev"}, &stdout, &stderr), stderr.String())
	got := stdout.String()
	assert.Contains(t, got, "| `dev` | not run | no render (see below) | not run |")
	assert.Contains(t, got, "this run has no credentials for the stack")
}

func itoa(n int) string { return strconv.Itoa(n) }

// The nightly drift check reuses the composer for its issue: the stack's
// drift preview and `refresh --preview-only`, under its own title.
func TestTheDriftIssueBody(t *testing.T) {
	dir := t.TempDir()
	for src, dst := range map[string]string{"in/preview-prod.json": "preview-prod.json", "refresh-prod.json": "refresh-prod.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "prcomment", src))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, dst), b, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "diff-prod.txt"), []byte("the drift check compares the deployed stack, not a render\n"), 0o644))
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"--in", dir, "--title", "Drift on stack prod", "pr-comment", "prod"}, &stdout, &stderr), stderr.String())
	got := stdout.String()
	pulumitest.Golden(t, filepath.Join("testdata", "prcomment", "drift-issue.md"), []byte(got))
	assert.Contains(t, got, "## Drift on stack prod\n")
	assert.Contains(t, got, "`refresh --preview-only`")
	assert.Contains(t, got, "3 step(s) delete or replace resources that hold data", "the refresh's warning joins the preview's")
	assert.Contains(t, got, "metrics-bucket-lifecycle")
}
