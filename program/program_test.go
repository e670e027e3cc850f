package program_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// stackConfig sets the mock program's config to a shipped stack file plus
// test values for the secrets it needs.
func stackConfig(t testing.TB, stack string) {
	t.Helper()
	f, err := stacks.ReadStackFile("..", stack)
	require.NoError(t, err)
	values := f.Source.Values
	var secretKeys []string
	if stack != "local" {
		for _, s := range stacks.SecretKeys {
			key := stacks.Namespace + ":" + s.Key
			values[key] = s.ValidValue("test-secret-value-for-" + s.Key)
			secretKeys = append(secretKeys, key)
		}
	}
	pulumitest.WithConfig(t, values, secretKeys)
}

func runStack(t testing.TB, stack string) (*pulumitest.Recorder, error) {
	t.Helper()
	stackConfig(t, stack)
	rec := pulumitest.New()
	err := pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, stack, rec))
	return rec, err
}

func TestTheProgramPerStack(t *testing.T) {
	cases := map[string]struct {
		stack string
		check func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"the local stack renders to a directory and creates no AWS provider": {
			stack: "local",
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				p := rec.Get(t, "pulumi:providers:kubernetes::kubernetes").Mappable()
				assert.Equal(t, "rendered/local", p["renderYamlToDirectory"])
				assert.False(t, rec.Has("pulumi:providers:aws::aws"))
			},
		},
		"the dev stack targets its cluster context and configures AWS": {
			stack: "dev",
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				p := rec.Get(t, "pulumi:providers:kubernetes::kubernetes").Mappable()
				assert.Equal(t, "klearkarma-dev", p["context"])
				assert.Nil(t, p["renderYamlToDirectory"])
				aws := rec.Get(t, "pulumi:providers:aws::aws").Mappable()
				assert.Equal(t, "us-east-1", aws["region"])
				alarm := rec.Get(t, "aws:cloudwatch/metricAlarm:MetricAlarm::cost-alarm-alarm").Mappable()
				assert.Equal(t, 100.0, alarm["threshold"], "dev's daily budget")
				assert.True(t, rec.Has("aws:sns/topicSubscription:TopicSubscription::cost-alarm-pagerduty"), "the alarm pages through PagerDuty's CloudWatch integration")
			},
		},
		"the prod stack creates the three fenced namespaces": {
			stack: "prod",
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, purpose := range []string{"metrics", "logs", "traces"} {
					assert.True(t, rec.Has("kubernetes:core/v1:Namespace::platform-"+purpose+"-namespace"), purpose)
					assert.True(t, rec.Has("kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-"+purpose+"-default-deny"), purpose)
				}
				q := rec.Get(t, "kubernetes:core/v1:ResourceQuota::platform-logs-quota").Mappable()
				assert.Equal(t, "120", q["spec"].(map[string]any)["hard"].(map[string]any)["pods"])
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := runStack(t, tc.stack)
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}

func TestBadConfigCreatesNothing(t *testing.T) {
	values := map[string]string{
		"observability:environment": "prod",
		"observability:cluster":     "prod",
		"observability:retention":   `{"metrics":{"detaild":"456d"}}`,
	}
	pulumitest.WithConfig(t, values, nil)
	rec := pulumitest.New()
	err := pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, "prod", rec))
	require.ErrorContains(t, err, "observability:retention.metrics.detaild")
	assert.Empty(t, rec.Keys())
}

func TestAMisspelledTopLevelKeyIsCaughtFromTheLanguageHostsConfig(t *testing.T) {
	stackConfig(t, "local")
	f, err := stacks.ReadStackFile("..", "local")
	require.NoError(t, err)
	f.Source.Values["observability:prometehus"] = `{"replicas":2}`
	pulumitest.WithConfig(t, f.Source.Values, nil)
	rec := pulumitest.New()
	err = pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, "local", rec))
	require.ErrorContains(t, err, "did you mean observability:prometheus")
	assert.Empty(t, rec.Keys())
}

func TestSecretsStaySecretInTheProgram(t *testing.T) {
	stackConfig(t, "prod")
	rec := pulumitest.New()
	var secret bool
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		cfg, err := stacks.Load(ctx, nil)
		if err != nil {
			return err
		}
		cfg.Secrets.SlackWebhookURL.ApplyT(func(string) string { return "" })
		secret = pulumi.IsSecret(cfg.Secrets.SlackWebhookURL)
		return nil
	}, pulumi.WithMocks(stacks.Namespace, "prod", rec))
	require.NoError(t, err)
	assert.True(t, secret)
}

func BenchmarkProdProgramUnderMocks(b *testing.B) {
	stackConfig(b, "prod")
	b.ReportAllocs()
	for b.Loop() {
		rec := pulumitest.New()
		if err := pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, "prod", rec)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDataHoldingResourcesFollowTheStacksDataPolicy(t *testing.T) {
	cases := map[string]struct {
		stack           string
		protect, retain bool
		keys            []string
	}{
		"prod protects and retains its buckets, namespaces and claims": {
			stack: "prod", protect: true, retain: true,
			keys: []string{"aws:s3/bucketV2:BucketV2::metrics-bucket-bucket", "aws:s3/bucketV2:BucketV2::log-snapshots-bucket-bucket",
				"kubernetes:core/v1:Namespace::platform-metrics-namespace", "kubernetes:core/v1:Namespace::platform-logs-namespace",
				"kubernetes:core/v1:Namespace::platform-traces-namespace", "kubernetes:core/v1:PersistentVolumeClaim::grafana-data"},
		},
		"dev retains them without protecting them": {
			stack: "dev", retain: true,
			keys: []string{"aws:s3/bucketV2:BucketV2::metrics-bucket-bucket", "kubernetes:core/v1:Namespace::platform-logs-namespace"},
		},
		"local neither protects nor retains anything": {
			stack: "local",
			keys: []string{"kubernetes:core/v1:Namespace::platform-metrics-namespace", "kubernetes:core/v1:PersistentVolumeClaim::thanos-bucket",
				"kubernetes:core/v1:PersistentVolumeClaim::elasticsearch-snapshots"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := runStack(t, tc.stack)
			require.NoError(t, err)
			for _, k := range tc.keys {
				rpc := rec.RPC(t, k)
				assert.Equal(t, tc.protect, rpc.GetProtect(), "protect of %s", k)
				assert.Equal(t, tc.retain, rpc.GetRetainOnDelete(), "retainOnDelete of %s", k)
			}
			for _, k := range []string{"kubernetes:apps/v1:StatefulSet::prometheus-statefulset", "kubernetes:apps/v1:Deployment::grafana-deployment"} {
				assert.False(t, rec.RPC(t, k).GetRetainOnDelete(), "workloads are never retained: %s", k)
				assert.False(t, rec.RPC(t, k).GetProtect(), "workloads are never protected: %s", k)
			}
		})
	}
}
