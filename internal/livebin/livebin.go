// Package livebin builds the real upstream servers the platform deploys
// (internal/pins: Prometheus with promtool, Alertmanager with amtool, Thanos,
// Jaeger v2, the blackbox exporter, and this repository's own OpenTelemetry
// Collector distribution in tools/otelcol) from the Go module proxy at their
// pinned versions, so tests can run them as processes and validate generated
// configuration with them.
//
// It owns the servers' directories in the tools cache,
// <cache>/<name>-v<version>/bin/<name>: a build there is idempotent (a second
// call returns at once), locked (parallel callers, in one process or many,
// build once) and atomic (built in a temporary directory, then renamed).
// Each directory also holds build.json, the recipe it was built with; a
// changed recipe (build tags, toolchain, or for tools/otelcol its sources)
// rebuilds. It never touches the module cache or the Go build cache beyond
// what the go command does, and never writes into the repository.
package livebin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klearkarma/observability/internal/pins"
)

// Options are the settings every build shares.
type Options struct {
	// Progress receives one line per build step with its timing, and the go
	// command's own output; nil discards it.
	Progress io.Writer
	// CacheDir is the tools cache; empty means CacheDir().
	CacheDir string
	// RepoDir is this repository's root, needed for servers kept in it
	// (pins.OTelCollector); empty means the nearest directory at or above
	// the working directory whose go.mod is this repository's module.
	RepoDir string
}

// repoModule is the root module's path, by which RepoDir is found.
const repoModule = "github.com/klearkarma/observability"

// CacheDir is the tools cache shared with scripts/tools.sh:
// $KK_TOOLS_CACHE, else $XDG_CACHE_HOME/klearkarma-observability/tools,
// else ~/.cache/klearkarma-observability/tools.
func CacheDir() (string, error) {
	if d := os.Getenv("KK_TOOLS_CACHE"); d != "" {
		return d, nil
	}
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("tools cache: no home directory (%w); set KK_TOOLS_CACHE to a writable directory", err)
		}
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "klearkarma-observability", "tools"), nil
}

// Dir is where s is built inside cache: <cache>/<name>-v<version>.
func Dir(cache string, s pins.Server) string {
	return filepath.Join(cache, s.Name+"-v"+s.Version)
}

// Ensure builds s unless the cache already holds this build of it, and
// returns the path of its main binary; its companions (promtool, amtool) are
// in the same directory.
func Ensure(ctx context.Context, s pins.Server, opts Options) (string, error) {
	o, err := opts.resolve(s)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", s.Name, s.Version, err)
	}
	b := &builder{s: s, opts: o, log: progress{w: o.Progress, prefix: "livebin: " + s.Name + " " + s.Version + ": "}}
	path, err := b.ensure(ctx)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", s.Name, s.Version, err)
	}
	return path, nil
}

// Cached reports whether the tools cache already holds the build of s the
// pins ask for now (its build.json is today's recipe and every binary is
// there), and if so returns the path of its main binary, as Ensure would. It
// builds nothing, takes no lock and writes nothing; a cache or a recipe it
// cannot read counts as not cached.
func Cached(s pins.Server, opts Options) (path string, ok bool) {
	o, err := opts.resolve(s)
	if err != nil {
		return "", false
	}
	b := &builder{s: s, opts: o}
	want, err := b.recipe()
	if err != nil {
		return "", false
	}
	dir := Dir(o.CacheDir, s)
	if !b.built(dir, want) {
		return "", false
	}
	return filepath.Join(dir, "bin", s.Name), true
}

// EnsureAll builds every server in pins.Servers() one after the other (the
// machine has 2 cores; parallel compiles only compete) and returns every
// binary's path by name, companions included. A failed build does not stop
// the others; the error lists every failure.
func EnsureAll(ctx context.Context, opts Options) (map[string]string, error) {
	return EnsureSome(ctx, pins.Servers(), opts)
}

// EnsureSome is EnsureAll for the given servers.
func EnsureSome(ctx context.Context, servers []pins.Server, opts Options) (map[string]string, error) {
	paths := map[string]string{}
	var errs []error
	for _, s := range servers {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("%s %s: not built: %w", s.Name, s.Version, ctx.Err()))
			continue
		}
		p, err := Ensure(ctx, s, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, name := range s.Binaries() {
			paths[name] = filepath.Join(filepath.Dir(p), name)
		}
	}
	return paths, errors.Join(errs...)
}

func (o Options) resolve(s pins.Server) (Options, error) {
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.CacheDir == "" {
		d, err := CacheDir()
		if err != nil {
			return o, err
		}
		o.CacheDir = d
	}
	if s.Build.RepoDir != "" && o.RepoDir == "" {
		d, err := FindRepo()
		if err != nil {
			return o, err
		}
		o.RepoDir = d
	}
	return o, nil
}

// FindRepo is the root of this repository's checkout at or above the
// working directory (the directory of the go.mod of this module).
func FindRepo() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the repository: %w; set Options.RepoDir", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if mod, err := modulePath(filepath.Join(d, "go.mod")); err == nil && mod == repoModule {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod of module %s at or above %s: run from the repository checkout or set Options.RepoDir", repoModule, wd)
		}
	}
}

// progress writes prefixed lines to the caller's writer.
type progress struct {
	w      io.Writer
	prefix string
}

func (p progress) printf(format string, args ...any) {
	fmt.Fprintf(p.w, p.prefix+format+"\n", args...)
}

// since formats an elapsed time for the progress lines.
func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }
