package jsonprobe_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus-community/json_exporter/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"
	"gopkg.in/yaml.v2"

	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/pins"
)

func probe() jsonprobe.Probe {
	return jsonprobe.Probe{Module: "demo", Target: "http://localhost:8080/status", Metrics: []config.Metric{
		{Name: "demo_up", Path: "{.up}", Type: config.ValueScrape, ValueType: config.ValueTypeGauge, Help: "Up."},
		{Name: "demo_queue", Path: "{.queues[*]}", Type: config.ObjectScrape, ValueType: config.ValueTypeGauge, Help: "Queues.",
			Labels: map[string]string{"queue": "{.name}", "b": "static"}, Values: map[string]string{"size": "{.size}", "max": "{.max}"}},
	}}
}

func TestTheImageIsTheReleaseWhoseConfigTypesTheTestsUse(t *testing.T) {
	data, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	mf, err := modfile.Parse("go.mod", data, nil)
	require.NoError(t, err)
	var version string
	for _, r := range mf.Require {
		if r.Mod.Path == pins.JSONExporterModule {
			version = r.Mod.Version
		}
	}
	assert.Equal(t, pins.JSONExporter, version, "go.mod and internal/pins disagree on %s: change one so both name the deployed release", pins.JSONExporterModule)
	assert.Equal(t, "quay.io/prometheuscommunity/json-exporter:"+version, pins.JSONExporterImage)
}

func TestTheRenderedConfigurationIsWhatTheExporterLoads(t *testing.T) {
	p := probe()
	text, err := p.Render()
	require.NoError(t, err)
	again, err := p.Render()
	require.NoError(t, err)
	assert.Equal(t, text, again, "deterministic")
	path := filepath.Join(t.TempDir(), jsonprobe.ConfigFile)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	loaded, err := config.LoadConfig(path)
	require.NoError(t, err)
	// What the exporter loaded, written again, is the file: nothing was
	// dropped or misspelled (its decoder ignores unknown keys).
	back, err := yaml.Marshal(loaded)
	require.NoError(t, err)
	assert.Equal(t, text, string(back))
}

func TestABadProbeIsRefusedWithItsModuleNamed(t *testing.T) {
	cases := map[string]struct {
		change  func(*jsonprobe.Probe)
		wantErr string
	}{
		"no module":      {func(p *jsonprobe.Probe) { p.Module = "" }, "Module is empty"},
		"a relative URL": {func(p *jsonprobe.Probe) { p.Target = "/status" }, `json_exporter module demo: Target "/status" is not an absolute URL`},
		"no metrics":     {func(p *jsonprobe.Probe) { p.Metrics = nil }, "json_exporter module demo: no metrics"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := probe()
			tc.change(&p)
			_, err := p.Render()
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestTheAnnotationsAskTheAnnotationJobForTheModuleAndTarget(t *testing.T) {
	assert.Equal(t, map[string]string{
		"prometheus.io/scrape":       "true",
		"prometheus.io/port":         "7979",
		"prometheus.io/path":         "/probe",
		"prometheus.io/param_module": "demo",
		"prometheus.io/param_target": "http://localhost:8080/status",
	}, probe().Annotations())
}
