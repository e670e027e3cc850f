package livebin

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/klearkarma/observability/internal/pins"
)

// repoRoot is the repository checkout these tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	d, err := FindRepo()
	require.NoError(t, err)
	return d
}

func parseModFile(t *testing.T, file string) *modfile.File {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	mf, err := modfile.Parse(file, data, nil)
	require.NoError(t, err)
	return mf
}

func required(mf *modfile.File, mod string) string {
	for _, r := range mf.Require {
		if r.Mod.Path == mod {
			return r.Mod.Version
		}
	}
	return ""
}

// The program imports Prometheus and Alertmanager as libraries (rule and
// config parsers): they must be the release the platform deploys and the
// live tests run. promtool and amtool come from the livebin builds of those
// pins, so tools/go.mod must not build them a second time.
func TestLibraryModulesAreThePinnedServers(t *testing.T) {
	root := repoRoot(t)
	mf := parseModFile(t, filepath.Join(root, "go.mod"))
	for _, s := range []pins.Server{pins.Prometheus, pins.Alertmanager} {
		t.Run(fmt.Sprintf("go.mod requires %s at the pinned version", s.Module), func(t *testing.T) {
			require.Equal(t, s.ModuleVersion, required(mf, s.Module),
				"go.mod and internal/pins disagree on %s: change one so both name the deployed release", s.Module)
		})
	}
	t.Run("tools/go.mod builds neither promtool nor amtool", func(t *testing.T) {
		tools := parseModFile(t, filepath.Join(root, "tools", "go.mod"))
		for _, tool := range tools.Tool {
			for _, s := range []pins.Server{pins.Prometheus, pins.Alertmanager} {
				require.False(t, strings.HasPrefix(tool.Path, s.Module+"/"),
					"tools/go.mod builds %s from %s: take it from the livebin build of the %s pin instead (livetest.Built)", tool.Path, s.Module, s.Name)
			}
		}
	})
}

// Each project numbers its Go module differently from its releases; these
// are the rules, so a pin that bumps one and not the other fails here.
func TestImageTagsNameTheModulesRelease(t *testing.T) {
	// Prometheus 3.x.y is published as module v0.3xx.y (minor two digits).
	promModule := func(v string) string {
		var major, minor, patch int
		_, err := fmt.Sscanf(v, "%d.%d.%d", &major, &minor, &patch)
		require.NoError(t, err)
		return fmt.Sprintf("v0.%d%02d.%d", major, minor, patch)
	}
	// Jaeger releases v1.(63+N).P and v2.N.P from one tag pair
	// ("v1.76.0 / v2.13.0" in its CHANGELOG; TestJaegerModuleIsThePinnedRelease).
	jaegerModule := func(v string) string {
		var major, minor, patch int
		_, err := fmt.Sscanf(v, "%d.%d.%d", &major, &minor, &patch)
		require.NoError(t, err)
		require.Equal(t, 2, major, "Jaeger v2 is the binary the platform runs")
		return fmt.Sprintf("v1.%d.%d", minor+63, patch)
	}
	same := func(v string) string { return "v" + v }
	cases := map[string]struct {
		server     pins.Server
		image      string
		moduleOf   func(string) string
		versionVar string
	}{
		"Prometheus 3.16.0 is module v0.316.0 and image v3.16.0":     {pins.Prometheus, "quay.io/prometheus/prometheus:v3.16.0", promModule, "github.com/prometheus/common/version.Version"},
		"Alertmanager's module and image carry one version":          {pins.Alertmanager, "quay.io/prometheus/alertmanager:v0.35.0", same, "github.com/prometheus/common/version.Version"},
		"Thanos' module and image carry one version":                 {pins.Thanos, "quay.io/thanos/thanos:v0.42.5", same, "github.com/prometheus/common/version.Version"},
		"Jaeger 2.13.0 is module v1.76.0 and an image without v":     {pins.Jaeger, "jaegertracing/jaeger:2.13.0", jaegerModule, "github.com/jaegertracing/jaeger/internal/version.latestVersion"},
		"the blackbox exporter's module and image carry one version": {pins.BlackboxExporter, "quay.io/prometheus/blackbox-exporter:v0.27.0", same, "github.com/prometheus/common/version.Version"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.image, tc.server.Image())
			require.Equal(t, tc.moduleOf(tc.server.Version), tc.server.ModuleVersion)
			require.Equal(t, tc.versionVar, tc.server.Build.VersionVar)
		})
	}
}

// tools/otelcol must link the collector at the pinned core and contrib
// releases, or its validation says nothing about the deployed image.
func TestCollectorModuleIsAtThePinnedReleases(t *testing.T) {
	root := repoRoot(t)
	mf := parseModFile(t, filepath.Join(root, pins.OTelCollector.Build.RepoDir, "go.mod"))
	require.Equal(t, pins.OTelCollector.Module, mf.Module.Mod.Path)
	require.Equal(t, "v"+pins.OTelCollector.Version, pins.OTelCollectorCore)
	require.Equal(t, "otel/opentelemetry-collector-contrib:"+strings.TrimPrefix(pins.OTelCollectorContrib, "v"), pins.OTelCollectorImage)

	seen := map[string]int{}
	for _, r := range mf.Require {
		p, v := r.Mod.Path, r.Mod.Version
		switch {
		case p == "go.opentelemetry.io/collector" || strings.HasPrefix(p, "go.opentelemetry.io/collector/"):
			want := pins.OTelCollectorCore
			if semver.Major(v) == "v1" {
				want = pins.OTelCollectorCoreStable
			}
			require.Equal(t, want, v, "%s: run `go get %s@%s && go mod tidy` in tools/otelcol", p, p, want)
			seen["core"]++
		case strings.HasPrefix(p, "github.com/open-telemetry/opentelemetry-collector-contrib/"):
			require.Equal(t, pins.OTelCollectorContrib, v, "%s: run `go get %s@%s && go mod tidy` in tools/otelcol", p, p, pins.OTelCollectorContrib)
			seen["contrib"]++
		}
	}
	require.Positive(t, seen["core"], "tools/otelcol requires no collector core module")
	require.Positive(t, seen["contrib"], "tools/otelcol requires no contrib module")
}

func TestCacheDirFollowsTheToolsScript(t *testing.T) {
	cases := map[string]struct {
		cache, xdg, home string
		want             string
	}{
		"KK_TOOLS_CACHE wins":              {cache: "/c", xdg: "/x", home: "/h", want: "/c"},
		"XDG_CACHE_HOME comes next":        {xdg: "/x", home: "/h", want: "/x/klearkarma-observability/tools"},
		"the home directory's .cache last": {home: "/h", want: "/h/.cache/klearkarma-observability/tools"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("KK_TOOLS_CACHE", tc.cache)
			t.Setenv("XDG_CACHE_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			got, err := CacheDir()
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestCheckModuleRefusesWhatWouldMislabelOrNotBuild(t *testing.T) {
	s := pins.Server{Module: "example.com/m", ModuleVersion: "v1.2.3", Version: "1.2.3", Build: pins.Build{VersionFile: "VERSION"}}
	cases := map[string]struct {
		version, gomod string
		wantErr        string
	}{
		"a module whose VERSION matches the pin builds": {version: "1.2.3\n", gomod: "module example.com/m\n"},
		"a VERSION that disagrees with the pin is refused": {
			version: "1.2.4\n", gomod: "module example.com/m\n", wantErr: "VERSION 1.2.4 but the pin says Version 1.2.3",
		},
		"a replace with a sibling directory is refused": {
			version: "1.2.3", gomod: "module example.com/m\nreplace example.com/x => ../x\n", wantErr: "replaces example.com/x with the directory ../x",
		},
		"a replace with another module version is fine": {
			version: "1.2.3", gomod: "module example.com/m\nreplace example.com/x => example.com/y v1.0.0\n",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "VERSION"), []byte(tc.version), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(tc.gomod), 0o644))
			err := checkModule(dir, s)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

// syncBuffer is a Progress writer several goroutines share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// helloRepo is a repository with one module kept in it, like tools/otelcol.
func helloRepo(t *testing.T) (string, pins.Server) {
	t.Helper()
	repo := t.TempDir()
	dir := filepath.Join(repo, "tools", "hello")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nvar version = \"dev\"\n\nfunc main() { println(\"hello\", version) }\n"), 0o644))
	return repo, pins.Server{
		Name: "hello", Module: "example.com/hello", Package: ".", Version: "1.0.0",
		Build: pins.Build{VersionVar: "main.version", RepoDir: "tools/hello"},
	}
}

func runHello(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return strings.TrimSpace(string(out))
}

// The cache rules on a module small enough to compile in a second: stamped,
// reused, built once by parallel callers, rebuilt when its sources change.
func TestEnsureBuildsOnceAndReusesTheBuild(t *testing.T) {
	repo, s := helloRepo(t)
	cache := t.TempDir()
	progress := &syncBuffer{}
	opts := Options{Progress: progress, CacheDir: cache, RepoDir: repo}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	const callers = 3
	paths := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { paths[i], errs[i] = Ensure(ctx, s, opts) })
	}
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		require.Equal(t, filepath.Join(cache, "hello-v1.0.0", "bin", "hello"), paths[i])
	}
	require.Equal(t, 1, strings.Count(progress.String(), "compiling"), "parallel callers must build once:\n%s", progress)
	require.Equal(t, "hello 1.0.0", runHello(t, paths[0]), "the version variable is stamped")

	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	for _, e := range entries {
		require.False(t, strings.Contains(e.Name(), "partial") || strings.HasPrefix(e.Name(), ".work-"), "left behind: %s", e.Name())
	}

	start := time.Now()
	_, err = Ensure(ctx, s, opts)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(progress.String(), "compiling"), "a second call must not build")
	t.Logf("no-op Ensure took %s", time.Since(start))

	main := filepath.Join(repo, "tools", "hello", "main.go")
	require.NoError(t, os.WriteFile(main, []byte("package main\n\nvar version = \"dev\"\n\nfunc main() { println(\"hello again\", version) }\n"), 0o644))
	p, err := Ensure(ctx, s, opts)
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(progress.String(), "compiling"), "changed sources must rebuild")
	require.Equal(t, "hello again 1.0.0", runHello(t, p))

	s.Build.Tags = []string{"netgo"}
	_, err = Ensure(ctx, s, opts)
	require.NoError(t, err)
	require.Equal(t, 3, strings.Count(progress.String(), "compiling"), "a changed recipe must rebuild")
}

// Cached answers from the cache alone: nothing before a build, Ensure's
// path after it, and nothing for any other recipe.
func TestCachedReportsOnlyTheCurrentBuild(t *testing.T) {
	repo, s := helloRepo(t)
	cache := t.TempDir()
	opts := Options{CacheDir: cache, RepoDir: repo}
	_, ok := Cached(s, opts)
	require.False(t, ok, "nothing is built yet")
	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	require.Empty(t, entries, "Cached writes nothing into the cache")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	p, err := Ensure(ctx, s, opts)
	require.NoError(t, err)
	got, ok := Cached(s, opts)
	require.True(t, ok, "the build Ensure made is current")
	require.Equal(t, p, got)

	cases := map[string]struct {
		server func(pins.Server) pins.Server
		opts   Options
	}{
		"other build tags are another recipe": {
			server: func(s pins.Server) pins.Server { s.Build.Tags = []string{"netgo"}; return s },
			opts:   opts,
		},
		"another version is another directory": {
			server: func(s pins.Server) pins.Server { s.Version = "1.0.1"; return s },
			opts:   opts,
		},
		"another tools cache holds nothing": {
			server: func(s pins.Server) pins.Server { return s },
			opts:   Options{CacheDir: t.TempDir(), RepoDir: repo},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, ok := Cached(tc.server(s), tc.opts)
			require.False(t, ok)
		})
	}

	main := filepath.Join(repo, "tools", "hello", "main.go")
	require.NoError(t, os.WriteFile(main, []byte("package main\n\nfunc main() { println(\"changed\") }\n"), 0o644))
	_, ok = Cached(s, opts)
	require.False(t, ok, "changed sources make the build outdated")
	require.Equal(t, "hello 1.0.0", runHello(t, p), "Cached built nothing")
}

func TestEnsureFailureLeavesTheCacheAsItWas(t *testing.T) {
	repo, s := helloRepo(t)
	require.NoError(t, os.WriteFile(filepath.Join(repo, "tools", "hello", "main.go"), []byte("package main\n\nfunc main() { undefined() }\n"), 0o644))
	cache := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, err := Ensure(ctx, s, Options{CacheDir: cache, RepoDir: repo})
	require.ErrorContains(t, err, "undefined")
	require.ErrorContains(t, err, "hello 1.0.0")
	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	for _, e := range entries {
		require.True(t, strings.HasSuffix(e.Name(), ".lock"), "left behind: %s", e.Name())
	}
}

func TestEnsureWaitsForTheLockOnlyAsLongAsTheContext(t *testing.T) {
	repo, s := helloRepo(t)
	cache := t.TempDir()
	log := progress{w: &syncBuffer{}}
	unlock, err := lock(context.Background(), filepath.Join(cache, ".hello-v1.0.0.lock"), log)
	require.NoError(t, err)
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	_, err = Ensure(ctx, s, Options{CacheDir: cache, RepoDir: repo})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "waiting for the lock")
}

func TestBinariesListsTheCompanionsAfterTheServer(t *testing.T) {
	require.Equal(t, []string{"prometheus", "promtool"}, pins.Prometheus.Binaries())
	require.Equal(t, []string{"alertmanager", "amtool"}, pins.Alertmanager.Binaries())
	require.Equal(t, []string{"thanos"}, pins.Thanos.Binaries())
	names := map[string]bool{}
	for _, s := range pins.Servers() {
		for _, n := range s.Binaries() {
			require.False(t, names[n], "two servers build %s", n)
			names[n] = true
		}
		require.NotEmpty(t, s.Build.VersionVar, "%s: without a version variable its --version reports nothing", s.Name)
		require.True(t, (s.ModuleVersion == "") == (s.Build.RepoDir != ""), "%s: either a module version or a repository directory", s.Name)
		_, err := strconv.Atoi(strings.Split(s.Version, ".")[0])
		require.NoError(t, err, "%s: Version %q is a release number without v", s.Name, s.Version)
	}
}
