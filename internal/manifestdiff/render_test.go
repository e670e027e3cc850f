package manifestdiff_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/manifestdiff"
)

// repoRoot is the checkout these tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout (%v): RenderRevision needs one", err)
	}
	return strings.TrimSpace(string(out))
}

// worktrees lists the repo's worktrees that RenderRevision made.
func worktrees(t *testing.T, repo string) []string {
	t.Helper()
	out, err := exec.Command("git", "-C", repo, "worktree", "list", "--porcelain").Output()
	require.NoError(t, err)
	var ours []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "worktree ") && strings.Contains(l, "manifestdiff-") && strings.HasSuffix(l, "/src") {
			ours = append(ours, strings.TrimPrefix(l, "worktree "))
		}
	}
	return ours
}

// TestRenderRevisionRefusals needs git but no tools: each case stops before
// the engine runs, and no worktree is left behind.
func TestRenderRevisionRefusals(t *testing.T) {
	if testing.Short() {
		t.Skip("RenderRevision tests skipped under -short: they add worktrees to the repository")
	}
	repo := repoRoot(t)
	before := worktrees(t, repo)
	cases := map[string]struct {
		opts    manifestdiff.RenderOptions
		is      error
		wantErr string
	}{
		"a revision without the stack is ErrStackNotFound": {
			opts: manifestdiff.RenderOptions{Ref: "HEAD", Stack: "no-such-stack"},
			is:   manifestdiff.ErrStackNotFound, wantErr: "has no Pulumi.no-such-stack.yaml",
		},
		"a name that is not a revision is an error naming it": {
			opts:    manifestdiff.RenderOptions{Ref: "no-such-branch-xyz", Stack: "local"},
			wantErr: `"no-such-branch-xyz" is not a commit`,
		},
		"a missing tools root says how to get one": {
			opts:    manifestdiff.RenderOptions{Ref: "HEAD", Stack: "local", ToolsRoot: filepath.Join(t.TempDir(), "none")},
			wantErr: "lacks bin/pulumi: run scripts/tools.sh",
		},
		"a stack name with a path in it is refused": {
			opts:    manifestdiff.RenderOptions{Ref: "HEAD", Stack: "../local"},
			wantErr: "is not a stack name",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			tc.opts.RepoDir, tc.opts.OutDir = repo, out
			err := manifestdiff.RenderRevision(context.Background(), tc.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			if tc.is != nil {
				assert.True(t, errors.Is(err, tc.is), "%v is not %v", err, tc.is)
			}
			assert.NoDirExists(t, out, "nothing is rendered")
			assert.Equal(t, before, worktrees(t, repo), "the temporary worktree is removed")
		})
	}
}

// TestRenderRevisionLive renders HEAD's local stack through the real
// engine, twice, and expects the two renders to be identical: renders are
// deterministic, so a PR diff shows only what the PR changed.
func TestRenderRevisionLive(t *testing.T) {
	root := livetest.PulumiTools(t)
	repo := repoRoot(t)
	before := worktrees(t, repo)
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-time.Minute))
		defer cancel()
	}

	var sets []manifestdiff.Set
	for _, out := range []string{"first", "second"} {
		dir := filepath.Join(t.TempDir(), out)
		start := time.Now()
		err := manifestdiff.RenderRevision(ctx, manifestdiff.RenderOptions{
			RepoDir: repo, Ref: "HEAD", Stack: "local", OutDir: dir, ToolsRoot: root, Progress: testWriter{t},
		})
		require.NoError(t, err)
		t.Logf("%s render of HEAD took %s", out, time.Since(start).Round(time.Second))
		set, err := manifestdiff.Load(dir)
		require.NoError(t, err)
		require.NotZero(t, set.Len(), "the local stack renders Kubernetes objects")
		sets = append(sets, set)
	}
	assert.Equal(t, before, worktrees(t, repo), "the temporary worktrees are removed")

	r := manifestdiff.Compare(sets[0], sets[1])
	assert.Zero(t, r.Summary.Total(), "two renders of one revision differ:\n%s", r.Markdown("HEAD vs HEAD"))
	assert.Equal(t, sets[0].Len(), r.Summary.Unchanged)
	assert.Contains(t, r.Markdown("local"), "No Kubernetes object differs")
	t.Logf("%d objects rendered", sets[0].Len())
}

// TestRenderRevisionCancelled cancels a render while it runs and expects the
// worktree to be gone afterwards.
func TestRenderRevisionCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("RenderRevision tests skipped under -short: they add worktrees to the repository")
	}
	repo := repoRoot(t)
	before := worktrees(t, repo)
	// Any directory with bin/pulumi{,-resource-kubernetes} passes the check;
	// the cancel comes while `go run` is still building.
	fake := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(fake, "bin"), 0o755))
	for _, b := range []string{"pulumi", "pulumi-resource-kubernetes"} {
		require.NoError(t, os.WriteFile(filepath.Join(fake, "bin", b), []byte("#!/bin/sh\nexit 1\n"), 0o755))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err := manifestdiff.RenderRevision(ctx, manifestdiff.RenderOptions{
		RepoDir: repo, Ref: "HEAD", Stack: "local", OutDir: filepath.Join(t.TempDir(), "out"), ToolsRoot: fake,
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, before, worktrees(t, repo), "the temporary worktree is removed")
}

// testWriter sends progress to the test log, so it shows with -v or on failure.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
