// Package engine_test runs every shipped stack through the real Pulumi
// engine: preview -> up -> preview (0 changes) -> destroy, on a temporary
// file:// backend, Kubernetes in render mode, and the stand-in plugins for
// aws, grafana and pagerduty. It needs the pinned tools (make test sets
// KK_TOOLS_ROOT); under -short it is skipped.
package engine_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/engine"
	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

const projectDir = "../.."

var (
	standInOnce sync.Once
	standInDir  string
	standInErr  error
)

func tools(t *testing.T) (root, standIns string) {
	t.Helper()
	root = livetest.PulumiTools(t)
	standInOnce.Do(func() {
		dir, err := os.MkdirTemp("", "standin-plugins-")
		if err != nil {
			standInErr = err
			return
		}
		standInDir, standInErr = engine.BuildStandIns(context.Background(), projectDir, dir)
	})
	require.NoError(t, standInErr)
	return root, standInDir
}

// testSecrets are distinctive values so a leak is easy to find.
func testSecrets() map[string]string {
	m := map[string]string{}
	for _, s := range stacks.SecretKeys {
		m[stacks.Namespace+":"+s.Key] = s.ValidValue("kk-test-secret-" + strings.ToLower(s.Key) + "-7f3a9c")
	}
	return m
}

func TestEveryShippedStackRoundTripsThroughTheEngine(t *testing.T) {
	root, standIns := tools(t)
	names, err := stacks.ShippedStacks(projectDir)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"local", "dev", "prod"}, names)
	for _, stack := range names {
		t.Run(stack, func(t *testing.T) {
			roundTrip(t, root, standIns, stack)
		})
	}
}

func roundTrip(t *testing.T, root, standIns, stack string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	tmp := t.TempDir()
	var log bytes.Buffer
	defer func() {
		if t.Failed() {
			t.Logf("engine output:\n%s", log.String())
		}
	}()
	secrets := map[string]string{}
	if stack != "local" { // the offline stack needs none
		secrets = testSecrets()
	}
	opts := engine.Options{
		Program: program.Definition, ProjectDir: projectDir, Stack: stack, ToolsRoot: root, StandInBin: standIns,
		BackendURL: "file://" + filepath.Join(tmp, "state"), PulumiHome: filepath.Join(tmp, "home"),
		Isolated: true, WorkDir: filepath.Join(tmp, "work"), Secrets: secrets, Progress: &log,
	}
	if stack != "local" {
		opts.RenderDir = filepath.Join("rendered", stack)
	}
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "state"), 0o755))
	require.NoError(t, os.MkdirAll(opts.WorkDir, 0o755))
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "engine-test-passphrase")

	s, err := engine.Open(ctx, opts)
	require.NoError(t, err)

	first, err := s.Preview(ctx, false)
	require.NoError(t, err)
	require.Positive(t, first["create"], "the first preview creates resources: %v", first)

	up, err := s.Up(ctx)
	require.NoError(t, err)
	assert.Equal(t, first["create"], up["create"], "up creates what preview announced")

	second, err := s.Preview(ctx, true)
	require.NoError(t, err, "the second preview must show no changes")
	assert.Zero(t, second.Total(), "second preview: %v", second)

	renderDir := filepath.Join(opts.WorkDir, "rendered", stack)
	for _, m := range wantManifests {
		assert.FileExists(t, filepath.Join(renderDir, "1-manifest", m))
	}
	bucketClaim := filepath.Join(renderDir, "1-manifest", "v1-persistentvolumeclaim-monitoring-thanos-bucket.yaml")
	snapshotClaim := filepath.Join(renderDir, "1-manifest", "v1-persistentvolumeclaim-logging-elasticsearch-snapshots.yaml")
	jobs, _ := filepath.Glob(filepath.Join(renderDir, "1-manifest", "batch_v1-job-logging-elasticsearch-setup-*.yaml"))
	assert.Len(t, jobs, 1, "one retention setup Job, named after its bodies")
	// One Cassandra schema Job per trace retention tier, each setting its
	// stack's retention.traces as the tables' TTL in seconds (local sets
	// none: the seed's 30d/90d).
	traceTTLs := map[string]map[string]string{
		"local": {"detailed": "2592000", "sampled": "7776000"},
		"dev":   {"detailed": "604800", "sampled": "2592000"},
		"prod":  {"detailed": "2592000", "sampled": "7776000"},
	}
	for tier, ttl := range traceTTLs[stack] {
		schemaJobs, _ := filepath.Glob(filepath.Join(renderDir, "1-manifest", "batch_v1-job-tracing-jaeger-schema-"+tier+"-*.yaml"))
		if assert.Len(t, schemaJobs, 1, "one %s schema Job, named after its settings", tier) {
			job, err := os.ReadFile(schemaJobs[0])
			require.NoError(t, err)
			assert.Contains(t, string(job), "ALTER TABLE jaeger_"+tier+".traces WITH default_time_to_live = "+ttl+" ", "the %s keyspace's TTL", tier)
		}
	}
	// Grafana reads the log data streams from a file in every stack, with
	// references to mounted Secrets instead of their values.
	datasources, err := os.ReadFile(filepath.Join(renderDir, "1-manifest", "v1-configmap-monitoring-grafana-datasources.yaml"))
	require.NoError(t, err, "the log datasources are file-provisioned in every stack")
	for _, want := range []string{"uid: logs-app", "uid: logs-audit", "$__file{/etc/grafana/datasource-secrets/logs-app/basic-auth-password}"} {
		assert.Contains(t, string(datasources), want)
	}
	assert.FileExists(t, filepath.Join(renderDir, "1-manifest", "v1-secret-monitoring-elasticsearch-grafana-reader.yaml"),
		"Grafana's read-only Elasticsearch user is in Grafana's namespace")

	state, err := s.Export(ctx)
	require.NoError(t, err)
	if stack == "local" {
		assert.FileExists(t, bucketClaim, "offline, Thanos keeps blocks on a shared volume")
		assert.FileExists(t, snapshotClaim, "offline, audit snapshots go to a volume")
		for _, m := range []string{"v1-configmap-monitoring-grafana-datasources.yaml", "v1-configmap-monitoring-grafana-dashboards-backend.yaml",
			"v1-configmap-monitoring-grafana-dashboards-product.yaml", "v1-configmap-monitoring-grafana-dashboards-infrastructure.yaml"} {
			assert.FileExists(t, filepath.Join(renderDir, "1-manifest", m), "offline, Grafana is provisioned from files")
		}
		assert.NotContains(t, string(state), `"type": "aws:`, "the offline stack creates nothing in AWS")
	} else {
		assert.NoFileExists(t, bucketClaim)
		assert.NoFileExists(t, snapshotClaim)
		assert.Equal(t, 2, strings.Count(string(state), `"type": "aws:s3/bucketV2:BucketV2"`), "metrics and log-snapshot buckets")
		assert.Equal(t, 3, strings.Count(string(state), `"type": "aws:cloudwatch/logGroup:LogGroup"`), "application and audit log groups, and the cost exporter's own")
		for _, tok := range []string{
			"aws:s3/bucketV2:BucketV2", "aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
			"pulumi:providers:pagerduty", "pagerduty:index/service:Service", "pagerduty:index/escalationPolicy:EscalationPolicy",
			"pagerduty:index/serviceIntegration:ServiceIntegration",
			"pulumi:providers:grafana", "grafana:oss/folder:Folder", "grafana:oss/dataSource:DataSource", "grafana:oss/dashboard:Dashboard",
			"aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topicSubscription:TopicSubscription",
		} {
			assert.Contains(t, string(state), `"type": "`+tok+`"`, "%s in %s", tok, stack)
		}
	}
	outputs, err := s.Stack.Outputs(ctx)
	require.NoError(t, err)
	outJSON, err := json.Marshal(outputs)
	require.NoError(t, err)
	rendered := readAll(t, renderDir)
	for key, value := range secrets {
		for _, form := range []string{value, base64.StdEncoding.EncodeToString([]byte(value))} {
			assert.NotContains(t, string(state), form, "secret %s in plaintext in the exported state", key)
			assert.NotContains(t, string(outJSON), form, "secret %s in plaintext in the outputs", key)
			assert.NotContains(t, rendered, form, "secret %s in plaintext in the rendered manifests", key)
		}
	}

	// Provider-generated credentials are secret in the state and never
	// reach a rendered manifest.
	assert.NotContains(t, string(state), `"integrationKey": "`, "PagerDuty integration keys are secret in the state")
	assert.NotContains(t, string(state), `"endpoint": "https://events.pagerduty.com`, "the PagerDuty CloudWatch endpoint embeds a key: secret in the state")
	if stack != "local" {
		secret, err := os.ReadFile(filepath.Join(renderDir, "1-manifest", "v1-secret-monitoring-alertmanager-secrets.yaml"))
		require.NoError(t, err)
		for _, line := range strings.Split(string(secret), "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(line), ": "); ok && strings.HasPrefix(k, "pagerduty-routing-key") {
				decoded, err := base64.StdEncoding.DecodeString(v)
				require.NoError(t, err)
				assert.Equal(t, stacks.RenderedSecretPlaceholder, string(decoded), "%s in the rendered Secret", k)
			}
		}
	}

	liftProtection(ctx, t, s)
	down, err := s.Destroy(ctx)
	require.NoError(t, err)
	assert.Equal(t, up["create"], down["delete"], "destroy removes everything up created")
}

// liftProtection does what the README's deliberate teardown says for a
// stack whose dataProtection.protect is on (prod): the stack file's
// protect set to false, then up, so the destroy after it is allowed.
// (test/cluster shows the destroy is refused before.)
func liftProtection(ctx context.Context, t *testing.T, s *engine.Session) {
	t.Helper()
	path := filepath.Join(s.WorkDir, "Pulumi."+s.Stack.Name()+".yaml")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	config, _ := doc["config"].(map[string]any)
	dp, _ := config[stacks.Namespace+":dataProtection"].(map[string]any)
	if protect, _ := dp["protect"].(bool); !protect {
		return
	}
	dp["protect"] = false
	out, err := yaml.Marshal(doc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
	_, err = s.Up(ctx)
	require.NoError(t, err, "up with protect lifted")
}

// wantManifests must be rendered by every stack.
var wantManifests = []string{
	"apps_v1-statefulset-monitoring-prometheus.yaml",
	"apps_v1-statefulset-monitoring-thanos-store.yaml",
	"apps_v1-statefulset-monitoring-thanos-compactor.yaml",
	"apps_v1-deployment-monitoring-thanos-query.yaml",
	"apps_v1-daemonset-monitoring-node-exporter.yaml",
	"apps_v1-deployment-monitoring-kube-state-metrics.yaml",
	"apps_v1-statefulset-monitoring-alertmanager.yaml",
	"v1-configmap-monitoring-prometheus-rules.yaml",
	"networking.k8s.io_v1-networkpolicy-monitoring-default-deny-all.yaml",
	"apps_v1-deployment-monitoring-grafana.yaml",
	"apps_v1-statefulset-logging-elasticsearch.yaml",
	"apps_v1-deployment-logging-kibana.yaml",
	"apps_v1-daemonset-logging-fluentd.yaml",
	"apps_v1-statefulset-logging-logstash.yaml",
	"v1-configmap-logging-elasticsearch-setup.yaml",
	"apps_v1-statefulset-tracing-jaeger-cassandra.yaml",
	"v1-service-tracing-jaeger-cassandra.yaml",
	"apps_v1-deployment-tracing-jaeger-detailed.yaml",
	"v1-configmap-tracing-jaeger-detailed.yaml",
	"v1-service-tracing-jaeger-detailed.yaml",
	"apps_v1-deployment-tracing-jaeger-sampled.yaml",
	"v1-configmap-tracing-jaeger-sampled.yaml",
	"v1-service-tracing-jaeger-sampled.yaml",
	"apps_v1-deployment-tracing-jaeger-otel-collector.yaml",
	"v1-configmap-tracing-jaeger-otel-collector.yaml",
	"v1-service-tracing-jaeger-otel-collector.yaml",
}

func readAll(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

func TestBadConfigCreatesNoStateAndNamesTheKey(t *testing.T) {
	root, _ := tools(t)
	tmp := t.TempDir()
	project := filepath.Join(tmp, "project")
	require.NoError(t, os.MkdirAll(project, 0o755))
	copyFile(t, filepath.Join(projectDir, "Pulumi.yaml"), filepath.Join(project, "Pulumi.yaml"))
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.broken.yaml"), []byte(
		"config:\n  observability:environment: broken\n  observability:cluster: broken\n"+
			"  observability:retention:\n    metrics:\n      detaild: 456d\n"), 0o644))
	state := filepath.Join(tmp, "state")
	require.NoError(t, os.MkdirAll(state, 0o755))
	_, err := engine.Open(context.Background(), engine.Options{
		Program: program.Definition, ProjectDir: project, Stack: "broken", ToolsRoot: root, BackendURL: "file://" + state,
		PulumiHome: filepath.Join(tmp, "home"),
	})
	require.ErrorContains(t, err, "observability:retention.metrics.detaild")
	require.ErrorContains(t, err, "did you mean observability:retention.metrics.detailed")
	entries, _ := os.ReadDir(state)
	assert.Empty(t, entries, "no state was written")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}
