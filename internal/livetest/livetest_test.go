package livetest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
)

// helperEnv makes the test binary a stand-in for a server binary: run with
// it set, the binary does what its first argument says (see helper).
const helperEnv = "LIVETEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helper(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// helper is the stand-in binary: "exit <code>" writes to both streams and
// exits with code, "pwd" prints its working directory, "sleep" sleeps,
// "serve <addr>" answers 200 on addr until it is signalled.
func helper(args []string) int {
	switch args[0] {
	case "exit":
		fmt.Fprintln(os.Stdout, "to stdout")
		fmt.Fprintln(os.Stderr, "to stderr")
		code, _ := strconv.Atoi(args[1])
		return code
	case "pwd":
		wd, _ := os.Getwd()
		fmt.Print(wd)
		return 0
	case "sleep":
		time.Sleep(time.Minute)
		return 0
	case "serve":
		fmt.Println("serving on", args[1])
		if err := http.ListenAndServe(args[1], http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		return 1
	}
	return 2
}

func TestRunReturnsTheExitCodeAndTheOutput(t *testing.T) {
	t.Setenv(helperEnv, "1")
	cases := map[string]struct {
		args     []string
		within   time.Duration
		code     int
		contains []string
		err      string
	}{
		"a zero exit returns the output of both streams": {args: []string{"exit", "0"}, contains: []string{"to stdout", "to stderr"}},
		"a non-zero exit is returned, not an error":      {args: []string{"exit", "3"}, code: 3, contains: []string{"to stderr"}},
		"it runs in the directory it is given":           {args: []string{"pwd"}, contains: []string{"run-dir"}},
		"a binary that does not finish in time is an error": {
			args: []string{"sleep"}, within: 300 * time.Millisecond, err: "did not finish within 300ms",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.within == 0 {
				tc.within = time.Minute
			}
			dir := filepath.Join(t.TempDir(), "run-dir")
			require.NoError(t, os.Mkdir(dir, 0o755))
			code, out, err := run(dir, tc.within, os.Args[0], tc.args...)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.code, code, out)
			for _, c := range tc.contains {
				require.Contains(t, out, c)
			}
		})
	}
	t.Run("a binary that does not exist is an error", func(t *testing.T) {
		_, _, err := run(t.TempDir(), time.Minute, filepath.Join(t.TempDir(), "missing"), "x")
		require.ErrorContains(t, err, "run missing x")
	})
}

func TestStartRunsTheServerUntilTheTestEnds(t *testing.T) {
	t.Setenv(helperEnv, "1")
	addr := FreeAddr(t)
	t.Run("the started server answers", func(t *testing.T) {
		Start(t, os.Args[0], "serve", addr)
		WaitHTTP(t, "http://"+addr+"/", 30*time.Second)
	})
	// The subtest's cleanup stopped it.
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	require.Error(t, err, "the server still listens on %s after its test ended", addr)
}

func TestWaitHTTPWaitsForA200(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(ok.Close)
	unavailable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(unavailable.Close)
	cases := map[string]struct {
		url string
		err string
	}{
		"a server answering 200 is ready":                    {url: ok.URL},
		"a server answering 503 is not, and says its status": {url: unavailable.URL, err: "(last: 503 Service Unavailable)"},
		"nothing listening is not, and says why":             {url: "http://" + FreeAddr(t), err: "connection refused"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := waitHTTP(tc.url, 500*time.Millisecond)
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, "not ready within 500ms")
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestFreeAddrIsOnLoopback(t *testing.T) {
	addr := FreeAddr(t)
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", host)
	l, err := net.Listen("tcp", addr)
	require.NoError(t, err, "the port is free")
	require.NoError(t, l.Close())
	require.NotEqual(t, "0", port)
}

func TestWriteFileWritesIntoATemporaryDirectory(t *testing.T) {
	p := WriteFile(t, "a.yml", "key: value\n")
	require.Equal(t, "a.yml", filepath.Base(p))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "key: value\n", string(b))
}

// helloRepo is a repository with one small module kept in it, a server
// that compiles in a second, as livebin's own tests use.
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

func TestLookupBuildsOnlyWithoutShort(t *testing.T) {
	repo, s := helloRepo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	built := t.TempDir()
	want, err := livebin.Ensure(ctx, s, livebin.Options{CacheDir: built, RepoDir: repo})
	require.NoError(t, err)

	cases := map[string]struct {
		short   bool
		cache   string // empty: a new, empty tools cache
		binary  string
		want    string
		err     string
		builds  bool
		skipped bool
	}{
		"under -short the cached build is returned":                   {short: true, cache: built, binary: "hello", want: want},
		"under -short a build not in the cache is skipped, not built": {short: true, binary: "hello", skipped: true},
		"without -short the cached build is returned":                 {cache: built, binary: "hello", want: want},
		"without -short a build not in the cache is built":            {binary: "hello", builds: true},
		"a binary the server does not build is refused":               {short: true, cache: built, binary: "promtool", err: "builds hello, not promtool"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cache := tc.cache
			if cache == "" {
				cache = t.TempDir()
			}
			got, err := lookup(ctx, s, tc.binary, tc.short, livebin.Options{CacheDir: cache, RepoDir: repo})
			switch {
			case tc.skipped:
				require.ErrorIs(t, err, errNotCached)
				require.ErrorContains(t, err, cache, "the message names the cache")
				entries, err := os.ReadDir(cache)
				require.NoError(t, err)
				require.Empty(t, entries, "nothing is built under -short")
			case tc.err != "":
				require.ErrorContains(t, err, tc.err)
			case tc.builds:
				require.NoError(t, err)
				require.Equal(t, filepath.Join(livebin.Dir(cache, s), "bin", "hello"), got)
				require.FileExists(t, got)
			default:
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
			}
		})
	}
}

func TestTheEngineSwitchesTheTestsSetKeepWhatTheRunnerSet(t *testing.T) {
	const key = "KK_LIVETEST_SET_UNLESS_SET"
	cases := map[string]struct {
		before *string // nil: unset
		want   string
	}{
		"an unset switch is turned on":              {want: "true"},
		"a switch the runner turned off stays off":  {before: ptr("false"), want: "false"},
		"a switch the runner set empty stays empty": {before: ptr(""), want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			old, had := os.LookupEnv(key)
			t.Cleanup(func() {
				if had {
					os.Setenv(key, old)
				} else {
					os.Unsetenv(key)
				}
			})
			os.Unsetenv(key)
			if tc.before != nil {
				os.Setenv(key, *tc.before)
			}
			setUnlessSet(key, "true")
			got, ok := os.LookupEnv(key)
			require.True(t, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestCommandNamesTheBinaryByItsBaseName(t *testing.T) {
	require.Equal(t, "promtool check rules /tmp/r.yaml", command("/cache/prometheus-v3/bin/promtool", strings.Fields("check rules /tmp/r.yaml")))
}
