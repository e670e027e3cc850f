package jaeger

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/pulumitest"
)

const day = 24 * time.Hour

// seedArgs are the strategy's tiers (30 days, 90 days, one trace in ten)
// on a single Cassandra node, defaults filled.
func seedArgs(t testing.TB) Args {
	t.Helper()
	a := Args{Namespace: "tracing", DetailedRetention: 30 * day, SampledRetention: 90 * day}
	require.NoError(t, a.withDefaults())
	return a
}

// renderedConfigs are the configuration files New writes, by golden name.
func renderedConfigs(t testing.TB, a Args) map[string]string {
	t.Helper()
	out := map[string]string{}
	hosts := map[string]string{}
	cass := "jaeger-cassandra.tracing.svc.cluster.local"
	for _, tr := range a.tiers() {
		y, err := render(tierConfig("jaeger", tr, cass))
		require.NoError(t, err)
		out["jaeger-"+tr.role+".yaml"] = y
		out["schema-"+tr.role+".cql"] = schemaFor(tr, a.CassandraReplicas).script()
		hosts[tr.role] = "jaeger-" + tr.role + ".tracing.svc.cluster.local"
	}
	y, err := render(collectorConfigFor("jaeger", a.tiers(), hosts))
	require.NoError(t, err)
	out["collector.yaml"] = y
	return out
}

// The golden files are what the validation tests feed the real binaries.
func TestRenderedConfigsMatchTheGoldenFiles(t *testing.T) {
	for name, content := range renderedConfigs(t, seedArgs(t)) {
		pulumitest.Golden(t, filepath.Join("testdata", name), []byte(content))
	}
}

func TestCollectorConfig(t *testing.T) {
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(renderedConfigs(t, seedArgs(t))["collector.yaml"]), &cfg))
	pulumitest.Cases(t, map[string]func(t *testing.T){
		"every span goes to the detailed Jaeger unsampled": func(t *testing.T) {
			p := pulumitest.Dig(t, cfg, "service", "pipelines", "traces/detailed")
			assert.Equal(t, []any{"otlp", "jaeger"}, pulumitest.Dig(t, p, "receivers"))
			assert.Equal(t, []any{"memory_limiter", "batch"}, pulumitest.Dig(t, p, "processors"))
			assert.Equal(t, []any{"otlp_grpc/detailed"}, pulumitest.Dig(t, p, "exporters"))
			assert.Equal(t, "jaeger-detailed.tracing.svc.cluster.local:4317", pulumitest.Dig(t, cfg, "exporters", "otlp_grpc/detailed", "endpoint"))
		},
		"the sampled Jaeger gets one trace in ten, sampled on the trace id before batching": func(t *testing.T) {
			p := pulumitest.Dig(t, cfg, "service", "pipelines", "traces/sampled")
			assert.Equal(t, []any{"otlp", "jaeger"}, pulumitest.Dig(t, p, "receivers"))
			assert.Equal(t, []any{"memory_limiter", "probabilistic_sampler", "batch"}, pulumitest.Dig(t, p, "processors"))
			assert.Equal(t, []any{"otlp_grpc/sampled"}, pulumitest.Dig(t, p, "exporters"))
			assert.Equal(t, map[string]any{"mode": "proportional", "sampling_percentage": float64(10)}, pulumitest.Dig(t, cfg, "processors", "probabilistic_sampler"))
		},
		"applications keep their three endpoints": func(t *testing.T) {
			assert.Equal(t, "0.0.0.0:4317", pulumitest.Dig(t, cfg, "receivers", "otlp", "protocols", "grpc", "endpoint"))
			assert.Equal(t, "0.0.0.0:4318", pulumitest.Dig(t, cfg, "receivers", "otlp", "protocols", "http", "endpoint"))
			assert.Equal(t, "0.0.0.0:14268", pulumitest.Dig(t, cfg, "receivers", "jaeger", "protocols", "thrift_http", "endpoint"))
		},
		"only components of the contrib image are used": func(t *testing.T) {
			assert.Equal(t, []any{"health_check"}, pulumitest.Dig(t, cfg, "service", "extensions"))
			for name := range pulumitest.Dig(t, cfg, "exporters").(map[string]any) {
				assert.True(t, strings.HasPrefix(name, "otlp_grpc/"), "%s: the otlp_grpc type, not the deprecated otlp alias", name)
			}
		},
	}, func(t *testing.T, check func(t *testing.T)) { check(t) })
}

func TestPercentageHasNoFloatNoise(t *testing.T) {
	for ratio, want := range map[float64]float64{0.1: 10, 0.07: 7, 0.001: 0.1, 1: 100, 0.333: 33.3} {
		assert.Equal(t, want, percentage(ratio), "%g", ratio)
	}
}

func TestTierConfigsReadAndWriteTheirOwnKeyspace(t *testing.T) {
	for _, tr := range seedArgs(t).tiers() {
		c := tierConfig("jaeger", tr, "cassandra")
		backend := c.Extensions.Storage.Backends[c.Exporters.Storage.TraceStorage]
		require.NotNil(t, backend.Cassandra, tr.role)
		assert.Equal(t, tr.keyspace, backend.Cassandra.Schema.Keyspace)
		assert.False(t, backend.Cassandra.Schema.Create, "the schema Job owns the schema")
		assert.Equal(t, c.Exporters.Storage.TraceStorage, c.Extensions.Query.Storage.Traces, "%s: the query reads what the pipeline writes", tr.role)
	}
}
