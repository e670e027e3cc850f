package blackbox_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
)

// TestLiveExporterProbesTheStrategysEndpoints runs the pinned
// blackbox_exporter binary on loopback with the generated blackbox.yml and
// probes a fake application in each of its three states through /probe, as
// Prometheus's probe jobs do.
func TestLiveExporterProbesTheStrategysEndpoints(t *testing.T) {
	if testing.Short() {
		t.Skipf("live: builds and runs %s %s; runs without -short", pins.BlackboxExporter.Name, pins.BlackboxExporter.Version)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-10*time.Second))
		defer cancel()
	}
	bin, err := livebin.Ensure(ctx, pins.BlackboxExporter, livebin.Options{Progress: os.Stderr})
	require.NoError(t, err, "build the exporter; if the test timed out, build first with `go run ./cmd/servers`")

	text, err := blackbox.RenderConfig()
	require.NoError(t, err)
	cfgFile := filepath.Join(t.TempDir(), blackbox.ConfigFile)
	require.NoError(t, os.WriteFile(cfgFile, []byte(text), 0o644))
	code, out := runExporter(t, bin, "--config.check", "--config.file="+cfgFile)
	require.Equal(t, 0, code, "the exporter's own --config.check refuses the generated file:\n%s", out)

	addr := "127.0.0.1:" + fmt.Sprint(freePort(t))
	startExporter(t, bin, "--config.file="+cfgFile, "--web.listen-address="+addr)
	waitOK(t, "http://"+addr+"/-/healthy", 30*time.Second)

	type row struct {
		path, module string
		want         map[string]float64 // app state -> probe_success
	}
	states := []string{"healthy", "degraded", "unhealthy"}
	apps := map[string]string{}
	for _, s := range states {
		apps[s] = fakeApp(t, s)
	}
	rows := map[string]row{
		"the live endpoint answers while the process runs, whatever its dependencies": {
			path: "/live", module: blackbox.ModuleHTTP2xx, want: map[string]float64{"healthy": 1, "degraded": 1, "unhealthy": 1},
		},
		"the ready endpoint fails when the application cannot serve (503)": {
			path: "/ready", module: blackbox.ModuleHTTP2xx, want: map[string]float64{"healthy": 1, "degraded": 1, "unhealthy": 0},
		},
		"the detailed health endpoint is available unless unhealthy": {
			path: "/health/detailed", module: blackbox.ModuleHealthAvailable, want: map[string]float64{"healthy": 1, "degraded": 1, "unhealthy": 0},
		},
		"the detailed health endpoint is healthy only when it says so, which flags degraded": {
			path: "/health/detailed", module: blackbox.ModuleHealthHealthy, want: map[string]float64{"healthy": 1, "degraded": 0, "unhealthy": 0},
		},
	}
	for name, r := range rows {
		t.Run(name, func(t *testing.T) {
			for _, s := range states {
				got := probeSuccess(t, addr, r.module, apps[s]+r.path)
				assert.Equal(t, r.want[s], got, "%s application, module %s", s, r.module)
			}
		})
	}
}

// fakeApp serves the strategy's four endpoints for an application in state
// (healthy, degraded or unhealthy): /live always 200; /ready and /health
// 503 when unhealthy; /health/detailed the strategy's JSON, 503 when
// unhealthy.
func fakeApp(t *testing.T, state string) string {
	t.Helper()
	code := http.StatusOK
	if state == "unhealthy" {
		code = http.StatusServiceUnavailable
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/live", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"status":"alive"}`)) })
	for _, p := range []string{"/ready", "/health"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) })
	}
	mux.HandleFunc("/health/detailed", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, `{"status":%q,"timestamp":"2026-12-02T00:00:00.000Z","checks":{"database":%t,"redis":%t,"memory":true,"disk":true}}`,
			state, state != "unhealthy", state == "healthy")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// probeSuccess asks the exporter to probe target with module and returns
// the probe_success sample of its answer.
func probeSuccess(t *testing.T, addr, module, target string) float64 {
	t.Helper()
	u := "http://" + addr + "/probe?" + url.Values{"module": {module}, "target": {target}}.Encode()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, u)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var v float64
		if _, err := fmt.Sscanf(sc.Text(), "probe_success %g", &v); err == nil && strings.HasPrefix(sc.Text(), "probe_success ") {
			return v
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("%s: no probe_success in the answer", u)
	return 0
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func runExporter(t *testing.T, bin string, args ...string) (int, string) {
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

// startExporter runs the exporter until the test ends, then stops it by
// its PID; its output is logged if the test failed.
func startExporter(t *testing.T, bin string, args ...string) {
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
			t.Logf("blackbox_exporter output:\n%s", out.String())
		}
	})
}

func waitOK(t *testing.T, u string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready within %s (last: %v)", u, within, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
