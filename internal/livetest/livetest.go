// Package livetest is the scaffolding of the tests that run the pinned
// upstream binaries (internal/pins, built by internal/livebin into the tools
// cache): finding a built binary, running it to completion, starting it as
// a server on loopback until the test ends, and waiting for it to answer.
// Only tests import it. Processes are stopped by their PID, never by name.
package livetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
)

// buildMargin is the part of a test's deadline a build leaves to the test,
// so a build cut short still reports why.
const buildMargin = 10 * time.Second

// stopGrace is how long a started process has after SIGTERM before SIGKILL.
const stopGrace = 15 * time.Second

// errNotCached is lookup's answer under -short for a build not in the cache.
var errNotCached = errors.New("not built in the tools cache")

// SkipShort skips a live test under -short; what says what it runs.
func SkipShort(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("live: %s; runs without -short", what)
	}
}

// Built is the path of binary (s's main binary or one of its companions,
// such as promtool beside prometheus) from s's build in the tools cache.
// Without -short it builds s first unless the cache holds the current
// build (minutes the first time), within the test's deadline. Under -short
// it builds nothing: it returns the cached binary if the build is current,
// and skips the test otherwise, saying how to build it.
func Built(t *testing.T, s pins.Server, binary string) string {
	t.Helper()
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-buildMargin))
		defer cancel()
	}
	p, err := lookup(ctx, s, binary, testing.Short(), livebin.Options{Progress: os.Stderr})
	switch {
	case errors.Is(err, errNotCached):
		t.Skipf("%v; -short builds nothing: run `go run ./cmd/servers` first, or the test without -short", err)
	case err != nil:
		t.Fatalf("%v; if the test timed out, build first with `go run ./cmd/servers`", err)
	}
	return p
}

// lookup is Built without the test: under short only a current cached
// build, else livebin.Ensure.
func lookup(ctx context.Context, s pins.Server, binary string, short bool, opts livebin.Options) (string, error) {
	if !slices.Contains(s.Binaries(), binary) {
		return "", fmt.Errorf("%s %s builds %s, not %s: name one of them", s.Name, s.Version, strings.Join(s.Binaries(), ", "), binary)
	}
	var main string
	if short {
		p, ok := livebin.Cached(s, opts)
		if !ok {
			where := "the tools cache"
			if opts.CacheDir != "" {
				where = opts.CacheDir
			} else if d, err := livebin.CacheDir(); err == nil {
				where = d
			}
			return "", fmt.Errorf("%s %s is %w (%s)", s.Name, s.Version, errNotCached, where)
		}
		main = p
	} else {
		p, err := livebin.Ensure(ctx, s, opts)
		if err != nil {
			return "", fmt.Errorf("build %w", err)
		}
		main = p
	}
	return filepath.Join(filepath.Dir(main), binary), nil
}

// Run runs bin with args to completion, in a temporary directory, and
// returns its exit code and its combined output. A binary that cannot be
// started or does not finish within the given time fails the test.
func Run(t *testing.T, within time.Duration, bin string, args ...string) (code int, output string) {
	t.Helper()
	code, output, err := run(t.TempDir(), within, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return code, output
}

// run is Run in dir, with an error where Run fails the test.
func run(dir string, within time.Duration, bin string, args ...string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	// A child that keeps the output open must not keep Run waiting.
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return 0, string(out), fmt.Errorf("%s did not finish within %s: %v\n%s", command(bin, args), within, err, out)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out), nil
	}
	if err != nil {
		return 0, string(out), fmt.Errorf("run %s: %w\n%s", command(bin, args), err, out)
	}
	return 0, string(out), nil
}

// RunOK is Run for a command that must succeed: a non-zero exit fails the
// test with its output. It returns the output.
func RunOK(t *testing.T, within time.Duration, bin string, args ...string) string {
	t.Helper()
	code, out := Run(t, within, bin, args...)
	if code != 0 {
		t.Fatalf("%s exited with %d:\n%s", command(bin, args), code, out)
	}
	return out
}

// WriteFile writes content to a file named name in a new temporary
// directory and returns its path.
func WriteFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	return p
}

// FreePort asks the kernel for a free loopback port.
func FreePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free loopback port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// FreeAddr is a free loopback port as an address: 127.0.0.1:<port>.
func FreeAddr(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("127.0.0.1:%d", FreePort(t))
}

// Start runs bin with args in the background, in a temporary directory,
// until the test ends; then it stops it by its PID (SIGTERM, SIGKILL after
// 15s) and logs how long that took. If the test failed, the process's
// output is logged too.
func Start(t *testing.T, bin string, args ...string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	// One writer for both: the exec package copies them in one goroutine,
	// and out is read only after Wait.
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", command(bin, args), err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		stop := time.Now()
		select {
		case <-done:
			t.Logf("%s had already exited: %v", filepath.Base(bin), waitErr)
		default:
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(stopGrace):
				_ = cmd.Process.Kill()
				<-done
			}
			t.Logf("%s stopped in %s", filepath.Base(bin), time.Since(stop).Round(100*time.Millisecond))
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", command(bin, args), out.String())
		}
	})
}

// WaitHTTP waits until a GET of url answers 200, trying every 200ms, and
// fails the test with the last error or status if it does not within the
// given time.
func WaitHTTP(t *testing.T, url string, within time.Duration) {
	t.Helper()
	if err := waitHTTP(url, within); err != nil {
		t.Fatal(err)
	}
}

func waitHTTP(url string, within time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(within)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = errors.New(resp.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready within %s (last: %v)", url, within, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// command is bin's name with its arguments, for messages.
func command(bin string, args []string) string {
	return strings.Join(append([]string{filepath.Base(bin)}, args...), " ")
}

// SkipCheckpointsEnv is the Pulumi CLI's switch that saves the state once,
// at the end of an update, instead of after every step (a checkpoint is
// what an interrupted update resumes from; no test interrupts one). With
// the file backend every checkpoint rewrites the whole state, which holds
// the rendered manifests: measured on test/engine, 157 CPU-seconds and
// 118 s with checkpoints, 71 and 42 s without, on an idle machine. The
// tests set it only when it is unset, so PULUMI_SKIP_CHECKPOINTS=false
// runs them as a user's `pulumi up` runs; the driver never sets it.
const SkipCheckpointsEnv = "PULUMI_SKIP_CHECKPOINTS"

var skipCheckpoints sync.Once

// setUnlessSet sets the environment variable key to value unless the
// process already has it (even empty or "false"): the person running the
// tests decides.
func setUnlessSet(key, value string) {
	if _, set := os.LookupEnv(key); !set {
		os.Setenv(key, value)
	}
}

// PulumiTools is the directory whose bin/ holds the pinned Pulumi CLI and
// kubernetes plugin: $KK_TOOLS_ROOT when set, else what scripts/tools.sh
// prints. tools.sh builds them the first time (locked and idempotent), so a
// test that starts while scripts/test.sh is still building them waits on
// that build's lock instead of failing: the test command starts go test
// beside the tool builds. Skipped under -short, which builds nothing.
//
// It also turns the engine's intermediate checkpoints off for the test
// process and the CLIs it starts (SkipCheckpointsEnv).
func PulumiTools(t *testing.T) string {
	t.Helper()
	SkipShort(t, "runs the Pulumi engine with the pinned CLI and kubernetes plugin")
	skipCheckpoints.Do(func() { setUnlessSet(SkipCheckpointsEnv, "true") })
	root := os.Getenv("KK_TOOLS_ROOT")
	if root == "" {
		repo, err := livebin.FindRepo()
		if err != nil {
			t.Fatalf("find scripts/tools.sh: %v; or set KK_TOOLS_ROOT to what it prints", err)
		}
		var out bytes.Buffer
		cmd := exec.CommandContext(t.Context(), filepath.Join(repo, "scripts", "tools.sh"))
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("scripts/tools.sh (the pinned Pulumi CLI and kubernetes plugin): %v", err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		root = lines[len(lines)-1]
	}
	for _, b := range []string{"pulumi", "pulumi-resource-kubernetes"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			t.Fatalf("tools root %s lacks bin/%s: run scripts/tools.sh (make tools)", root, b)
		}
	}
	return root
}
