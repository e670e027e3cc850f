package cluster

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/klearkarma/observability/internal/pins"
)

// The files Build puts into the bin directory.
const (
	binEtcd       = "etcd"
	binAPIServer  = "kube-apiserver"
	binController = "kube-controller-manager"
	binScheduler  = "kube-scheduler"
	binKwok       = "kwok"
	// kwokStagesFile holds the kwok Stage objects: the standalone kwok binary
	// loads none by default (only kwokctl does) and exits "no stages found".
	kwokStagesFile = "kwok-stages.yaml"
	// kwokStorageClassFile is kwok's default StorageClass "kwok-volume",
	// whose claims kwok's volume stages provision and bind.
	kwokStorageClassFile = "kwok-storage-class.yaml"
)

// kubeCommands are the k8s.io/kubernetes main packages Build compiles, in
// build order: the apiserver compiles most of what the others share.
var kubeCommands = []string{binAPIServer, binController, binScheduler}

// kwokStages are the Stage files (under the kwok module's kustomize/stage)
// that make kwok behave like a fast kubelet plus a volume provisioner:
// nodes become Ready and keep their Lease fresh, pods become Ready (or
// Succeeded for Jobs) at once, claims of class kwok-volume are provisioned
// and bound, and deletions finish.
var kwokStages = []string{
	"node/fast/node-initialize.yaml",
	"node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
	"pod/fast/pod-ready.yaml",
	"pod/fast/pod-complete.yaml",
	"pod/fast/pod-delete.yaml",
	"volume/fast/pv-bind.yaml",
	"volume/fast/pv-delete.yaml",
	"volume/fast/pvc-provision.yaml",
	"volume/fast/pvc-delete.yaml",
}

const kwokStorageClassSource = "volume/fast/storage-class.yaml"

// extraStages are this project's own kwok stages (see stages.yaml).
//
//go:embed stages.yaml
var extraStages []byte

// BuildOptions say where Build reports progress and caches binaries.
type BuildOptions struct {
	// Progress receives one line per step with its timing; nil discards.
	Progress io.Writer
	// CacheDir overrides the tools cache (default ToolsCache()).
	CacheDir string
}

// ToolsDirName is the tools-cache sub-directory of this control plane's
// versions.
func ToolsDirName() string {
	return fmt.Sprintf("kube-v%s-etcd-v%s-kwok-v%s", pins.KubernetesControlPlane, pins.Etcd, pins.Kwok)
}

// binFiles are the files a complete bin directory holds.
var binFiles = []string{binEtcd, binAPIServer, binController, binScheduler, binKwok, kwokStagesFile, kwokStorageClassFile}

// CheckBinDir says whether dir holds everything Start needs.
func CheckBinDir(dir string) error {
	var missing []string
	for _, f := range binFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("control-plane binaries in %s: missing %s; run `go run ./cmd/cluster build`", dir, strings.Join(missing, ", "))
	}
	return nil
}

// Build compiles etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok at the pinned versions into
// <cache>/<ToolsDirName()>/bin, copies kwok's stage and StorageClass files
// next to them, and returns that directory. A second call returns at once;
// parallel callers (other test binaries) build once, under a file lock; the
// directory appears by an atomic rename, so it is complete or absent. An
// interrupted build keeps the binaries it finished in bin.partial.
func Build(ctx context.Context, o BuildOptions) (string, error) {
	cache := o.CacheDir
	if cache == "" {
		var err error
		if cache, err = ToolsCache(); err != nil {
			return "", err
		}
	}
	root := filepath.Join(cache, ToolsDirName())
	bin := filepath.Join(root, "bin")
	if CheckBinDir(bin) == nil {
		return bin, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("create tools directory %s: %w; set KK_TOOLS_CACHE to a writable directory", root, err)
	}
	b := &builder{seconds: map[string]float64{}, progress: o.Progress, partial: bin + ".partial", work: filepath.Join(root, "work")}
	if b.progress == nil {
		b.progress = io.Discard
	}
	unlock, err := lockFile(root + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	// Another process may have finished while this one waited for the lock.
	if CheckBinDir(bin) == nil {
		return bin, nil
	}
	start := time.Now()
	b.logf("building the control plane (kubernetes v%s, etcd v%s, kwok v%s) into %s; the first build takes 10-20 minutes on 2 cores",
		pins.KubernetesControlPlane, pins.Etcd, pins.Kwok, bin)
	for _, dir := range []string{b.partial, b.work} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("create %s: %w", dir, err)
		}
	}
	for _, step := range []func(context.Context) error{b.kubernetes, b.etcd, b.kwokFiles} {
		if err := step(ctx); err != nil {
			return "", fmt.Errorf("build the control plane: %w", err)
		}
	}
	if err := os.RemoveAll(bin); err != nil {
		return "", err
	}
	if err := os.Rename(b.partial, bin); err != nil {
		return "", fmt.Errorf("publish %s: %w", bin, err)
	}
	_ = os.RemoveAll(b.work)
	b.logf("control plane ready in %s after %s", bin, since(start))
	if err := b.writeRecord(filepath.Join(root, "build.json"), time.Since(start)); err != nil {
		b.logf("could not record the build: %v", err)
	}
	return bin, nil
}

// writeRecord notes the versions and how long each binary took, next to
// bin/, for whoever wonders what is in the cache and what a rebuild costs.
func (b *builder) writeRecord(path string, total time.Duration) error {
	rec := struct {
		Kubernetes, Etcd, Kwok string
		GoVersion              string
		Seconds                map[string]float64
		TotalSeconds           float64
		Built                  time.Time
	}{pins.KubernetesControlPlane, pins.Etcd, pins.Kwok, runtime.Version(), b.seconds, total.Seconds(), time.Now().UTC()}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

type builder struct {
	seconds  map[string]float64 // build time of each binary built by this run
	progress io.Writer
	partial  string // bin.partial: finished binaries of this (or an interrupted) build
	work     string // generated wrapper modules
}

func (b *builder) logf(format string, args ...any) {
	fmt.Fprintf(b.progress, "cluster: "+format+"\n", args...)
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

// done says whether an earlier, interrupted build already produced name.
func (b *builder) done(name string) bool {
	_, err := os.Stat(filepath.Join(b.partial, name))
	return err == nil
}

// goCmd runs the go command in dir. Its output goes to the progress writer
// and, on failure, into the error. GOWORK=off keeps a go.work above the
// cache out of the wrapper modules.
func (b *builder) goCmd(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("the go command is not on PATH: %w; install Go %s or newer", err, "1.26")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, gobin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	cmd.Stdout = &stdout
	cmd.Stderr = io.MultiWriter(&stderr, b.progress)
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go %s (in %s): %w\n%s", strings.Join(args, " "), dir, err, tail(stderr.String(), 40))
	}
	return stdout.Bytes(), nil
}

// moduleDir downloads mod@version into the module cache and returns its
// directory.
func (b *builder) moduleDir(ctx context.Context, modVersion string) (string, error) {
	out, err := b.goCmd(ctx, b.work, []string{"GOFLAGS=-mod=mod"}, "mod", "download", "-json", modVersion)
	if err != nil {
		return "", err
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("go mod download %s: %w", modVersion, err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s; check GOPROXY reaches the Go module proxy", modVersion, info.Error)
	}
	return info.Dir, nil
}

// buildBinary builds pkg inside the module in dir into bin.partial/name,
// through a temporary name so an interrupted link leaves nothing that looks
// finished.
func (b *builder) buildBinary(ctx context.Context, dir, name, pkg, ldflags string) error {
	if b.done(name) {
		b.logf("%s: already built by an earlier run", name)
		return nil
	}
	b.logf("%s: building %s", name, pkg)
	start := time.Now()
	tmp := filepath.Join(b.partial, name+".tmp")
	if _, err := b.goCmd(ctx, dir, nil, "build", "-trimpath", "-ldflags", ldflags, "-o", tmp, pkg); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(b.partial, name)); err != nil {
		return err
	}
	b.seconds[name] = time.Since(start).Seconds()
	b.logf("%s: built in %s", name, since(start))
	return nil
}

// tidyModule writes goMod into dir and runs go mod tidy there.
func (b *builder) tidyModule(ctx context.Context, dir string, goMod []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), goMod, 0o644); err != nil {
		return err
	}
	start := time.Now()
	if _, err := b.goCmd(ctx, dir, nil, "mod", "tidy"); err != nil {
		return err
	}
	b.logf("%s: go mod tidy in %s", filepath.Base(dir), since(start))
	return nil
}

// kubernetes builds the kubernetes commands and kwok in one wrapper
// module (kubeWrapperGoMod), so kwok compiles against the control plane's
// own client libraries, already compiled for the commands, instead of a
// second copy of them at the versions its go.mod names (measured: 200
// CPU-seconds on its own, 25 in the wrapper after the commands).
func (b *builder) kubernetes(ctx context.Context) error {
	pending := !b.done(binKwok)
	for _, c := range kubeCommands {
		pending = pending || !b.done(c)
	}
	if !pending {
		return nil
	}
	version := "v" + pins.KubernetesControlPlane
	kdir, err := b.moduleDir(ctx, "k8s.io/kubernetes@"+version)
	if err != nil {
		return err
	}
	upstream, err := os.ReadFile(filepath.Join(kdir, "go.mod"))
	if err != nil {
		return err
	}
	goMod, err := kubeWrapperGoMod(upstream, pins.KubernetesControlPlane, pins.Kwok)
	if err != nil {
		return err
	}
	dir := filepath.Join(b.work, "kubernetes")
	if err := b.tidyModule(ctx, dir, goMod); err != nil {
		return err
	}
	ldflags, err := kubeLdflags(pins.KubernetesControlPlane)
	if err != nil {
		return err
	}
	for _, c := range kubeCommands {
		if err := b.buildBinary(ctx, dir, c, "k8s.io/kubernetes/cmd/"+c, ldflags); err != nil {
			return err
		}
	}
	return b.buildBinary(ctx, dir, binKwok, kwokCommand, "-s -w")
}

// kwokCommand is kwok's main package; its module is sigs.k8s.io/kwok at
// pins.Kwok.
const (
	kwokModule  = "sigs.k8s.io/kwok"
	kwokCommand = kwokModule + "/cmd/kwok"
)

func (b *builder) etcd(ctx context.Context) error {
	if b.done(binEtcd) {
		return nil
	}
	goMod, err := etcdWrapperGoMod(pins.Etcd)
	if err != nil {
		return err
	}
	dir := filepath.Join(b.work, "etcd")
	if err := b.tidyModule(ctx, dir, goMod); err != nil {
		return err
	}
	return b.buildBinary(ctx, dir, binEtcd, etcdServerModule, "-s -w")
}

// kwokFiles copies the stage and StorageClass files from the kwok module,
// so the stages are exactly the ones of the kwok version that runs them.
func (b *builder) kwokFiles(ctx context.Context) error {
	dir, err := b.moduleDir(ctx, kwokModule+"@v"+pins.Kwok)
	if err != nil {
		return err
	}
	stageDir := filepath.Join(dir, "kustomize", "stage")
	var stages bytes.Buffer
	for _, f := range kwokStages {
		data, err := os.ReadFile(filepath.Join(stageDir, f))
		if err != nil {
			return fmt.Errorf("kwok stage %s: %w", f, err)
		}
		fmt.Fprintf(&stages, "# from sigs.k8s.io/kwok@v%s kustomize/stage/%s\n---\n", pins.Kwok, f)
		stages.Write(bytes.TrimSpace(data))
		stages.WriteString("\n")
	}
	sc, err := os.ReadFile(filepath.Join(stageDir, kwokStorageClassSource))
	if err != nil {
		return fmt.Errorf("kwok StorageClass: %w", err)
	}
	if err := os.WriteFile(filepath.Join(b.partial, kwokStagesFile), stages.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.partial, kwokStorageClassFile), sc, 0o644)
}

const etcdServerModule = "go.etcd.io/etcd/server/v3"

// etcdWrapperGoMod is a module whose only purpose is building etcd: the
// server module is a main package whose go.mod replaces its siblings with
// ../ paths, so `go install …@version` refuses it; as a dependency those
// replaces are ignored and the siblings are required at the same version.
func etcdWrapperGoMod(version string) ([]byte, error) {
	f := &modfile.File{}
	if err := f.AddModuleStmt("local/etcd-build"); err != nil {
		return nil, err
	}
	if err := f.AddGoStmt("1.26.0"); err != nil {
		return nil, err
	}
	for _, m := range []string{"go.etcd.io/etcd/api/v3", "go.etcd.io/etcd/client/pkg/v3", "go.etcd.io/etcd/client/v3", "go.etcd.io/etcd/pkg/v3", etcdServerModule} {
		f.AddNewRequire(m, "v"+version, false)
	}
	if err := f.AddTool(etcdServerModule); err != nil {
		return nil, err
	}
	return modfile.Format(f.Syntax), nil
}

// kubeWrapperGoMod is a module that builds the kubernetes commands.
// k8s.io/kubernetes requires its staging modules as v0.0.0 and replaces them
// with ./staging/src/... paths, which a consumer ignores; the wrapper
// replaces each staging module kubernetes requires with its published
// v0.<minor>.<patch> instead. Staging modules kubernetes does not require
// (sample-cli-plugin, sample-controller) are left out: they are not on the
// proxy at every version.
//
// The module also requires kwok at kwokVersion: kwok asks for older
// client libraries than the control plane's, and the replaces make it
// build against the control plane's own (v0.<minor>.<patch>), which
// leaves the commands' dependency versions as they are (checked for
// 1.37.2 and kwok 0.8.0: go mod tidy gives the same versions with and
// without kwok, apart from the replaced cri-client).
func kubeWrapperGoMod(upstreamGoMod []byte, version, kwokVersion string) ([]byte, error) {
	up, err := modfile.Parse("k8s.io/kubernetes/go.mod", upstreamGoMod, nil)
	if err != nil {
		return nil, fmt.Errorf("parse k8s.io/kubernetes go.mod: %w", err)
	}
	minorPatch, ok := strings.CutPrefix(version, "1.")
	if !ok {
		return nil, fmt.Errorf("kubernetes version %q: want 1.<minor>.<patch> (staging modules are v0.<minor>.<patch>)", version)
	}
	staging := "v0." + minorPatch
	required := map[string]bool{}
	for _, r := range up.Require {
		required[r.Mod.Path] = true
	}
	f := &modfile.File{}
	if err := f.AddModuleStmt("local/kubernetes-build"); err != nil {
		return nil, err
	}
	goVersion := "1.26.0"
	if up.Go != nil {
		goVersion = up.Go.Version
	}
	if err := f.AddGoStmt(goVersion); err != nil {
		return nil, err
	}
	f.AddNewRequire("k8s.io/kubernetes", "v"+version, false)
	f.AddNewRequire(kwokModule, "v"+kwokVersion, false)
	n := 0
	for _, r := range up.Replace {
		if !strings.HasPrefix(r.New.Path, "./staging/") || !required[r.Old.Path] {
			continue
		}
		if err := f.AddReplace(r.Old.Path, "", r.Old.Path, staging); err != nil {
			return nil, err
		}
		n++
	}
	if n == 0 {
		return nil, errors.New("k8s.io/kubernetes go.mod replaces no staging module: the wrapper recipe no longer fits this version")
	}
	for _, c := range kubeCommands {
		if err := f.AddTool("k8s.io/kubernetes/cmd/" + c); err != nil {
			return nil, err
		}
	}
	if err := f.AddTool(kwokCommand); err != nil {
		return nil, err
	}
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

// kubeLdflags strip the binaries and stamp the version: without the -X
// flags /version reports v0.0.0-master+$Format:%H$ and clients warn about
// skew.
func kubeLdflags(version string) (string, error) {
	parts := strings.Split(version, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("kubernetes version %q: want <major>.<minor>.<patch>", version)
	}
	flags := []string{"-s", "-w"}
	for _, p := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
		flags = append(flags,
			"-X", p+".gitVersion=v"+version,
			"-X", p+".gitMajor="+parts[0],
			"-X", p+".gitMinor="+parts[1],
			"-X", p+".gitTreeState=clean")
	}
	return strings.Join(flags, " "), nil
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
