package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klearkarma/observability/internal/manifestdiff"
)

// diffOptions say what `stackctl diff` compares: a base git revision (or an
// existing render of it) with the working tree (or an existing render).
type diffOptions struct {
	base, baseDir, headDir string
	json                   bool
	maxChars               int
}

// diffStack renders the stack offline at the base revision and in the
// working tree (unless given existing renders), and prints what changes
// between the two: Markdown for a pull-request comment, or JSON. Secret
// values never appear, only which keys changed.
func diffStack(ctx context.Context, stack string, o options, d diffOptions, stdout io.Writer) error {
	if d.base == "" && d.baseDir == "" {
		return errors.New("diff needs --base <git ref> or --base-dir <render>")
	}
	tmp, err := os.MkdirTemp("", "stackctl-diff-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	base, err := diffBase(ctx, stack, o, d, filepath.Join(tmp, "base"))
	if err != nil {
		return err
	}
	headDir := d.headDir
	if headDir == "" {
		headDir = filepath.Join(tmp, "head")
		ho := o
		ho.renderDir = headDir
		if _, err := execute(ctx, "up", stack, ho); err != nil {
			return fmt.Errorf("render the working tree: %w", err)
		}
	}
	head, err := manifestdiff.Load(headDir)
	if err != nil {
		return err
	}
	report := manifestdiff.Compare(base, head)
	if d.json {
		b, err := report.JSON()
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	}
	title := fmt.Sprintf("Stack `%s`: rendered Kubernetes objects", stack)
	if d.base != "" {
		title += fmt.Sprintf(" (base `%s`)", d.base)
	}
	_, err = io.WriteString(stdout, report.Markdown(title, manifestdiff.MaxChars(d.maxChars)))
	return err
}

// diffBase loads the base render: an existing directory, or a fresh render
// of the base revision (empty when the revision has no such stack yet).
func diffBase(ctx context.Context, stack string, o options, d diffOptions, dir string) (manifestdiff.Set, error) {
	if d.baseDir != "" {
		return manifestdiff.LoadOptional(d.baseDir)
	}
	repo, err := filepath.Abs(o.projectDir)
	if err != nil {
		return manifestdiff.Set{}, err
	}
	err = manifestdiff.RenderRevision(ctx, manifestdiff.RenderOptions{
		RepoDir: repo, Ref: d.base, Stack: stack, OutDir: dir, ToolsRoot: o.toolsRoot, Progress: o.progress,
	})
	switch {
	case errors.Is(err, manifestdiff.ErrStackNotFound):
		return manifestdiff.MissingSet(dir), nil
	case err != nil:
		return manifestdiff.Set{}, fmt.Errorf("render %s at %s: %w", stack, d.base, err)
	}
	return manifestdiff.Load(dir)
}
