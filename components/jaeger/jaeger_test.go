package jaeger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/jaeger"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const day = 24 * time.Hour

const (
	tDeployment  = "kubernetes:apps/v1:Deployment"
	tStatefulSet = "kubernetes:apps/v1:StatefulSet"
	tService     = "kubernetes:core/v1:Service"
	tConfigMap   = "kubernetes:core/v1:ConfigMap"
	tJob         = "kubernetes:batch/v1:Job"
	tPDB         = "kubernetes:policy/v1:PodDisruptionBudget"
)

func validArgs() jaeger.Args {
	return jaeger.Args{Namespace: "tracing", DetailedRetention: 30 * day, SampledRetention: 90 * day}
}

func ha() jaeger.Args {
	a := validArgs()
	a.CassandraReplicas, a.CollectorReplicas = 3, 2
	return a
}

func run(t *testing.T, args jaeger.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		j, err := jaeger.New(ctx, "jaeger", args)
		if err != nil {
			return err
		}
		rec.Capture("otlpGrpc", j.OTLPGRPCEndpoint)
		rec.Capture("otlpHttp", j.OTLPHTTPEndpoint)
		rec.Capture("thrift", j.JaegerThriftEndpoint)
		rec.Capture("query", j.QueryURL)
		rec.Capture("sampledQuery", j.SampledQueryURL)
		return nil
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

// workloads are every pod template's owner: key -> pod spec.
func workloads(t *testing.T, rec *pulumitest.Recorder) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, k := range rec.Keys() {
		if strings.HasPrefix(k, tDeployment+"::") || strings.HasPrefix(k, tStatefulSet+"::") || strings.HasPrefix(k, tJob+"::") {
			out[k] = pulumitest.Dig(t, rec.Object(t, k), "spec", "template", "spec").(map[string]any)
		}
	}
	return out
}

func containers(pod map[string]any) []map[string]any {
	var out []map[string]any
	for _, field := range []string{"initContainers", "containers"} {
		list, _ := pod[field].([]any)
		for _, c := range list {
			out = append(out, c.(map[string]any))
		}
	}
	return out
}

func env(t *testing.T, c map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range c["env"].([]any) {
		out[e.(map[string]any)["name"].(string)] = e.(map[string]any)["value"].(string)
	}
	return out
}

func TestJaeger(t *testing.T) {
	pulumitest.Cases(t, map[string]struct {
		args  jaeger.Args
		check func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"one ring, a schema Job and a Jaeger per tier, and the collector": {args: validArgs(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			assert.Equal(t, 1, rec.CountType(tStatefulSet))
			assert.Equal(t, 3, rec.CountType(tDeployment), "the detailed and sampled Jaegers and the collector")
			assert.Equal(t, 4, rec.CountType(tService), "Cassandra, the two Jaegers, the collector")
			assert.Equal(t, 4, rec.CountType(tConfigMap), "the two Jaeger configs, the collector's and the Cassandra exporter's")
			assert.Equal(t, 2, rec.CountType(tJob))
			assert.Zero(t, rec.CountType(tPDB), "single replicas get no disruption budget")
		}},
		"every workload with more than one replica has a disruption budget": {args: ha(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			assert.Equal(t, 4, rec.CountType(tPDB))
			for _, k := range []string{"jaeger-cassandra-pdb", "jaeger-detailed-pdb", "jaeger-sampled-pdb", "jaeger-otel-pdb"} {
				assert.Equal(t, float64(1), pulumitest.Dig(t, rec.Object(t, tPDB+"::"+k), "spec", "maxUnavailable"), k)
			}
		}},
		"applications keep their endpoints and both tiers have a query URL": {args: validArgs(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			assert.Equal(t, "http://jaeger-otel-collector.tracing.svc.cluster.local:4317", rec.Output(t, "otlpGrpc"))
			assert.Equal(t, "http://jaeger-otel-collector.tracing.svc.cluster.local:4318", rec.Output(t, "otlpHttp"))
			assert.Equal(t, "http://jaeger-otel-collector.tracing.svc.cluster.local:14268/api/traces", rec.Output(t, "thrift"))
			assert.Equal(t, "http://jaeger-detailed.tracing.svc.cluster.local:16686", rec.Output(t, "query"))
			assert.Equal(t, "http://jaeger-sampled.tracing.svc.cluster.local:16686", rec.Output(t, "sampledQuery"))
		}},
		"every image is pinned and every workload carries its version": {args: validArgs(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			images := map[string]bool{}
			for k, pod := range workloads(t, rec) {
				labels := pulumitest.Dig(t, rec.Object(t, k), "spec", "template", "metadata", "labels").(map[string]any)
				for _, c := range containers(pod) {
					images[c["image"].(string)] = true
				}
				// The version is the workload's own; sidecars (Cassandra's
				// exporter) have their own pins.
				main := containers(pod)[0]["image"].(string)
				assert.Equal(t, strings.SplitN(main, ":", 2)[1], labels["app.kubernetes.io/version"], k)
			}
			assert.Equal(t, map[string]bool{pins.CassandraImage: true, pins.Jaeger.Image(): true, pins.OTelCollectorImage: true,
				pins.CassandraExporterImage: true}, images)
			assert.Equal(t, "jaegertracing/jaeger:2.13.0", pins.Jaeger.Image(), "Jaeger v2 only")
		}},
		"each Cassandra node has its exporter sidecar, scraped by the annotation job": {args: validArgs(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			tmpl := pulumitest.Dig(t, rec.Object(t, tStatefulSet+"::jaeger-cassandra-statefulset"), "spec", "template").(map[string]any)
			ann := pulumitest.Dig(t, tmpl, "metadata", "annotations").(map[string]any)
			assert.Equal(t, "true", ann["prometheus.io/scrape"])
			assert.Equal(t, "8080", ann["prometheus.io/port"])
			assert.Contains(t, ann, "checksum.observability.klearkarma.com/cassandra-exporter")
			var exporter map[string]any
			for _, c := range containers(pulumitest.Dig(t, tmpl, "spec").(map[string]any)) {
				if c["name"] == "cassandra-exporter" {
					exporter = c
				}
			}
			require.NotNil(t, exporter)
			assert.Equal(t, pins.CassandraExporterImage, exporter["image"])
			cm := rec.Object(t, tConfigMap+"::jaeger-cassandra-exporter-config")
			assert.Contains(t, pulumitest.Dig(t, cm, "data", "config.yml"), "host: localhost:7199")
		}},
		"the Jaegers start after their schema and read their own config": {args: validArgs(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			for _, role := range []string{"detailed", "sampled"} {
				deps := rec.RPC(t, tDeployment+"::jaeger-"+role+"-deployment").GetDependencies()
				assert.Contains(t, strings.Join(deps, " "), tJob+"::jaeger-schema-"+role, role)
				pod := pulumitest.Dig(t, rec.Object(t, tDeployment+"::jaeger-"+role+"-deployment"), "spec", "template").(map[string]any)
				assert.Contains(t, pulumitest.Dig(t, pod, "metadata", "annotations"), "checksum.observability.klearkarma.com/"+role+"-config")
				assert.Equal(t, "jaeger-"+role, pulumitest.Dig(t, pod, "spec", "volumes").([]any)[0].(map[string]any)["configMap"].(map[string]any)["name"])
			}
		}},
		"a schema Job runs the tier's statements with the Cassandra image's cqlsh": {args: validArgs(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			job := rec.Object(t, tJob+"::jaeger-schema-sampled")
			assert.Regexp(t, `^jaeger-schema-sampled-[0-9a-f]{10}$`, pulumitest.Dig(t, job, "metadata", "name"))
			c := containers(pulumitest.Dig(t, job, "spec", "template", "spec").(map[string]any))[0]
			assert.Equal(t, pins.CassandraImage, c["image"])
			assert.Contains(t, strings.Join(toStrings(c["command"]), " "), "cqlsh \"$CQLSH_HOST\" 9042 --connect-timeout=10 --request-timeout=120 -f /tmp/schema.cql")
			e := env(t, c)
			assert.Equal(t, "jaeger-cassandra.tracing.svc.cluster.local", e["CQLSH_HOST"])
			assert.Contains(t, e["SCHEMA_CQL"], "CREATE TABLE IF NOT EXISTS jaeger_sampled.traces (")
			assert.Contains(t, e["SCHEMA_CQL"], "ALTER TABLE jaeger_sampled.traces WITH default_time_to_live = 7776000")
		}},
		"the Cassandra claim template keeps the v1 labels so the ring is updated, not replaced": {args: ha(), check: func(t *testing.T, rec *pulumitest.Recorder) {
			sts := rec.Object(t, tStatefulSet+"::jaeger-cassandra-statefulset")
			claim := pulumitest.Dig(t, sts, "spec", "volumeClaimTemplates").([]any)[0].(map[string]any)
			assert.NotContains(t, pulumitest.Dig(t, claim, "metadata", "labels"), "app.kubernetes.io/version")
			assert.Equal(t, "data", pulumitest.Dig(t, claim, "metadata", "name"))
			assert.Equal(t, "OrderedReady", pulumitest.Dig(t, sts, "spec", "podManagementPolicy"))
			assert.Equal(t, "jaeger-cassandra-0.jaeger-cassandra.tracing.svc.cluster.local",
				env(t, containers(pulumitest.Dig(t, sts, "spec", "template", "spec").(map[string]any))[1])["CASSANDRA_SEEDS"])
		}},
	}, func(t *testing.T, tc struct {
		args  jaeger.Args
		check func(t *testing.T, rec *pulumitest.Recorder)
	}) {
		rec, err := run(t, tc.args)
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func toStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// What kube-score checks of every workload (the prod manifests are scored
// with kube-score v1.20.0), asserted here where the workloads are built.
func TestKubeScoreHygiene(t *testing.T) {
	rec, err := run(t, ha())
	require.NoError(t, err)
	services := map[string]bool{}
	for _, k := range rec.Keys() {
		if strings.HasPrefix(k, tService+"::") {
			services[pulumitest.Dig(t, rec.Object(t, k), "metadata", "name").(string)] = true
		}
	}
	for key, pod := range workloads(t, rec) {
		sec := pod["securityContext"].(map[string]any)
		assert.GreaterOrEqual(t, sec["runAsUser"], float64(10000), "%s: runAsUser", key)
		assert.GreaterOrEqual(t, sec["runAsGroup"], float64(10000), "%s: runAsGroup", key)
		for _, c := range containers(pod) {
			name := key + "/" + c["name"].(string)
			for _, kind := range []string{"requests", "limits"} {
				for _, r := range []string{"cpu", "memory", "ephemeral-storage"} {
					assert.NotEmpty(t, pulumitest.Dig(t, c, "resources", kind, r), "%s: %s.%s", name, kind, r)
				}
			}
			assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"), name)
			if strings.HasPrefix(key, tJob) || c["name"] == "config" {
				continue // Jobs and init containers have no probes
			}
			require.NotNil(t, c["readinessProbe"], name)
			require.NotNil(t, c["livenessProbe"], name)
			assert.NotEqual(t, c["readinessProbe"], c["livenessProbe"], "%s: readiness and liveness differ", name)
		}
	}
	sts := rec.Object(t, tStatefulSet+"::jaeger-cassandra-statefulset")
	assert.True(t, services[pulumitest.Dig(t, sts, "spec", "serviceName").(string)], "the StatefulSet's serviceName is a Service")
}

func TestBadArgsRegisterNothing(t *testing.T) {
	pulumitest.Cases(t, map[string]struct {
		args    func(a *jaeger.Args)
		wantErr string
	}{
		"sampled traces kept shorter than detailed ones are refused": {args: func(a *jaeger.Args) { a.SampledRetention = 7 * day }, wantErr: "shorter than detailed retention"},
		"a sampled ratio above one is refused":                       {args: func(a *jaeger.Args) { a.SampledRatio = 1.5 }, wantErr: "one trace in ten"},
		"two Cassandra nodes are refused":                            {args: func(a *jaeger.Args) { a.CassandraReplicas = 2 }, wantErr: "use 1 (no HA) or 3 or more"},
		"a TTL above Cassandra's 20 years is refused":                {args: func(a *jaeger.Args) { a.SampledRetention = 7301 * day }, wantErr: "at most 20 years"},
		"a namespace is required":                                    {args: func(a *jaeger.Args) { a.Namespace = "" }, wantErr: "namespace: is not set"},
	}, func(t *testing.T, tc struct {
		args    func(a *jaeger.Args)
		wantErr string
	}) {
		a := validArgs()
		tc.args(&a)
		rec, err := run(t, a)
		require.ErrorContains(t, err, tc.wantErr)
		assert.Empty(t, rec.Keys())
	})
}

func TestSizingFieldsAreTheConfigKeys(t *testing.T) {
	ps := jaeger.Sizing{CassandraReplicas: 2, CassandraStorageSize: "lots", SampledRatio: 0, CollectorReplicas: 0}.Check()
	var fields []string
	for _, p := range ps {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"cassandraReplicas", "cassandraStorageSize", "sampledRatio", "collectorReplicas"}, fields)
}
