package livebin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/klearkarma/observability/internal/pins"
)

// recipe is what build.json records: a cached build is reused only while it
// equals the recipe the pins ask for now.
type recipe struct {
	Server pins.Server `json:"server"`
	// Sources is the SHA-256 of a repository-kept module's go.mod, go.sum
	// and Go files, so editing tools/otelcol rebuilds it.
	Sources string `json:"sources,omitempty"`
}

const recipeFile = "build.json"

type builder struct {
	s    pins.Server
	opts Options
	log  progress
}

func (b *builder) ensure(ctx context.Context) (string, error) {
	dir := Dir(b.opts.CacheDir, b.s)
	main := filepath.Join(dir, "bin", b.s.Name)
	want, err := b.recipe()
	if err != nil {
		return "", err
	}
	if b.built(dir, want) {
		return main, nil
	}
	if err := os.MkdirAll(b.opts.CacheDir, 0o755); err != nil {
		return "", fmt.Errorf("create the tools cache: %w; set KK_TOOLS_CACHE to a writable directory", err)
	}
	base := filepath.Base(dir)
	unlock, err := lock(ctx, filepath.Join(b.opts.CacheDir, "."+base+".lock"), b.log)
	if err != nil {
		return "", err
	}
	defer unlock()
	// Another caller may have built it while this one waited for the lock.
	if b.built(dir, want) {
		return main, nil
	}

	start := time.Now()
	partial, err := os.MkdirTemp(b.opts.CacheDir, "."+base+".partial-")
	if err != nil {
		return "", fmt.Errorf("create a build directory in the tools cache: %w", err)
	}
	defer os.RemoveAll(partial) // gone after the rename; a failed build leaves nothing
	if err := b.build(ctx, filepath.Join(partial, "bin")); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(partial, recipeFile), want, 0o644); err != nil {
		return "", fmt.Errorf("write the build recipe: %w", err)
	}
	if err := install(partial, dir); err != nil {
		return "", err
	}
	b.log.printf("ready in %s: %s", since(start), filepath.Join(dir, "bin"))
	return main, nil
}

// recipe is the JSON of the build the pins ask for.
func (b *builder) recipe() ([]byte, error) {
	r := recipe{Server: b.s}
	if b.s.Build.RepoDir != "" {
		sum, err := hashSources(filepath.Join(b.opts.RepoDir, b.s.Build.RepoDir))
		if err != nil {
			return nil, err
		}
		r.Sources = sum
	}
	return json.MarshalIndent(r, "", "  ")
}

// built reports whether dir holds every binary of the build want describes.
func (b *builder) built(dir string, want []byte) bool {
	got, err := os.ReadFile(filepath.Join(dir, recipeFile))
	if err != nil || !bytes.Equal(got, want) {
		return false
	}
	for _, name := range b.s.Binaries() {
		fi, err := os.Stat(filepath.Join(dir, "bin", name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// install renames the finished partial directory into place, replacing a
// build of an older recipe. Callers hold the lock, so nobody else renames.
func install(partial, dir string) error {
	if _, err := os.Stat(dir); err == nil {
		old := partial + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("move the outdated build %s aside: %w; remove it by hand", dir, err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(partial, dir); err != nil {
		return fmt.Errorf("move the build into %s: %w", dir, err)
	}
	return nil
}

// build compiles every binary of b.s into bin.
func (b *builder) build(ctx context.Context, bin string) error {
	src := ""
	if b.s.Build.RepoDir != "" {
		// Built in place: go build -o writes only into bin.
		src = filepath.Join(b.opts.RepoDir, b.s.Build.RepoDir)
	} else {
		work, err := os.MkdirTemp(b.opts.CacheDir, ".work-"+b.s.Name+"-")
		if err != nil {
			return fmt.Errorf("create a work directory in the tools cache: %w", err)
		}
		defer os.RemoveAll(work)
		if src, err = b.fetch(ctx, work); err != nil {
			return err
		}
	}
	return b.compile(ctx, src, bin)
}

// fetch copies the module out of the module cache into work/src, writable,
// ready to build: version checked, placeholders for missing embedded assets.
func (b *builder) fetch(ctx context.Context, work string) (string, error) {
	t := time.Now()
	b.log.printf("downloading %s", b.s.ModulePath())
	var out bytes.Buffer
	tail := &tailBuffer{max: 4 << 10}
	// Run outside any module so no go.mod or go.work of the caller applies.
	cmd := b.goCmd(ctx, work, io.MultiWriter(b.log.w, tail), "mod", "download", "-json", b.s.ModulePath())
	cmd.Stdout = &out
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out.Bytes(), &info); err != nil || info.Error != "" || info.Dir == "" {
		msg := strings.TrimSpace(info.Error)
		if msg == "" {
			msg = strings.TrimSpace(tail.String())
		}
		return "", fmt.Errorf("download %s: %s (%v); check the pin in internal/pins and that the Go module proxy serves that version", b.s.ModulePath(), msg, runErr)
	}
	b.log.printf("downloaded in %s; copying %s", since(t), info.Dir)
	t = time.Now()
	src := filepath.Join(work, "src")
	n, err := copyTree(info.Dir, src)
	if err != nil {
		return "", fmt.Errorf("copy %s out of the module cache: %w", b.s.ModulePath(), err)
	}
	b.log.printf("copied %.1f MB in %s", float64(n)/(1<<20), since(t))
	if err := checkModule(src, b.s); err != nil {
		return "", err
	}
	for _, p := range b.s.Build.EmbedPlaceholders {
		if err := placeholder(filepath.Join(src, filepath.FromSlash(p))); err != nil {
			return "", err
		}
	}
	return src, nil
}

// checkModule refuses a module whose version file contradicts the pin (the
// binary would be stamped with a version it is not) and one that needs
// sibling directories of its upstream repository.
func checkModule(src string, s pins.Server) error {
	if s.Build.VersionFile != "" {
		data, err := os.ReadFile(filepath.Join(src, s.Build.VersionFile))
		if err != nil {
			return fmt.Errorf("read the module's %s: %w; fix Build.VersionFile in internal/pins", s.Build.VersionFile, err)
		}
		if got := strings.TrimSpace(string(data)); got != s.Version {
			return fmt.Errorf("%s says %s %s but the pin says Version %s: fix Version or ModuleVersion in internal/pins", s.ModulePath(), s.Build.VersionFile, got, s.Version)
		}
	}
	data, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return fmt.Errorf("read the module's go.mod: %w", err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return fmt.Errorf("parse the module's go.mod: %w", err)
	}
	for _, r := range mf.Replace {
		if r.New.Version == "" {
			return fmt.Errorf("%s replaces %s with the directory %s, which its module zip lacks: drop the replace and tidy first, as scripts/tools.sh does, before livebin can build it", s.ModulePath(), r.Old.Path, r.New.Path)
		}
	}
	return nil
}

// placeholder stands in for an npm-built asset that a go:embed names.
func placeholder(file string) error {
	if _, err := os.Stat(file); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("create a placeholder for an embedded asset: %w", err)
	}
	const page = "<!doctype html><title>UI not built</title><p>This binary was built for tests without its npm-built web UI.</p>\n"
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		return fmt.Errorf("create a placeholder for an embedded asset: %w", err)
	}
	return nil
}

// compile runs one go build for the main binary and its companions.
func (b *builder) compile(ctx context.Context, src, bin string) error {
	s := b.s
	ld := "-s -w"
	if v := s.Build.VersionVar; v != "" {
		ld += " -X " + v + "=" + s.Build.VersionVarPrefix + s.Version
	}
	args := []string{"build", "-trimpath", "-ldflags", ld}
	if len(s.Build.Tags) > 0 {
		args = append(args, "-tags", strings.Join(s.Build.Tags, ","))
	}
	if len(s.Build.Companions) == 0 {
		args = append(args, "-o", filepath.Join(bin, s.Name), s.Package)
	} else {
		// With several packages -o names a directory and each binary is
		// named after its package: one invocation shares the compile work.
		if base := path.Base(s.Package); base != s.Name {
			return fmt.Errorf("package %s builds a binary named %s, not %s: with Companions, Name must be the package's last path element", s.Package, base, s.Name)
		}
		args = append(args, "-o", bin+string(filepath.Separator), s.Package)
		args = append(args, s.Build.Companions...)
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", bin, err)
	}
	how := strings.Join(s.Binaries(), ", ")
	if len(s.Build.Tags) > 0 {
		how += ", tags " + strings.Join(s.Build.Tags, ",")
	}
	if s.Build.Toolchain != "" {
		how += ", toolchain " + s.Build.Toolchain
	}
	b.log.printf("compiling %s (minutes the first time)", how)
	t := time.Now()
	tail := &tailBuffer{max: 8 << 10}
	cmd := b.goCmd(ctx, src, io.MultiWriter(b.log.w, tail), args...)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("build cancelled: %w", ctx.Err())
		}
		return fmt.Errorf("go %s in %s: %w\n%s", strings.Join(args, " "), src, err, tail.String())
	}
	for _, name := range s.Binaries() {
		if _, err := os.Stat(filepath.Join(bin, name)); err != nil {
			return fmt.Errorf("go build made no %s: check Name and Companions in internal/pins", name)
		}
	}
	b.log.printf("compiled in %s", since(t))
	return nil
}

// goCmd is the go command in dir with the environment every build uses:
// no workspace (Prometheus' module zip carries a go.work naming directories
// the zip lacks), no cgo (static binaries, as the releases are), the
// module's go.mod as it is, no VCS stamping, the host platform, and the
// pinned toolchain if any. Output goes to out; cancelling ctx stops the go
// command and the compilers it started.
func (b *builder) goCmd(ctx context.Context, dir string, out io.Writer, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Stdout = out
	cmd.Stderr = out
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOWORK", "CGO_ENABLED", "GOFLAGS", "GOOS", "GOARCH", "GOTOOLCHAIN":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly -buildvcs=false")
	if tc := b.s.Build.Toolchain; tc != "" {
		env = append(env, "GOTOOLCHAIN="+tc)
	} else if tc := os.Getenv("GOTOOLCHAIN"); tc != "" {
		env = append(env, "GOTOOLCHAIN="+tc)
	}
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// copyTree copies the regular files under from into to, owner-writable
// (the module cache is read-only), and returns the bytes copied.
func copyTree(from, to string) (int64, error) {
	var total int64
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil // module zips hold only regular files
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n, err := copyFile(p, dst, fi.Mode().Perm()|0o200)
		total += n
		return err
	})
	return total, err
}

func copyFile(from, to string, perm fs.FileMode) (int64, error) {
	in, err := os.Open(from)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// hashSources digests what a build of a repository-kept module depends on.
func hashSources(dir string) (string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if n := d.Name(); !d.IsDir() && (n == "go.mod" || n == "go.sum" || (strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go"))) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read the sources in %s: %w; set Options.RepoDir to the repository root", dir, err)
	}
	if len(files) == 0 {
		return "", fmt.Errorf("no Go sources in %s: set Options.RepoDir to the repository root", dir)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("hash %s: %w", f, err)
		}
		rel, _ := filepath.Rel(dir, f)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// modulePath is the module path declared in a go.mod file.
func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	if p := modfile.ModulePath(data); p != "" {
		return p, nil
	}
	return "", errors.New("no module line")
}

// tailBuffer keeps the last max bytes written, for error messages.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }
