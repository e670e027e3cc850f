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
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/naming"
	"github.com/klearkarma/observability/stacks"
)

// Options say which stack to drive and how.
type Options struct {
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
	// Secrets are set as secret config before running (tests, offline renders).
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
	file, err := stacks.ReadStackFile(o.ProjectDir, o.Stack)
	if err != nil {
		return nil, err
	}
	src := file.Source
	for k := range o.Secrets {
		src.Values[stacks.Namespace+":"+k] = "(set by the driver)"
		src.Secrets[stacks.Namespace+":"+k] = true
	}
	if _, err := stacks.Parse(o.Stack, src, src.Keys()); err != nil {
		return nil, err
	}
	workDir := o.ProjectDir
	if o.Isolated {
		if o.WorkDir != "" {
			workDir = o.WorkDir
			if err := os.MkdirAll(workDir, 0o755); err != nil {
				return nil, fmt.Errorf("create work directory %s: %w", workDir, err)
			}
		} else if workDir, err = os.MkdirTemp("", "observability-"+o.Stack+"-"); err != nil {
			return nil, err
		}
		for _, name := range []string{"Pulumi.yaml", "Pulumi." + o.Stack + ".yaml"} {
			b, err := os.ReadFile(filepath.Join(o.ProjectDir, name))
			if err != nil {
				return nil, err
			}
			if name != "Pulumi.yaml" {
				// The copy is a new stack on another backend: it gets its own
				// secrets manager, and the original's cannot decrypt there.
				if b, err = withoutSecretsManager(b); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
			}
			if err := os.WriteFile(filepath.Join(workDir, name), b, 0o644); err != nil {
				return nil, err
			}
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
			return nil, err
		}
	}

	backend := o.BackendURL
	if backend == "" {
		backend = os.Getenv("PULUMI_BACKEND_URL")
	}
	if backend == "" {
		dir := filepath.Join(o.ProjectDir, ".pulumi-state")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create state directory %s: %w", dir, err)
		}
		backend = "file://" + dir
	}
	o.BackendURL = backend

	env := map[string]string{
		"PULUMI_BACKEND_URL":                          backend,
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

	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: o.ToolsRoot, SkipVersionCheck: true})
	if err != nil {
		return nil, fmt.Errorf("pulumi CLI in %s: %w; run scripts/tools.sh", o.ToolsRoot, err)
	}
	wsOpts := []auto.LocalWorkspaceOption{auto.WorkDir(workDir), auto.EnvVars(env), auto.Pulumi(cmd)}
	if o.PulumiHome != "" {
		wsOpts = append(wsOpts, auto.PulumiHome(o.PulumiHome))
	}
	program := stacks.Program(stacks.Options{ConfigKeys: src.Keys(), RenderDir: o.RenderDir})
	st, err := auto.UpsertStackInlineSource(ctx, o.Stack, naming.ProjectName, program, wsOpts...)
	if err != nil {
		return nil, fmt.Errorf("open stack %q on backend %s: %w\nFix: check the backend URL (PULUMI_BACKEND_URL or --backend), your credentials, and PULUMI_CONFIG_PASSPHRASE for file backends", o.Stack, backend, err)
	}
	s := &Session{Stack: st, WorkDir: workDir, opts: o}
	for _, k := range sortedKeys(o.Secrets) {
		if err := st.SetConfig(ctx, stacks.Namespace+":"+k, auto.ConfigValue{Value: o.Secrets[k], Secret: true}); err != nil {
			return nil, fmt.Errorf("set secret %s: %w", k, err)
		}
	}
	return s, nil
}

// withoutSecretsManager drops a stack file's secrets-manager settings and
// its encrypted values (the driver sets the secrets it needs again).
func withoutSecretsManager(stackFile []byte) ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(stackFile, &doc); err != nil {
		return nil, err
	}
	for _, k := range []string{"encryptionsalt", "secretsprovider", "encryptedkey"} {
		delete(doc, k)
	}
	if cfg, ok := doc["config"].(map[string]any); ok {
		for k, v := range cfg {
			if m, ok := v.(map[string]any); ok && m["secure"] != nil && len(m) == 1 {
				delete(cfg, k)
			}
		}
	}
	return yaml.Marshal(doc)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
