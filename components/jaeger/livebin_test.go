package jaeger

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
)

// Helpers of the tests that run the pinned binaries. They build them with
// livebin (minutes the first time, cached after) and skip under -short.

func built(t *testing.T, s pins.Server) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("live: builds and runs %s %s; runs without -short", s.Name, s.Version)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-10*time.Second))
		defer cancel()
	}
	p, err := livebin.Ensure(ctx, s, livebin.Options{Progress: os.Stderr})
	require.NoError(t, err, "build %s; if the test timed out, build first with `go run ./cmd/servers`", s.Name)
	return p
}

// runBinary runs a binary to completion: its exit code and output.
func runBinary(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	require.NoError(t, err, "run %s %v\n%s", bin, args, out)
	return 0, string(out)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func loopback(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// startProcess runs a server until the test ends, then stops it by its
// PID (SIGTERM, SIGKILL after 15s); its output is logged if the test failed.
func startProcess(t *testing.T, bin string, args ...string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		stop := time.Now()
		defer func() { t.Logf("%s stopped in %s", filepath.Base(bin), time.Since(stop).Round(100*time.Millisecond)) }()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s %v output:\n%s", filepath.Base(bin), args, out.String())
		}
	})
}

// waitHTTP waits for a 200 from url.
func waitHTTP(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		require.False(t, time.Now().After(deadline), "%s not ready within %s (last: %v)", url, within, err)
		time.Sleep(200 * time.Millisecond)
	}
}
