// Command stackctl drives the program through the real Pulumi engine with
// the Automation API: preview, up, refresh, destroy, outputs and render for
// a named stack, the rendered-object diff of a revision, and the pull-request
// comment CI posts. CI runs PR previews, deploys and drift checks with it;
// `make up` runs the local stack with it.
package main

import (
	"context"
	"encoding/json"
	"errors"
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
       stackctl [flags] pr-comment <stack>...

commands:
  preview   show what up would change: every resource step, with deletions and replacements of
            resources that hold data flagged; --expect-no-changes makes any change exit 3 (drift)
  up        apply the stack; --expect-no-changes previews first and applies nothing (exit 3) when
            anything would change
  refresh   read every resource from its provider into the state; --preview-only only reports
            what differs (drift made outside the stack); --expect-no-changes makes any difference exit 3
  destroy   delete everything the stack created
  outputs   print the stack outputs (secrets masked)
  render    render the stack's Kubernetes objects offline (same as up --render-dir rendered/<stack>)
  diff      render the stack offline at --base <git ref> and in the working tree, and print what
            changes in the rendered objects (Markdown for a pull request, or --json); secret values
            never appear, only which keys changed
  pr-comment  compose one pull-request comment (Markdown) from each stack's diff --json and
            preview --json files in --in, and go test -json policy results (--policy)

exit status: 0 done, 1 failed, 2 bad usage, 3 changes found with --expect-no-changes

flags:
`

type result struct {
	Command string         `json:"command"`
	Stack   string         `json:"stack"`
	Backend string         `json:"backend"`
	Changes engine.Changes `json:"changes,omitempty"`
	Steps   []engine.Step  `json:"steps,omitempty"`
	// Warnings repeat the steps' data warnings (deletions and replacements
	// of resources that hold data), so a reader cannot miss them.
	Warnings []string `json:"warnings,omitempty"`
	// Drift is set when --expect-no-changes found changes.
	Drift         bool           `json:"drift,omitempty"`
	Outputs       map[string]any `json:"outputs,omitempty"`
	RenderDir     string         `json:"renderDir,omitempty"`
	RenderedFiles int            `json:"renderedFiles,omitempty"`
	StandIns      []string       `json:"standInPlugins,omitempty"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl, f := newFlagSet(stderr)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() >= 1 && fl.Arg(0) == "pr-comment" {
		return runPRComment(fl, f, stdout, stderr)
	}
	command, stack, code := commandOf(fl, f, stderr)
	if code != 0 {
		return code
	}

	progress := stdout
	if f.asJSON {
		progress = stderr
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()

	opts := options{
		projectDir: f.projectDir, backend: f.backend, renderDir: f.renderDir, kubeconfig: f.kubeconfig, toolsRoot: f.toolsRoot, progress: progress,
		expectNoChanges: f.expectNoChanges, previewOnly: f.previewOnly,
	}
	if command == "diff" {
		// The report is the output; the renders' progress goes to stderr.
		opts.progress = stderr
		if err := diffStack(ctx, stack, opts, diffOptions{base: f.base, baseDir: f.baseDir, headDir: f.headDir, json: f.asJSON, maxChars: f.maxChars}, stdout); err != nil {
			fmt.Fprintf(stderr, "stackctl: %v\n", err)
			return 1
		}
		return 0
	}
	res, err := execute(ctx, command, stack, opts)
	return report(res, err, f.asJSON, stdout, stderr)
}

// cliFlags are stackctl's flags, as parsed.
type cliFlags struct {
	projectDir, backend, kubeconfig, renderDir, toolsRoot string
	asJSON                                                bool
	base, baseDir, headDir                                string
	maxChars                                              int
	expectNoChanges, previewOnly                          bool
	pc                                                    prCommentFlags
}

// newFlagSet declares stackctl's flags; they land in the returned cliFlags
// when the set is parsed.
func newFlagSet(stderr io.Writer) (*flag.FlagSet, *cliFlags) {
	f := &cliFlags{}
	fl := flag.NewFlagSet("stackctl", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, usage); fl.PrintDefaults() }
	fl.StringVar(&f.projectDir, "project-dir", ".", "directory holding Pulumi.yaml and the stack files")
	fl.StringVar(&f.backend, "backend", "", "state backend URL (default: $PULUMI_BACKEND_URL, else file://<project>/.pulumi-state)")
	fl.StringVar(&f.kubeconfig, "kubeconfig", "", "send the Kubernetes side to the cluster this kubeconfig file names (its current context) instead of the stack's target, e.g. .cluster/kubeconfig after make cluster-up")
	fl.StringVar(&f.renderDir, "render-dir", "", "render Kubernetes objects to this directory (relative to the project) instead of applying them; runs offline with stand-in plugins on a throwaway backend")
	fl.StringVar(&f.toolsRoot, "tools-root", os.Getenv("KK_TOOLS_ROOT"), "directory whose bin/ holds the pinned pulumi and pulumi-resource-kubernetes (scripts/tools.sh prints it)")
	fl.BoolVar(&f.asJSON, "json", false, "print a machine-readable summary on stdout; progress goes to stderr")
	fl.StringVar(&f.base, "base", "", "diff: the git revision to compare with (a branch, tag or commit); pr-comment: the revision the diffs were made against, named in the comment")
	fl.StringVar(&f.baseDir, "base-dir", "", "diff: an existing render of the base instead of --base (a missing directory is a new stack)")
	fl.StringVar(&f.headDir, "head-dir", "", "diff: an existing render of the head instead of rendering the working tree")
	fl.IntVar(&f.maxChars, "max-chars", 60000, "diff, pr-comment: longest Markdown output (GitHub comments hold 65536 characters; pr-comment defaults to that)")
	fl.BoolVar(&f.expectNoChanges, "expect-no-changes", false, "preview, up, refresh: exit 3 when anything would change (up then applies nothing) (a drift check); the summary is still printed")
	fl.BoolVar(&f.previewOnly, "preview-only", false, "refresh: only report what differs; write nothing to the state")
	f.pc.register(fl)
	return fl, f
}

// runPRComment runs pr-comment, whose --max-chars defaults to what a GitHub
// comment holds.
func runPRComment(fl *flag.FlagSet, f *cliFlags, stdout, stderr io.Writer) int {
	set := map[string]bool{}
	fl.Visit(func(fg *flag.Flag) { set[fg.Name] = true })
	maxChars := f.maxChars
	if !set["max-chars"] {
		maxChars = githubCommentLimit
	}
	pc := f.pc
	pc.base = f.base
	return prComment(pc, fl.Args()[1:], maxChars, stdout, stderr)
}

// commandOf checks the command line of a one-stack command and returns the
// command (render becomes up with a render directory) and stack; a non-zero
// code is the exit status of a bad usage, already reported.
func commandOf(fl *flag.FlagSet, f *cliFlags, stderr io.Writer) (command, stack string, code int) {
	if fl.NArg() != 2 {
		fl.Usage()
		return "", "", 2
	}
	command, stack = fl.Arg(0), fl.Arg(1)
	if command == "render" {
		command = "up"
		if f.renderDir == "" {
			f.renderDir = filepath.Join("rendered", stack)
		}
	}
	switch command {
	case "preview", "up", "refresh", "destroy", "outputs", "diff":
	default:
		fmt.Fprintf(stderr, "stackctl: unknown command %q\n", command)
		fl.Usage()
		return "", "", 2
	}
	if (f.expectNoChanges && command != "preview" && command != "up" && command != "refresh") || (f.previewOnly && command != "refresh") {
		fmt.Fprintf(stderr, "stackctl: --expect-no-changes is for preview, up and refresh, --preview-only for refresh; %s takes neither\n", command)
		return "", "", 2
	}
	return command, stack, 0
}

// report prints execute's result (JSON or a summary) and returns the exit
// status: 3 when a drift check found changes, which are still reported in
// full.
func report(res *result, err error, asJSON bool, stdout, stderr io.Writer) int {
	drift := errors.Is(err, engine.ErrUnexpectedChanges) && res != nil
	if err != nil && !drift {
		fmt.Fprintf(stderr, "stackctl: %v\n", err)
		return 1
	}
	res.Drift = drift
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "stackctl: %v\n", err)
			return 1
		}
		// The CI log shows stderr: the data warnings must be seen there too.
		printWarnings(stderr, res.Warnings)
	} else {
		printSummary(stdout, res)
	}
	if drift {
		fmt.Fprintf(stderr, "stackctl: %v\n", err)
		return 3
	}
	return 0
}

type options struct {
	projectDir, backend, renderDir, kubeconfig, toolsRoot string
	progress                                              io.Writer
	// expectNoChanges and previewOnly are the drift-check flags of preview,
	// up and refresh.
	expectNoChanges, previewOnly bool
}

func execute(ctx context.Context, command, stack string, o options) (*result, error) {
	if err := checkExecute(command, stack, o); err != nil {
		return nil, err
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
	drift, err := operate(ctx, s, command, renderDir, o, res)
	if drift {
		return res, err
	}
	if err != nil {
		return nil, err
	}
	if err := finish(ctx, s, command, stack, renderDir, res); err != nil {
		return nil, err
	}
	return res, nil
}

// checkExecute refuses what execute cannot do before anything starts.
func checkExecute(command, stack string, o options) error {
	if command == "refresh" && (o.renderDir != "" || (o.kubeconfig == "" && stackRenderDir(o.projectDir, stack) != "")) {
		// The kubernetes provider reads objects back from a cluster; a
		// render has none, so every read would fail as unreachable.
		return fmt.Errorf("stack %s renders its Kubernetes objects to files: a refresh reads resources back from the cluster and the cloud, and a render has neither; refresh a deployed stack (dev, prod), or preview this one", stack)
	}
	if o.toolsRoot == "" {
		return engine.ErrNoTools
	}
	return nil
}

// operate runs the command's engine operation into res. drift says err is
// a drift check's finding: res then holds the changes in full.
func operate(ctx context.Context, s *engine.Session, command, renderDir string, o options, res *result) (drift bool, err error) {
	switch command {
	case "preview", "refresh":
		var plan engine.Plan
		if command == "preview" {
			plan, err = s.PreviewPlan(ctx, engine.PreviewOptions{ExpectNoChanges: o.expectNoChanges})
		} else {
			plan, err = s.Refresh(ctx, engine.RefreshOptions{PreviewOnly: o.previewOnly, ExpectNoChanges: o.expectNoChanges})
		}
		res.Changes, res.Steps, res.Warnings = plan.Changes, plan.Steps, warningsOf(plan)
		if errors.Is(err, engine.ErrUnexpectedChanges) {
			return true, err
		}
	case "up":
		if renderDir != "" {
			if _, err := s.RestoreRendered(ctx, renderDir); err != nil {
				return false, err
			}
		}
		var plan engine.Plan
		plan, err = s.UpWith(ctx, engine.UpOptions{ExpectNoChanges: o.expectNoChanges})
		res.Changes, res.Steps = plan.Changes, plan.Steps
		if errors.Is(err, engine.ErrUnexpectedChanges) {
			res.Warnings = warningsOf(plan)
			return true, err
		}
	case "destroy":
		res.Changes, err = s.Destroy(ctx)
	}
	return false, err
}

// finish adds the stack outputs after up and outputs, and checks that an up
// into a render directory left every rendered object's file there.
func finish(ctx context.Context, s *engine.Session, command, stack, renderDir string, res *result) error {
	if command == "up" || command == "outputs" {
		var err error
		if res.Outputs, err = s.Outputs(ctx); err != nil {
			return err
		}
	}
	if renderDir == "" || command != "up" {
		return nil
	}
	res.RenderDir = renderDir
	res.RenderedFiles = countManifests(res.RenderDir)
	want, have, err := s.RenderedFiles(ctx, renderDir)
	if err != nil {
		return err
	}
	if have != want {
		return fmt.Errorf("the state holds %d rendered object(s) but only %d of their files are in %s; run `stackctl up %s` again, or render afresh with `stackctl render %s`", want, have, renderDir, stack, stack)
	}
	return nil
}

// warningsOf are the plan's data warnings, as text.
func warningsOf(p engine.Plan) []string {
	var out []string
	for _, w := range p.Warnings() {
		out = append(out, w.Warning)
	}
	return out
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
			// A placeholder of the shape the key's check asks for (the heartbeat
			// URL must be an https URL), so validation passes offline.
			eo.Secrets[key] = s.ValidValue("offline-render-placeholder")
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
	printSteps(w, r.Steps)
	printWarnings(w, r.Warnings)
}

func changesText(c engine.Changes) string {
	if len(c) == 0 {
		return "no resource operations"
	}
	return c.String()
}
