package manifestdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrStackNotFound says the revision has no Pulumi.<stack>.yaml: a stack
// the pull request adds. Compare against MissingSet then.
var ErrStackNotFound = errors.New("the revision has no such stack")

// RenderOptions say which revision of which stack to render, and where.
type RenderOptions struct {
	// RepoDir is any checkout (main worktree or linked) of the repository.
	RepoDir string
	// Ref is any revision git accepts: a branch, tag, SHA, "HEAD", "origin/main".
	Ref string
	// Stack is the stack name, e.g. "local" (Pulumi.local.yaml).
	Stack string
	// OutDir receives the render (0-crd/, 1-manifest/); made absolute
	// against the current directory and created if missing. stackctl
	// replaces its 0-crd/ and 1-manifest/ sub-directories.
	OutDir string
	// ToolsRoot holds bin/pulumi and bin/pulumi-resource-kubernetes
	// (scripts/tools.sh prints it); empty means $KK_TOOLS_ROOT.
	ToolsRoot string
	// Progress receives git's and stackctl's output; nil discards it.
	Progress io.Writer
}

// RenderRevision renders one revision of a stack offline into OutDir: it
// checks the revision out with `git worktree add --detach` into a temporary
// directory, runs `go run ./cmd/stackctl --tools-root <root> --render-dir
// <OutDir> render <stack>` there (the real engine, stand-in plugins, a
// throwaway backend), and removes the worktree again, also on error or
// cancellation. A revision without the stack returns an error wrapping
// ErrStackNotFound and leaves OutDir untouched.
func RenderRevision(ctx context.Context, o RenderOptions) (err error) {
	r, err := resolveRevision(ctx, o)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "manifestdiff-"+o.Stack+"-")
	if err != nil {
		return fmt.Errorf("render revision: temporary worktree: %w", err)
	}
	wt := filepath.Join(tmp, "src")
	defer func() {
		if e := removeWorktree(r.repo, tmp, wt); e != nil && err == nil {
			err = e
		}
	}()
	fmt.Fprintf(r.progress, "manifestdiff: checking out %s (%s) into %s\n", o.Ref, shortSHA(r.sha), wt)
	if _, err := git(ctx, r.repo, r.progress, "worktree", "add", "--detach", wt, r.sha); err != nil {
		return fmt.Errorf("render revision: check out %s: %w", o.Ref, err)
	}
	root, err := prepareRender(o, r, wt)
	if err != nil {
		return err
	}
	return runRender(ctx, o, r, wt, root)
}

// revision is a RenderRevision's inputs made absolute and resolved.
type revision struct {
	// out and repo are the absolute OutDir and RepoDir; sha is the commit
	// Ref names.
	out, repo, sha string
	progress       io.Writer
}

// resolveRevision checks the options and resolves them: absolute
// directories, the commit, and a progress writer that is never nil.
func resolveRevision(ctx context.Context, o RenderOptions) (revision, error) {
	if o.RepoDir == "" || o.Ref == "" || o.Stack == "" || o.OutDir == "" {
		return revision{}, fmt.Errorf("render revision: RepoDir %q, Ref %q, Stack %q and OutDir %q must all be set", o.RepoDir, o.Ref, o.Stack, o.OutDir)
	}
	if strings.ContainsAny(o.Stack, `/\`) || strings.HasPrefix(o.Stack, "-") {
		return revision{}, fmt.Errorf("render revision: stack %q is not a stack name (Pulumi.<stack>.yaml)", o.Stack)
	}
	r := revision{progress: o.Progress}
	if r.progress == nil {
		r.progress = io.Discard
	}
	var err error
	if r.out, err = filepath.Abs(o.OutDir); err != nil {
		return revision{}, fmt.Errorf("render revision: output directory %s: %w", o.OutDir, err)
	}
	if r.repo, err = filepath.Abs(o.RepoDir); err != nil {
		return revision{}, fmt.Errorf("render revision: repository %s: %w", o.RepoDir, err)
	}
	r.sha, err = git(ctx, r.repo, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", o.Ref+"^{commit}")
	if err != nil {
		return revision{}, fmt.Errorf("render revision: %q is not a commit in %s: fetch it first (git fetch origin %s) or name another revision: %w", o.Ref, r.repo, o.Ref, err)
	}
	return r, nil
}

// removeWorktree removes the temporary worktree wt and its directory tmp.
// It must run even when the render's ctx is already cancelled, so it gets
// its own.
func removeWorktree(repo, tmp, wt string) error {
	cctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var errs []error
	if _, statErr := os.Stat(wt); statErr == nil {
		if _, e := git(cctx, repo, nil, "worktree", "remove", "--force", wt); e != nil {
			errs = append(errs, e)
		}
	}
	if e := os.RemoveAll(tmp); e != nil {
		errs = append(errs, e)
	}
	if _, e := git(cctx, repo, nil, "worktree", "prune"); e != nil {
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		return fmt.Errorf("render revision: remove the temporary worktree %s (then run git worktree prune): %w", wt, errors.Join(errs...))
	}
	return nil
}

// prepareRender checks that the checkout wt has the stack and a stackctl,
// that the tools are there, and makes the output directory; it returns the
// tools root.
func prepareRender(o RenderOptions, r revision, wt string) (string, error) {
	if _, err := os.Stat(filepath.Join(wt, "Pulumi."+o.Stack+".yaml")); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s (%s) has no Pulumi.%s.yaml", ErrStackNotFound, o.Ref, shortSHA(r.sha), o.Stack)
	}
	if _, err := os.Stat(filepath.Join(wt, "cmd", "stackctl")); err != nil {
		return "", fmt.Errorf("render revision: %s (%s) has no cmd/stackctl, so it cannot be rendered offline; compare against a newer base", o.Ref, shortSHA(r.sha))
	}
	root := o.ToolsRoot
	if root == "" {
		root = os.Getenv("KK_TOOLS_ROOT")
	}
	if err := checkTools(root); err != nil {
		return "", fmt.Errorf("render revision: %w", err)
	}
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		return "", fmt.Errorf("render revision: output directory %s: %w", r.out, err)
	}
	return root, nil
}

// runRender runs the checkout's own stackctl render into the output
// directory, and kills what it started when ctx ends.
func runRender(ctx context.Context, o RenderOptions, r revision, wt, root string) error {
	fmt.Fprintf(r.progress, "manifestdiff: rendering stack %s at %s into %s\n", o.Stack, shortSHA(r.sha), r.out)
	cmd := exec.CommandContext(ctx, "go", "run", "./cmd/stackctl",
		"--tools-root", root, "--render-dir", r.out, "render", o.Stack)
	cmd.Dir = wt
	cmd.Env = renderEnv(os.Environ())
	cmd.Stdout, cmd.Stderr = r.progress, r.progress
	sweep := killGroup(cmd)
	// After a cancel, give the engine time to stop before the kill.
	cmd.WaitDelay = 30 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		sweep()
		return fmt.Errorf("render revision: stackctl render %s at %s (%s) stopped: %w", o.Stack, o.Ref, shortSHA(r.sha), context.Cause(ctx))
	}
	if err != nil {
		return fmt.Errorf("render revision: stackctl render %s at %s (%s): %w; its output (RenderOptions.Progress) says why; to retry by hand, check that revision out and run the same command", o.Stack, o.Ref, shortSHA(r.sha), err)
	}
	return nil
}

// renderEnv keeps the render offline, in its own module, and cheap: a state
// backend from the environment would be used instead of a throwaway one by
// revisions whose stackctl honours it; a go.work above the temp dir would
// pull in other modules; and without -trimpath the Go build cache keys the
// repo's packages by the worktree's path, which is new every time, so every
// render would recompile them (go run and stackctl's own go build of the
// stand-in plugin both read GOFLAGS).
func renderEnv(env []string) []string {
	out := make([]string, 0, len(env)+2)
	goflags := "-trimpath"
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "PULUMI_BACKEND_URL="), strings.HasPrefix(kv, "GOWORK="):
			continue
		case strings.HasPrefix(kv, "GOFLAGS="):
			if v := strings.TrimPrefix(kv, "GOFLAGS="); v != "" {
				goflags = v + " " + goflags
			}
			continue
		}
		out = append(out, kv)
	}
	return append(out, "GOWORK=off", "GOFLAGS="+goflags)
}

func checkTools(root string) error {
	if root == "" {
		return errors.New("no Pulumi tools root: set RenderOptions.ToolsRoot or KK_TOOLS_ROOT to what scripts/tools.sh prints")
	}
	for _, b := range []string{"pulumi", "pulumi-resource-kubernetes"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			return fmt.Errorf("tools root %s lacks bin/%s: run scripts/tools.sh and pass what it prints", root, b)
		}
	}
	return nil
}

// git runs git in dir and returns its trimmed stdout; stderr goes to
// progress (when set) and into the error.
func git(ctx context.Context, dir string, progress io.Writer, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if progress != nil {
		cmd.Stderr = io.MultiWriter(&stderr, progress)
	}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
	}
	return strings.TrimSpace(stdout.String()), nil
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
