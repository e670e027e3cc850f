package blackbox_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	bbconfig "github.com/prometheus/blackbox_exporter/config"
	"github.com/prometheus/blackbox_exporter/prober"
	promclient "github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func TestTheGeneratedConfigLoadsWithTheExportersOwnLoader(t *testing.T) {
	text, err := blackbox.RenderConfig()
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), blackbox.ConfigFile)
	require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
	sc := bbconfig.NewSafeConfig(promclient.NewRegistry())
	require.NoError(t, sc.ReloadConfig(file, slog.New(slog.DiscardHandler)), text)
	assert.ElementsMatch(t, []string{blackbox.ModuleHTTP2xx, blackbox.ModuleHealthAvailable, blackbox.ModuleHealthHealthy}, keys(sc.C.Modules))
	for name, m := range sc.C.Modules {
		assert.Equal(t, "http", m.Prober, name)
		assert.Equal(t, blackbox.ProbeTimeout, m.Timeout, name)
	}
}

func TestTheConfigIsDeterministicAndGolden(t *testing.T) {
	a, err := blackbox.RenderConfig()
	require.NoError(t, err)
	b, err := blackbox.RenderConfig()
	require.NoError(t, err)
	require.Equal(t, a, b)
	pulumitest.Golden(t, filepath.Join("testdata", blackbox.ConfigFile), []byte(a))
}

func TestTheLoaderRefusesWhatTheExporterRefuses(t *testing.T) {
	cases := map[string]string{
		"an unknown key is refused":          "modules:\n  x:\n    prober: http\n    timeuot: 5s\n",
		"a malformed duration is refused":    "modules:\n  x:\n    prober: http\n    timeout: soon\n",
		"a malformed body regexp is refused": "modules:\n  x:\n    prober: http\n    http:\n      fail_if_body_matches_regexp: ['(']\n",
	}
	pulumitest.Cases(t, cases, func(t *testing.T, text string) {
		_, err := blackbox.ParseConfig([]byte(text))
		require.Error(t, err)
	})
}

// healthApp serves the strategy's /health/detailed with the given status and
// its status code: 200 for healthy and degraded, 503 for unhealthy.
func healthApp(t *testing.T, status string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusOK
		if status == "unhealthy" {
			code = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"status":"` + status + `","timestamp":"2026-12-02T00:00:00.000Z","checks":{"database":true,"redis":false,"memory":true,"disk":true}}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/health/detailed"
}

// The modules run in the exporter's own prober against a fake application:
// available passes on healthy and degraded, healthy only on healthy, so
// degraded is the one state where they disagree.
func TestTheHealthModulesTellTheThreeStatesApart(t *testing.T) {
	cfg, err := blackbox.BuildConfig()
	require.NoError(t, err)
	type want struct{ twoxx, available, healthy bool }
	cases := map[string]struct {
		status string
		want   want
	}{
		"a healthy application passes every module":                               {status: "healthy", want: want{true, true, true}},
		"a degraded application is available but not healthy":                     {status: "degraded", want: want{true, true, false}},
		"an unhealthy application (503) fails every module":                       {status: "unhealthy", want: want{false, false, false}},
		"an unknown status answered with 200 is available but not called healthy": {status: "starting", want: want{true, true, false}},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc struct {
		status string
		want   want
	}) {
		url := healthApp(t, tc.status)
		probe := func(module string) bool {
			return prober.ProbeHTTP(context.Background(), url, cfg.Modules[module], promclient.NewRegistry(), slog.New(slog.DiscardHandler))
		}
		assert.Equal(t, tc.want, want{probe(blackbox.ModuleHTTP2xx), probe(blackbox.ModuleHealthAvailable), probe(blackbox.ModuleHealthHealthy)})
	})
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
