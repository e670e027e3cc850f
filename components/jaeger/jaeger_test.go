package jaeger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/jaeger"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const day = 24 * time.Hour

func validArgs() jaeger.Args {
	return jaeger.Args{Namespace: "tracing", DetailedRetention: 30 * day, SampledRetention: 90 * day}
}

// container returns the first container of a workload's (or Job's) pod template.
func container(t *testing.T, rec *pulumitest.Recorder, key string) map[string]any {
	t.Helper()
	spec := pulumitest.Plain(rec.Get(t, key))["spec"].(map[string]any)
	pod := spec["template"].(map[string]any)["spec"].(map[string]any)
	return pod["containers"].([]any)[0].(map[string]any)
}

func env(t *testing.T, rec *pulumitest.Recorder, key string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range container(t, rec, key)["env"].([]any) {
		out[e.(map[string]any)["name"].(string)] = e.(map[string]any)["value"].(string)
	}
	return out
}

func flags(t *testing.T, rec *pulumitest.Recorder, key string) string {
	t.Helper()
	var out []string
	if a, ok := container(t, rec, key)["args"].([]any); ok {
		for _, s := range a {
			out = append(out, s.(string))
		}
	}
	return strings.Join(out, " ")
}

// job finds the schema Job of one tier (its name carries a checksum).
func job(t *testing.T, rec *pulumitest.Recorder, role string) string {
	t.Helper()
	key := "kubernetes:batch/v1:Job::jaeger-schema-" + role
	require.True(t, rec.Has(key), "registered: %v", rec.Keys())
	return key
}

func jobName(t *testing.T, args jaeger.Args, role string) string {
	t.Helper()
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error { _, err := jaeger.New(ctx, "jaeger", args); return err })
	require.NoError(t, err)
	return pulumitest.Plain(rec.Get(t, job(t, rec, role)))["metadata"].(map[string]any)["name"].(string)
}

func TestJaeger(t *testing.T) {
	cases := map[string]struct {
		args    jaeger.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"the detailed keyspace keeps spans 30 days and the sampled one 90 days": {
			args: validArgs(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				d := env(t, rec, job(t, rec, "detailed"))
				assert.Equal(t, "jaeger_detailed", d["KEYSPACE"])
				assert.Equal(t, "2592000", d["TRACE_TTL"])
				s := env(t, rec, job(t, rec, "sampled"))
				assert.Equal(t, "jaeger_sampled", s["KEYSPACE"])
				assert.Equal(t, "7776000", s["TRACE_TTL"])
				assert.Equal(t, "test", s["MODE"], "one node: SimpleStrategy")
			},
		},
		"the sampled collector keeps one trace in ten and the detailed one keeps all": {
			args: validArgs(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, "--downsampling.ratio=0.1", flags(t, rec, "kubernetes:apps/v1:Deployment::jaeger-collector-sampled-deployment"))
				assert.NotContains(t, flags(t, rec, "kubernetes:apps/v1:Deployment::jaeger-collector-detailed-deployment"), "downsampling")
				assert.Equal(t, "jaeger_sampled", env(t, rec, "kubernetes:apps/v1:Deployment::jaeger-collector-sampled-deployment")["CASSANDRA_KEYSPACE"])
				assert.Equal(t, "jaeger_detailed", env(t, rec, "kubernetes:apps/v1:Deployment::jaeger-collector-detailed-deployment")["CASSANDRA_KEYSPACE"])
				assert.Equal(t, "jaeger_detailed", env(t, rec, "kubernetes:apps/v1:Deployment::jaeger-query-deployment")["CASSANDRA_KEYSPACE"])
				assert.False(t, rec.Has("kubernetes:apps/v1:Deployment::jaeger-query-sampled-deployment"))
			},
		},
		"the OpenTelemetry Collector receives OTLP and Jaeger thrift and fans out to both collectors": {
			args: validArgs(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				cm := pulumitest.Plain(rec.Get(t, "kubernetes:core/v1:ConfigMap::jaeger-otel-config"))
				var cfg map[string]any
				require.NoError(t, yaml.Unmarshal([]byte(cm["data"].(map[string]any)[jaeger.OtelConfigKey].(string)), &cfg))
				exp := cfg["exporters"].(map[string]any)
				assert.Equal(t, "jaeger-collector-detailed.tracing.svc.cluster.local:4317", exp["otlp/detailed"].(map[string]any)["endpoint"])
				assert.Equal(t, "jaeger-collector-sampled.tracing.svc.cluster.local:4317", exp["otlp/sampled"].(map[string]any)["endpoint"])
				p := cfg["service"].(map[string]any)["pipelines"].(map[string]any)["traces"].(map[string]any)
				assert.Equal(t, []any{"otlp/detailed", "otlp/sampled"}, p["exporters"])
				assert.Equal(t, []any{"otlp", "jaeger"}, p["receivers"])
				thrift := cfg["receivers"].(map[string]any)["jaeger"].(map[string]any)["protocols"].(map[string]any)["thrift_http"]
				assert.Equal(t, "0.0.0.0:14268", thrift.(map[string]any)["endpoint"])
				dep := pulumitest.Plain(rec.Get(t, "kubernetes:apps/v1:Deployment::jaeger-otel-deployment"))
				ann := dep["spec"].(map[string]any)["template"].(map[string]any)["metadata"].(map[string]any)["annotations"].(map[string]any)
				assert.Contains(t, ann, "checksum.observability.klearkarma.com/otel-config")
			},
		},
		"three Cassandra nodes replicate the keyspaces and may lose one node at a time": {
			args: func() jaeger.Args { a := validArgs(); a.CassandraReplicas = 3; a.SampledQuery = true; return a }(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.True(t, rec.Has("kubernetes:policy/v1:PodDisruptionBudget::jaeger-cassandra-pdb"))
				e := env(t, rec, job(t, rec, "detailed"))
				assert.Equal(t, "prod", e["MODE"])
				assert.Equal(t, "3", e["REPLICATION_FACTOR"])
				assert.Equal(t, "jaeger_sampled", env(t, rec, "kubernetes:apps/v1:Deployment::jaeger-query-sampled-deployment")["CASSANDRA_KEYSPACE"])
			},
		},
		"one Cassandra node gets no disruption budget": {
			args: validArgs(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.False(t, rec.Has("kubernetes:policy/v1:PodDisruptionBudget::jaeger-cassandra-pdb"))
				sts := pulumitest.Plain(rec.Get(t, "kubernetes:apps/v1:StatefulSet::jaeger-cassandra-statefulset"))
				pod := sts["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
				assert.Equal(t, true, pod["securityContext"].(map[string]any)["runAsNonRoot"])
			},
		},
		"sampled traces kept shorter than detailed ones are refused": {
			args:    func() jaeger.Args { a := validArgs(); a.SampledRetention = 7 * day; return a }(),
			wantErr: "shorter than detailed retention",
		},
		"a sampled ratio above one is refused": {
			args:    func() jaeger.Args { a := validArgs(); a.SampledRatio = 1.5; return a }(),
			wantErr: "outside (0, 1]",
		},
		"two Cassandra nodes are refused": {
			args:    func() jaeger.Args { a := validArgs(); a.CassandraReplicas = 2; return a }(),
			wantErr: "use 1 (no HA) or 3 or more",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := jaeger.New(ctx, "jaeger", tc.args)
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}

func TestASchemaJobIsRenamedOnlyWhenItsSettingsChange(t *testing.T) {
	a := validArgs()
	first := jobName(t, a, "sampled")
	assert.Equal(t, first, jobName(t, a, "sampled"), "same settings, same Job")
	assert.Equal(t, jobName(t, a, "detailed"), jobName(t, validArgs(), "detailed"))
	b := validArgs()
	b.SampledRetention = 120 * day
	assert.NotEqual(t, first, jobName(t, b, "sampled"), "a new TTL re-runs the schema Job")
	assert.Equal(t, jobName(t, a, "detailed"), jobName(t, b, "detailed"), "the other tier's Job is untouched")
}
