package blackbox_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
)

// TestLiveExporterProbesTheStrategysEndpoints runs the pinned
// blackbox_exporter binary on loopback with the generated blackbox.yml and
// probes a fake application in each of its three states through /probe, as
// Prometheus's probe jobs do.
func TestLiveExporterProbesTheStrategysEndpoints(t *testing.T) {
	livetest.SkipShort(t, "runs blackbox_exporter against fake applications")
	bin := livetest.Built(t, pins.BlackboxExporter, "blackbox_exporter")

	text, err := blackbox.RenderConfig()
	require.NoError(t, err)
	cfgFile := livetest.WriteFile(t, blackbox.ConfigFile, text)
	code, out := livetest.Run(t, time.Minute, bin, "--config.check", "--config.file="+cfgFile)
	require.Equal(t, 0, code, "the exporter's own --config.check refuses the generated file:\n%s", out)

	addr := livetest.FreeAddr(t)
	livetest.Start(t, bin, "--config.file="+cfgFile, "--web.listen-address="+addr)
	livetest.WaitHTTP(t, "http://"+addr+"/-/healthy", 30*time.Second)

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
