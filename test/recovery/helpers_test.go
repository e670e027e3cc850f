package recovery_test

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

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// render evaluates the program for a shipped stack under the recording
// mock, with test values for its secrets.
func render(t *testing.T, stack string) *pulumitest.Recorder {
	t.Helper()
	f, err := stacks.ReadStackFile("../..", stack)
	require.NoError(t, err)
	values := f.Source.Values
	var secretKeys []string
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		values[key] = s.ValidValue("test-secret-value-for-" + s.Key)
		secretKeys = append(secretKeys, key)
	}
	pulumitest.WithConfig(t, values, secretKeys)
	rec := pulumitest.New()
	require.NoError(t, pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, stack, rec)))
	return rec
}

// built is the pinned binary, built once into the tools cache.
func built(t *testing.T, s pins.Server, binary string) string {
	t.Helper()
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-10*time.Second))
		defer cancel()
	}
	p, err := livebin.Ensure(ctx, s, livebin.Options{Progress: os.Stderr})
	require.NoError(t, err, "build %s; if the test timed out, build first with `go run ./cmd/servers`", s.Name)
	return filepath.Join(filepath.Dir(p), binary)
}

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// run runs a binary to completion and fails the test on an error.
func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	require.NoError(t, err, "%s %v\n%s", filepath.Base(bin), args, out)
	return string(out)
}

// start runs a server until the test ends, then stops it by its PID
// (SIGTERM, SIGKILL after 15s); its output is logged if the test failed.
func start(t *testing.T, bin string, args ...string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
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

// waitReady waits for a 200 from a server's /-/ready.
func waitReady(t *testing.T, addr string, within time.Duration) {
	t.Helper()
	url := fmt.Sprintf("http://%s/-/ready", addr)
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
