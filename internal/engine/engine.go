// Package engine drives the real Pulumi engine through the Automation API
// with the program as an inline source (no Go language host needed). The
// stackctl driver and the engine tests share it, so CI previews run exactly
// what an engineer runs.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/stackfile"
)

// Program is what the engine runs. The program package provides it; the
// engine imports neither the program nor its configuration.
type Program interface {
	// Project is the Pulumi project name (also the config namespace).
	Project() string
	// Check validates a stack's config before anything runs: full keys and
	// values as the stack file holds them, secrets marked (never read), and
	// every key the stack sets. It returns every problem at once.
	Check(stack string, values map[string]string, secrets map[string]bool, keys []string) error
	// Run returns the program for a stack that sets keys. A renderDir
	// renders the Kubernetes side as YAML files there, a kubeconfig sends it
	// to the cluster that file names (its current context); both empty keep
	// the target the stack's config names.
	Run(keys []string, renderDir, kubeconfig string) pulumi.RunFunc
}

// Options say which stack to drive and how.
type Options struct {
	// Program is the program to run (required).
	Program Program
	// ProjectDir holds Pulumi.yaml and Pulumi.<stack>.yaml.
	ProjectDir string
	Stack      string
	// BackendURL is the state backend; empty uses PULUMI_BACKEND_URL, then
	// file://<ProjectDir>/.pulumi-state.
	BackendURL string
	// ToolsRoot holds bin/pulumi and bin/pulumi-resource-kubernetes.
	ToolsRoot string
	// StandInBin, when set, holds the stand-in plugins and goes first on the
	// engine's PATH (tests and offline renders only).
	StandInBin string
	// RenderDir overrides the stack's Kubernetes target with a directory.
	RenderDir string
	// Kubeconfig overrides the stack's Kubernetes target with the cluster a
	// kubeconfig file names (not with RenderDir).
	Kubeconfig string
	// Secrets are set as secret config before running (tests, offline
	// renders), by full key ("observability:smtpPassword").
	Secrets map[string]string
	// Isolated copies the project files to a fresh work directory, so config
	// set here never touches the repo's stack files.
	Isolated bool
	// WorkDir is the isolated work directory (default: a new temporary one).
	WorkDir string
	// PulumiHome overrides PULUMI_HOME (tests use a temporary one).
	PulumiHome string
	// Progress receives the engine's output; nil discards it.
	Progress io.Writer
}

// Session is an opened stack.
type Session struct {
	Stack   auto.Stack
	WorkDir string
	opts    Options
}

// Changes counts resource operations by kind ("create", "same", ...).
type Changes map[string]int

// Total is the number of operations that change something.
func (c Changes) Total() int {
	n := 0
	for op, v := range c {
		if op != string(apitype.OpSame) && op != string(apitype.OpRead) {
			n += v
		}
	}
	return n
}

func (c Changes) String() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, c[k]))
	}
	return strings.Join(parts, " ")
}

// Open validates the stack's config from its file (so bad config fails
// before any state is touched), then selects or creates the stack.
func Open(ctx context.Context, o Options) (*Session, error) {
	if o.ProjectDir == "" {
		o.ProjectDir = "."
	}
	abs, err := filepath.Abs(o.ProjectDir)
	if err != nil {
		return nil, err
	}
	o.ProjectDir = abs
	if o.Program == nil {
		return nil, errors.New("engine: no program to run")
	}
	if o.RenderDir != "" && o.Kubeconfig != "" {
		return nil, errors.New("engine: a render directory and a kubeconfig are two targets: pick one")
	}
	keys, err := checkStackFile(o)
	if err != nil {
		return nil, err
	}
	workDir, err := prepareWorkDir(o)
	if err != nil {
		return nil, err
	}
	if o.BackendURL, err = resolveBackend(o); err != nil {
		return nil, err
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: o.ToolsRoot, SkipVersionCheck: true})
	if err != nil {
		return nil, fmt.Errorf("pulumi CLI in %s: %w; run scripts/tools.sh", o.ToolsRoot, err)
	}
	wsOpts := []auto.LocalWorkspaceOption{auto.WorkDir(workDir), auto.EnvVars(engineEnv(o)), auto.Pulumi(cmd)}
	if o.PulumiHome != "" {
		wsOpts = append(wsOpts, auto.PulumiHome(o.PulumiHome))
	}
	program := o.Program.Run(keys, o.RenderDir, o.Kubeconfig)
	st, err := auto.UpsertStackInlineSource(ctx, o.Stack, o.Program.Project(), program, wsOpts...)
	if err != nil {
		return nil, fmt.Errorf("open stack %q on backend %s: %w\nFix: check the backend URL (PULUMI_BACKEND_URL or --backend), your credentials, and PULUMI_CONFIG_PASSPHRASE for file backends", o.Stack, o.BackendURL, err)
	}
	if err := setSecrets(ctx, st, o); err != nil {
		return nil, err
	}
	return &Session{Stack: st, WorkDir: workDir, opts: o}, nil
}

// checkStackFile validates the stack file's config (with the secrets the
// driver will set) before any state is touched, and returns its keys.
func checkStackFile(o Options) ([]string, error) {
	file, err := stackfile.Read(o.ProjectDir, o.Stack)
	if err != nil {
		return nil, err
	}
	for k := range o.Secrets {
		file.Values[k] = "(set by the driver)"
		file.Secrets[k] = true
	}
	keys := file.Keys()
	if err := o.Program.Check(o.Stack, file.Values, file.Secrets, keys); err != nil {
		return nil, err
	}
	return keys, nil
}

// prepareWorkDir is the project directory, or for an isolated session a
// fresh directory with copies of the project and stack files, so config
// set here never touches the repo's. It also proves a render directory is
// writable.
func prepareWorkDir(o Options) (string, error) {
	workDir := o.ProjectDir
	if o.Isolated {
		var err error
		if workDir, err = isolatedWorkDir(o); err != nil {
			return "", err
		}
	}
	if o.RenderDir != "" {
		dir := o.RenderDir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(workDir, dir)
		}
		if err := checkWritable(dir); err != nil {
			if o.Isolated && o.WorkDir == "" {
				os.RemoveAll(workDir)
			}
			return "", err
		}
	}
	return workDir, nil
}

func isolatedWorkDir(o Options) (string, error) {
	workDir := o.WorkDir
	if workDir != "" {
		if err := os.MkdirAll(workDir, 0o755); err != nil {
			return "", fmt.Errorf("create work directory %s: %w", workDir, err)
		}
	} else {
		var err error
		if workDir, err = os.MkdirTemp("", "observability-"+o.Stack+"-"); err != nil {
			return "", err
		}
	}
	for _, name := range []string{"Pulumi.yaml", "Pulumi." + o.Stack + ".yaml"} {
		b, err := os.ReadFile(filepath.Join(o.ProjectDir, name))
		if err != nil {
			return "", err
		}
		if name != "Pulumi.yaml" {
			// The copy is a new stack on another backend: it gets its own
			// secrets manager, and the original's cannot decrypt there.
			if b, err = stackfile.WithoutSecretsManager(b); err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(workDir, name), b, 0o644); err != nil {
			return "", err
		}
	}
	return workDir, nil
}

// resolveBackend is the backend URL: the option, $PULUMI_BACKEND_URL, or a
// file backend in the project.
func resolveBackend(o Options) (string, error) {
	backend := o.BackendURL
	if backend == "" {
		backend = os.Getenv("PULUMI_BACKEND_URL")
	}
	if backend == "" {
		dir := filepath.Join(o.ProjectDir, ".pulumi-state")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("create state directory %s: %w", dir, err)
		}
		backend = "file://" + dir
	}
	return backend, nil
}

// engineEnv is the environment of every CLI call: the backend, no update
// check or plugin download, the pinned tools (stand-ins first) on PATH.
func engineEnv(o Options) map[string]string {
	env := map[string]string{
		"PULUMI_BACKEND_URL":                          o.BackendURL,
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	}
	if _, ok := os.LookupEnv("PULUMI_CONFIG_PASSPHRASE"); !ok && os.Getenv("PULUMI_CONFIG_PASSPHRASE_FILE") == "" {
		// The file backend encrypts secrets with a passphrase; an empty one is
		// what the offline stacks use. Real stacks set their own.
		env["PULUMI_CONFIG_PASSPHRASE"] = ""
	}
	path := filepath.Join(o.ToolsRoot, "bin") + string(os.PathListSeparator) + os.Getenv("PATH")
	if o.StandInBin != "" {
		path = o.StandInBin + string(os.PathListSeparator) + path
	}
	env["PATH"] = path
	if o.PulumiHome != "" {
		env["PULUMI_HOME"] = o.PulumiHome
	}
	return env
}

// setSecrets sets the driver's secrets in one CLI call: one `pulumi config
// set` per secret costs a process start each (seconds before the engine
// starts).
func setSecrets(ctx context.Context, st auto.Stack, o Options) error {
	if len(o.Secrets) == 0 {
		return nil
	}
	all := auto.ConfigMap{}
	for k, v := range o.Secrets {
		all[k] = auto.ConfigValue{Value: v, Secret: true}
	}
	if err := st.SetAllConfig(ctx, all); err != nil {
		return fmt.Errorf("set %d secret(s) on stack %q: %w", len(all), o.Stack, err)
	}
	return nil
}

// CheckWritable creates dir if needed and proves a file can be written in it.
func CheckWritable(dir string) error { return checkWritable(dir) }

func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("render directory %s cannot be created: %w; choose a writable --render-dir", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".write-check-")
	if err != nil {
		return fmt.Errorf("render directory %s is not writable: %w; choose a writable --render-dir", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

func (s *Session) progress() io.Writer {
	if s.opts.Progress == nil {
		return io.Discard
	}
	return s.opts.Progress
}

// Preview runs `pulumi preview`. With expectNoChanges, any change is an error.
func (s *Session) Preview(ctx context.Context, expectNoChanges bool) (Changes, error) {
	opts := []optpreview.Option{optpreview.ProgressStreams(s.progress()), optpreview.ErrorProgressStreams(s.progress()), optpreview.Diff()}
	if expectNoChanges {
		opts = append(opts, optpreview.ExpectNoChanges())
	}
	res, err := s.Stack.Preview(ctx, opts...)
	changes := Changes{}
	for op, n := range res.ChangeSummary {
		changes[string(op)] = n
	}
	if err != nil {
		return changes, fmt.Errorf("preview %s: %w", s.opts.Stack, err)
	}
	return changes, nil
}

// Up runs `pulumi up`.
func (s *Session) Up(ctx context.Context) (Changes, error) {
	res, err := s.Stack.Up(ctx, optup.ProgressStreams(s.progress()), optup.ErrorProgressStreams(s.progress()))
	if err != nil {
		return nil, fmt.Errorf("up %s: %w", s.opts.Stack, err)
	}
	return summary(res.Summary), nil
}

// Destroy runs `pulumi destroy`.
func (s *Session) Destroy(ctx context.Context) (Changes, error) {
	res, err := s.Stack.Destroy(ctx, optdestroy.ProgressStreams(s.progress()), optdestroy.ErrorProgressStreams(s.progress()))
	if err != nil {
		return nil, fmt.Errorf("destroy %s: %w", s.opts.Stack, err)
	}
	return summary(res.Summary), nil
}

func summary(u auto.UpdateSummary) Changes {
	c := Changes{}
	if u.ResourceChanges != nil {
		for k, v := range *u.ResourceChanges {
			c[k] = v
		}
	}
	return c
}

// Outputs returns the stack outputs with secrets masked.
func (s *Session) Outputs(ctx context.Context) (map[string]any, error) {
	outs, err := s.Stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("outputs %s: %w", s.opts.Stack, err)
	}
	m := map[string]any{}
	for k, v := range outs {
		if v.Secret {
			m[k] = "[secret]"
			continue
		}
		m[k] = v.Value
	}
	return m, nil
}

// Export returns the stack's state as `pulumi stack export` prints it.
func (s *Session) Export(ctx context.Context) ([]byte, error) {
	dep, err := s.Stack.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", s.opts.Stack, err)
	}
	return dep.Deployment, nil
}

// Backend is the state backend URL the session uses.
func (s *Session) Backend() string { return s.opts.BackendURL }

// Close removes the isolated work directory.
func (s *Session) Close() error {
	if s.opts.Isolated && s.opts.WorkDir == "" && s.WorkDir != s.opts.ProjectDir {
		return os.RemoveAll(s.WorkDir)
	}
	return nil
}

// ErrNoTools says the pinned tools are missing.
var ErrNoTools = errors.New("pinned Pulumi tools not found; run scripts/tools.sh (make tools)")

// FindToolsRoot returns the tools root from KK_TOOLS_ROOT, checking it holds
// the CLI and the kubernetes plugin.
func FindToolsRoot() (string, error) {
	root := os.Getenv("KK_TOOLS_ROOT")
	if root == "" {
		return "", ErrNoTools
	}
	for _, b := range []string{"pulumi", "pulumi-resource-kubernetes"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			return "", fmt.Errorf("%w: %s/bin/%s is missing", ErrNoTools, root, b)
		}
	}
	return root, nil
}
