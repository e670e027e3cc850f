// Command stackctl drives the program through the real Pulumi engine with
// the Automation API: preview, up, destroy, outputs and render for a named
// stack. CI runs PR previews with it; `make up` runs the local stack with it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/klearkarma/observability/internal/engine"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

const usage = `usage: stackctl [flags] <command> <stack>

commands:
  preview   show what up would change
  up        apply the stack
  destroy   delete everything the stack created
  outputs   print the stack outputs (secrets masked)
  render    render the stack's Kubernetes objects offline (same as up --render-dir rendered/<stack>)
  diff      render the stack offline at --base <git ref> and in the working tree, and print what
            changes in the rendered objects (Markdown for a pull request, or --json); secret values
            never appear, only which keys changed

flags:
`

type result struct {
	Command       string         `json:"command"`
	Stack         string         `json:"stack"`
	Backend       string         `json:"backend"`
	Changes       engine.Changes `json:"changes,omitempty"`
	Outputs       map[string]any `json:"outputs,omitempty"`
	RenderDir     string         `json:"renderDir,omitempty"`
	RenderedFiles int            `json:"renderedFiles,omitempty"`
	StandIns      []string       `json:"standInPlugins,omitempty"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stackctl", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, usage); fl.PrintDefaults() }
	projectDir := fl.String("project-dir", ".", "directory holding Pulumi.yaml and the stack files")
	backend := fl.String("backend", "", "state backend URL (default: $PULUMI_BACKEND_URL, else file://<project>/.pulumi-state)")
	kubeconfig := fl.String("kubeconfig", "", "send the Kubernetes side to the cluster this kubeconfig file names (its current context) instead of the stack's target, e.g. .cluster/kubeconfig after `make cluster-up`")
	renderDir := fl.String("render-dir", "", "render Kubernetes objects to this directory (relative to the project) instead of applying them; runs offline with stand-in plugins on a throwaway backend")
	toolsRoot := fl.String("tools-root", os.Getenv("KK_TOOLS_ROOT"), "directory whose bin/ holds the pinned pulumi and pulumi-resource-kubernetes (scripts/tools.sh prints it)")
	asJSON := fl.Bool("json", false, "print a machine-readable summary on stdout; progress goes to stderr")
	base := fl.String("base", "", "diff: the git revision to compare with (a branch, tag or commit)")
	baseDir := fl.String("base-dir", "", "diff: an existing render of the base instead of --base (a missing directory is a new stack)")
	headDir := fl.String("head-dir", "", "diff: an existing render of the head instead of rendering the working tree")
	maxChars := fl.Int("max-chars", 60000, "diff: longest Markdown output (GitHub comments hold 65536 characters)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 2 {
		fl.Usage()
		return 2
	}
	command, stack := fl.Arg(0), fl.Arg(1)
	if command == "render" {
		command = "up"
		if *renderDir == "" {
			*renderDir = filepath.Join("rendered", stack)
		}
	}
	switch command {
	case "preview", "up", "destroy", "outputs", "diff":
	default:
		fmt.Fprintf(stderr, "stackctl: unknown command %q\n", command)
		fl.Usage()
		return 2
	}

	progress := stdout
	if *asJSON {
		progress = stderr
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()

	opts := options{
		projectDir: *projectDir, backend: *backend, renderDir: *renderDir, kubeconfig: *kubeconfig, toolsRoot: *toolsRoot, progress: progress,
	}
	if command == "diff" {
		// The report is the output; the renders' progress goes to stderr.
		opts.progress = stderr
		if err := diffStack(ctx, stack, opts, diffOptions{base: *base, baseDir: *baseDir, headDir: *headDir, json: *asJSON, maxChars: *maxChars}, stdout); err != nil {
			fmt.Fprintf(stderr, "stackctl: %v\n", err)
			return 1
		}
		return 0
	}
	res, err := execute(ctx, command, stack, opts)
	if err != nil {
		fmt.Fprintf(stderr, "stackctl: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "stackctl: %v\n", err)
			return 1
		}
		return 0
	}
	printSummary(stdout, res)
	return 0
}

type options struct {
	projectDir, backend, renderDir, kubeconfig, toolsRoot string
	progress                                              io.Writer
}

func execute(ctx context.Context, command, stack string, o options) (*result, error) {
	if o.toolsRoot == "" {
		return nil, engine.ErrNoTools
	}
	eo := engine.Options{
		Program: program.Definition, ProjectDir: o.projectDir, Stack: stack, BackendURL: o.backend, ToolsRoot: o.toolsRoot,
		RenderDir: o.renderDir, Kubeconfig: o.kubeconfig, Progress: o.progress,
	}
	res := &result{Command: command, Stack: stack}
	if o.renderDir != "" {
		err := offline(ctx, &eo, res)
		if eo.PulumiHome != "" {
			defer os.RemoveAll(filepath.Dir(eo.PulumiHome))
		}
		if err != nil {
			return nil, err
		}
	}
	s, err := engine.Open(ctx, eo)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	res.Backend = redactBackend(s.Backend())

	// A stack that renders to a directory must leave every object's file
	// there after up, even when the files were deleted since the last one.
	renderDir := eo.RenderDir
	if renderDir == "" && o.kubeconfig == "" {
		renderDir = stackRenderDir(o.projectDir, stack)
	}
	switch command {
	case "preview":
		res.Changes, err = s.Preview(ctx, false)
	case "up":
		if renderDir != "" {
			if _, err := s.RestoreRendered(ctx, renderDir); err != nil {
				return nil, err
			}
		}
		res.Changes, err = s.Up(ctx)
	case "destroy":
		res.Changes, err = s.Destroy(ctx)
	}
	if err != nil {
		return nil, err
	}
	if command == "up" || command == "outputs" {
		if res.Outputs, err = s.Outputs(ctx); err != nil {
			return nil, err
		}
	}
	if renderDir != "" && command == "up" {
		res.RenderDir = renderDir
		res.RenderedFiles = countManifests(res.RenderDir)
		want, have, err := s.RenderedFiles(ctx, renderDir)
		if err != nil {
			return nil, err
		}
		if have != want {
			return nil, fmt.Errorf("the state holds %d rendered object(s) but only %d of their files are in %s; run `stackctl up %s` again, or render afresh with `stackctl render %s`", want, have, renderDir, stack, stack)
		}
	}
	return res, nil
}

// stackRenderDir is the absolute render directory the stack's config names,
// or "" when it deploys to a cluster (or its config does not parse: Open
// reports that).
func stackRenderDir(projectDir, stack string) string {
	f, err := stacks.ReadStackFile(projectDir, stack)
	if err != nil {
		return ""
	}
	cfg, err := stacks.Parse(stack, f.Source, nil)
	if err != nil || cfg.Kubernetes.RenderDir == "" {
		return ""
	}
	dir := cfg.Kubernetes.RenderDir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(projectDir, dir)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return dir
}

// offline sets up an offline render: a throwaway backend and plugin home,
// the stand-in plugins, and placeholder values for secrets the stack file
// does not hold, so no real state or credential is touched.
func offline(ctx context.Context, eo *engine.Options, res *result) error {
	home, err := os.MkdirTemp("", "stackctl-render-")
	if err != nil {
		return err
	}
	eo.PulumiHome = filepath.Join(home, "pulumi-home")
	if eo.BackendURL == "" {
		if err := os.MkdirAll(filepath.Join(home, "state"), 0o755); err != nil {
			return err
		}
		eo.BackendURL = "file://" + filepath.Join(home, "state")
	}
	eo.Isolated = true
	abs, err := filepath.Abs(eo.ProjectDir)
	if err != nil {
		return err
	}
	// The isolated work directory is elsewhere: render into the project.
	if !filepath.IsAbs(eo.RenderDir) {
		eo.RenderDir = filepath.Join(abs, eo.RenderDir)
	}
	res.RenderDir = eo.RenderDir
	if err := engine.CheckWritable(eo.RenderDir); err != nil {
		return err
	}
	if _, err := stacks.ReadStackFile(abs, eo.Stack); err != nil {
		return err
	}
	// A render is a snapshot: drop the previous one's manifests (only the
	// provider's own sub-directories) so removed objects do not linger.
	for _, sub := range []string{"0-crd", "1-manifest"} {
		if err := os.RemoveAll(filepath.Join(eo.RenderDir, sub)); err != nil {
			return err
		}
	}
	fmt.Fprintf(eo.Progress, "OFFLINE RENDER: Kubernetes objects go to %s; %s are stand-in plugins that only echo inputs, and secrets the stack file lacks are placeholders. Nothing is deployed.\n",
		eo.RenderDir, strings.Join(engine.StandInNames(), ", "))
	bin, err := engine.BuildStandIns(ctx, abs, filepath.Join(home, "standin"))
	if err != nil {
		return err
	}
	eo.StandInBin = bin
	res.StandIns = engine.StandInNames()
	f, err := stacks.ReadStackFile(abs, eo.Stack)
	if err != nil {
		return err
	}
	eo.Secrets = map[string]string{}
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		if _, ok := f.Source.Values[key]; !ok {
			eo.Secrets[key] = "offline-render-placeholder"
		}
	}
	return nil
}

func countManifests(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			n++
		}
		return nil
	})
	return n
}

// redactBackend hides credentials embedded in a backend URL.
func redactBackend(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "***" + u[i:]
		}
	}
	return u
}

func printSummary(w io.Writer, r *result) {
	fmt.Fprintf(w, "\n%s %s on %s: %s\n", r.Command, r.Stack, r.Backend, changesText(r.Changes))
	if r.RenderDir != "" {
		fmt.Fprintf(w, "rendered %d manifest file(s) to %s\n", r.RenderedFiles, r.RenderDir)
	}
	if len(r.StandIns) > 0 {
		fmt.Fprintf(w, "offline: %s were stand-in plugins; nothing was deployed\n", strings.Join(r.StandIns, ", "))
	}
	if len(r.Outputs) > 0 {
		b, _ := json.MarshalIndent(r.Outputs, "", "  ")
		fmt.Fprintf(w, "outputs: %s\n", b)
	}
}

func changesText(c engine.Changes) string {
	if len(c) == 0 {
		return "no resource operations"
	}
	return c.String()
}
