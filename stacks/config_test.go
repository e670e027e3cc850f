package stacks_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/stacks"
)

// prodSource is Pulumi.prod.yaml plus its four secrets, as a valid base that
// each bad-config case breaks in one way.
func prodSource(t *testing.T) stacks.MapSource {
	t.Helper()
	f, err := stacks.ReadStackFile("..", "prod")
	require.NoError(t, err)
	for _, s := range stacks.SecretKeys {
		f.Source.Values["observability:"+s.Key] = "ciphertext"
		f.Source.Secrets["observability:"+s.Key] = true
	}
	return f.Source
}

func TestEveryShippedStackParses(t *testing.T) {
	names, err := stacks.ShippedStacks("..")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"local", "dev", "prod"}, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			f, err := stacks.ReadStackFile("..", name)
			require.NoError(t, err)
			for _, s := range stacks.SecretKeys { // secrets are set by the operator, not committed
				f.Source.Values["observability:"+s.Key] = "ciphertext"
				f.Source.Secrets["observability:"+s.Key] = true
			}
			cfg, err := stacks.Parse(name, f.Source, f.Source.Keys())
			require.NoError(t, err)
			assert.Equal(t, name, cfg.Environment)
		})
	}
}

func TestTheLocalStackNeedsNoSecretAndRendersOffline(t *testing.T) {
	f, err := stacks.ReadStackFile("..", "local")
	require.NoError(t, err)
	cfg, err := stacks.Parse("local", f.Source, f.Source.Keys())
	require.NoError(t, err)
	assert.Equal(t, "rendered/local", cfg.Kubernetes.RenderDir)
	assert.False(t, cfg.AWS.Enabled || cfg.PagerDuty.Enabled || cfg.Slack.Enabled || cfg.Email.Enabled || cfg.Grafana.URL != "")
}

func TestProdKeepsTheSeedsRetentionAndHAReplicas(t *testing.T) {
	cfg, err := stacks.Parse("prod", prodSource(t), nil)
	require.NoError(t, err)
	assert.Equal(t, 456, cfg.Retention.Metrics.Detailed.Days(), "15 months of detailed metrics")
	assert.Equal(t, 1825, cfg.Retention.Metrics.Aggregated.Days(), "5 years of aggregated metrics")
	assert.Equal(t, 90, cfg.Retention.Logs.Application.Days())
	assert.Equal(t, 2557, cfg.Retention.Logs.Audit.Days(), "7 years of audit logs")
	assert.Equal(t, 30, cfg.Retention.Traces.Detailed.Days())
	assert.Equal(t, 90, cfg.Retention.Traces.Sampled.Days())
	assert.Equal(t, 2, cfg.Prometheus.Replicas)
	assert.Equal(t, 3, cfg.Alertmanager.Replicas)
}

func TestAStackThatSetsNothingNeedsOnlyItsNamesAndTheInClusterPasswords(t *testing.T) {
	_, err := stacks.Parse("empty", stacks.MapSource{}, nil)
	var ce *stacks.ConfigError
	require.ErrorAs(t, err, &ce)
	keys := problemKeys(ce)
	assert.ElementsMatch(t, []string{
		"observability:environment", "observability:cluster",
		// A stack that deploys to a cluster needs the passwords of what runs there.
		"observability:grafanaAdminPassword", "observability:elasticPassword", "observability:kibanaSystemPassword",
		"observability:logWriterPassword", "observability:grafanaElasticPassword",
	}, keys)
}

func problemKeys(ce *stacks.ConfigError) []string {
	var keys []string
	for _, p := range ce.Problems {
		keys = append(keys, p.Key)
	}
	return keys
}

func TestBadConfigIsReportedWithTheKeyAndTheFix(t *testing.T) {
	cases := map[string]struct {
		set     map[string]string
		unset   []string
		keys    []string // extra keys the stack sets (for the unknown-key check)
		plain   []string // keys set without --secret
		wantKey string
		wantFix string
	}{
		"a typo in a nested retention key suggests the right key": {
			set:     map[string]string{"observability:retention": `{"metrics":{"detaild":"456d"}}`},
			wantKey: "observability:retention.metrics.detaild", wantFix: "did you mean observability:retention.metrics.detailed",
		},
		"a typo in a top-level key suggests the right key": {
			keys: []string{"observability:prometeus"}, set: map[string]string{"observability:prometeus": `{}`},
			wantKey: "observability:prometeus", wantFix: "did you mean observability:prometheus",
		},
		"zero Prometheus replicas are refused": {
			set:     map[string]string{"observability:prometheus": `{"replicas":0}`},
			wantKey: "observability:prometheus.replicas", wantFix: "set 1 or more",
		},
		"replicas written as text are a type error": {
			set:     map[string]string{"observability:alertmanager": `{"replicas":"three"}`},
			wantKey: "observability:alertmanager.replicas", wantFix: "write a number",
		},
		"a volume size that is not a quantity is refused": {
			set:     map[string]string{"observability:prometheus": `{"storageSize":"200 gigs"}`},
			wantKey: "observability:prometheus.storageSize", wantFix: "50Gi",
		},
		"a retention that does not parse is refused": {
			set:     map[string]string{"observability:retention": `{"logs":{"application":"90 days"}}`},
			wantKey: "observability:retention.logs.application", wantFix: "Prometheus duration",
		},
		"aggregated metrics kept shorter than detailed ones are inconsistent": {
			set:     map[string]string{"observability:retention": `{"metrics":{"detailed":"456d","aggregated":"30d"}}`},
			wantKey: "observability:retention.metrics.aggregated", wantFix: "at least as long as observability:retention.metrics.detailed",
		},
		"audit logs kept shorter than application logs are inconsistent": {
			set:     map[string]string{"observability:retention": `{"logs":{"application":"90d","audit":"30d"}}`},
			wantKey: "observability:retention.logs.audit", wantFix: "at least as long",
		},
		"raw metrics under 40h break the Thanos compactor": {
			set:     map[string]string{"observability:retention": `{"metrics":{"detailed":"1d","aggregated":"30d"}}`, "observability:prometheus": `{"localRetention":"12h"}`},
			wantKey: "observability:retention.metrics.detailed", wantFix: "at least 40h",
		},
		"a local retention shorter than the rules' 30-day window is refused: the rules run in Prometheus": {
			set:     map[string]string{"observability:prometheus": `{"localRetention":"15d"}`},
			wantKey: "observability:prometheus.localRetention", wantFix: "keep at least 30d locally",
		},
		"a Thanos Store Gateway count under one is refused": {
			set:     map[string]string{"observability:thanos": `{"storeReplicas":0}`},
			wantKey: "observability:thanos.storeReplicas", wantFix: "set 1 or more",
		},
		"without AWS the Thanos filesystem bucket needs a size": {
			set:     map[string]string{"observability:aws": `{"enabled":false}`, "observability:thanos": `{"filesystemBucketSize":""}`},
			wantKey: "observability:thanos.filesystemBucketSize", wantFix: "20Gi",
		},
		"five Alertmanager nodes wait for each other longer than the group interval, which would re-open resolved incidents": {
			set:     map[string]string{"observability:alertmanager": `{"replicas":5}`},
			wantKey: "observability:alertmanager.replicas", wantFix: "run fewer nodes",
		},
		"a payments Slack channel without # is refused: payments warnings have a route of their own": {
			set:     map[string]string{"observability:slack": `{"enabled":true,"channels":{"payments":"payments-alerts"}}`},
			wantKey: "observability:slack.channels.payments", wantFix: "starting with #",
		},
		"an Alertmanager volume that is not a quantity is refused": {
			set:     map[string]string{"observability:alertmanager": `{"storageSize":"two gigs"}`},
			wantKey: "observability:alertmanager.storageSize", wantFix: "a quantity such as",
		},
		"a namespace that is not a DNS-1123 label is refused": {
			set:     map[string]string{"observability:namespaces": `{"monitoring":"Monitoring_NS"}`},
			wantKey: "observability:namespaces.monitoring", wantFix: "lower-case letters",
		},
		"two purposes sharing one namespace are refused": {
			set:     map[string]string{"observability:namespaces": `{"monitoring":"obs","logging":"obs"}`},
			wantKey: "observability:namespaces.logging", wantFix: "its own name",
		},
		"an application namespace that is not a DNS-1123 label is refused": {
			set:     map[string]string{"observability:network": `{"applicationNamespaces":["Klear Karma"]}`},
			wantKey: "observability:network.applicationNamespaces[0]", wantFix: "lower-case letters",
		},
		"an egress port outside TCP's range is refused": {
			set:     map[string]string{"observability:network": `{"externalEgressPorts":[443,0]}`},
			wantKey: "observability:network.externalEgressPorts[1]", wantFix: "1 to 65535",
		},
		"a node range written with host bits is refused with its canonical form": {
			set:     map[string]string{"observability:network": `{"nodeCidrs":["10.0.1.0/8"]}`},
			wantKey: "observability:network.nodeCidrs[0]", wantFix: "write it as 10.0.0.0/8",
		},
		"an empty list of API server ranges is refused: Prometheus would discover nothing": {
			set:     map[string]string{"observability:network": `{"apiServerCidrs":[]}`},
			wantKey: "observability:network.apiServerCidrs", wantFix: "the control plane's addresses",
		},
		"a probe target without a team names the entry and the teams": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"klear-karma-api","url":"http://klear-karma-api.klear-karma.svc.cluster.local:3000"}]}`},
			wantKey: "observability:probes.targets[0].team", wantFix: "backend, infrastructure, payments, product",
		},
		"a probe URL that names an endpoint asks for the base URL": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"api","team":"backend","url":"http://api.klear-karma.svc.cluster.local:3000/health/detailed"}]}`},
			wantKey: "observability:probes.targets[0].url", wantFix: "base URL only",
		},
		"a probe endpoint the strategy does not define is refused": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"api","team":"backend","url":"http://api.klear-karma.svc.cluster.local:3000","endpoints":["/healthz"]}]}`},
			wantKey: "observability:probes.targets[0].endpoints[0]", wantFix: "/health/detailed",
		},
		"an unknown field of a probe target suggests the right one": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"api","teem":"backend","url":"http://api:3000"}]}`},
			wantKey: "observability:probes.targets[0].teem", wantFix: "did you mean observability:probes.targets[0].team",
		},
		"a probe of a namespace the network policies do not reach is refused": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"api","team":"backend","url":"http://api.payments.svc.cluster.local:3000"}]}`},
			wantKey: "observability:probes.targets[0].url", wantFix: "observability:network.applicationNamespaces",
		},
		"a probe of a bare host name asks for the Service's full name": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"api","team":"backend","url":"http://api:3000"}]}`},
			wantKey: "observability:probes.targets[0].url", wantFix: "<service>.<namespace>.svc.cluster.local",
		},
		"a plain-http probe outside the cluster needs its port opened": {
			set:     map[string]string{"observability:probes": `{"targets":[{"service":"web","team":"product","url":"http://www.klearkarma.com"}]}`},
			wantKey: "observability:probes.targets[0].url", wantFix: "add 80 to observability:network.externalEgressPorts",
		},
		"zero exporter replicas are refused": {
			set:     map[string]string{"observability:probes": `{"replicas":0}`},
			wantKey: "observability:probes.replicas", wantFix: "set 1 or more",
		},
		"a missing secret of an enabled integration names the command to set it": {
			unset:   []string{"observability:slackWebhookUrl"},
			wantKey: "observability:slackWebhookUrl", wantFix: "pulumi config set --secret observability:slackWebhookUrl <value> -s prod",
		},
		"a secret stored in plaintext is refused": {
			plain:   []string{"observability:pagerdutyToken"},
			wantKey: "observability:pagerdutyToken", wantFix: "--secret",
		},
		"a LimitRange default above its maximum is refused": {
			set:     map[string]string{"observability:limitRange": `{"defaultMemory":"64Gi","maxMemory":"16Gi"}`},
			wantKey: "observability:limitRange.defaultMemory", wantFix: "lower",
		},
		"a quota request above its limit is refused": {
			set:     map[string]string{"observability:quota": `{"requestsCpu":"64","limitsCpu":"8"}`},
			wantKey: "observability:quota.requestsCpu", wantFix: "lower",
		},
		"a Grafana URL that is not http(s) is refused": {
			set:     map[string]string{"observability:grafana": `{"url":"grafana.klearkarma.com"}`},
			wantKey: "observability:grafana.url", wantFix: "https://",
		},
		"a Grafana ingress host that is not a host name is refused": {
			set:     map[string]string{"observability:grafana": `{"ingressHost":"Grafana_Host"}`},
			wantKey: "observability:grafana.ingressHost", wantFix: "grafana.klearkarma.com",
		},
		"an email address that does not parse is refused": {
			set:     map[string]string{"observability:email": `{"enabled":true,"productTo":"product at klearkarma"}`},
			wantKey: "observability:email.productTo", wantFix: "alerts@klearkarma.com",
		},
		"render mode together with a cluster context is ambiguous": {
			set:     map[string]string{"observability:kubernetes": `{"renderDir":"out","context":"prod"}`},
			wantKey: "observability:kubernetes.renderDir", wantFix: "not both",
		},
		"a render directory outside the project is refused": {
			set:     map[string]string{"observability:kubernetes": `{"renderDir":"/tmp/out"}`},
			wantKey: "observability:kubernetes.renderDir", wantFix: "relative path",
		},
		"an object key given a scalar is refused": {
			set:     map[string]string{"observability:retention": `90d`},
			wantKey: "observability:retention", wantFix: "pulumi config set --path",
		},
		"an AWS region that does not exist is refused": {
			set:     map[string]string{"observability:aws": `{"enabled":true,"region":"europe"}`},
			wantKey: "observability:aws.region", wantFix: "us-east-1",
		},
		"a daily budget that is not positive is refused": {
			set:     map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":0}`},
			wantKey: "observability:aws.dailyBudgetUsd", wantFix: "positive number of US dollars",
		},
		"an object storage role that is not an IAM role ARN is refused": {
			set:     map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":500,"objectStorageRoleArn":"observability"}`},
			wantKey: "observability:aws.objectStorageRoleArn", wantFix: "arn:aws:iam::<account>:role/<name>",
		},
		"AWS without any way for the workloads to reach the buckets is refused, with the fix": {
			set:     map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":500}`},
			wantKey: "observability:aws.oidcProviderArn", wantFix: "aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer",
		},
		"a managed role and the OIDC provider at once are refused": {
			set: map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":500,"objectStorageRoleArn":"arn:aws:iam::123456789012:role/x",` +
				`"oidcProviderArn":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/A","oidcIssuerUrl":"https://oidc.eks.us-east-1.amazonaws.com/id/A"}`},
			wantKey: "observability:aws.objectStorageRoleArn", wantFix: "keep one",
		},
		"an OIDC issuer of another cluster than the provider's is refused": {
			set: map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":500,` +
				`"oidcProviderArn":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/A","oidcIssuerUrl":"https://oidc.eks.us-east-1.amazonaws.com/id/B"}`},
			wantKey: "observability:aws.oidcIssuerUrl", wantFix: "same cluster",
		},
		"an OIDC provider without its issuer is refused": {
			set: map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":500,` +
				`"oidcProviderArn":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/A"}`},
			wantKey: "observability:aws.oidcIssuerUrl", wantFix: "describe-cluster",
		},
		"an existing bucket of another stack is refused": {
			set:     map[string]string{"observability:aws": `{"enabled":true,"region":"us-east-1","dailyBudgetUsd":500,"nodeInstanceRole":true,"existingBuckets":{"metrics":"klearkarma-dev-metrics-2026"}}`},
			wantKey: "observability:aws.existingBuckets.metrics", wantFix: "aws s3 ls | grep klearkarma-prod-metrics",
		},
		"a responder email that is not well-formed is refused": {
			set:     map[string]string{"observability:pagerduty": `{"enabled":true,"teams":{"backend":{"emails":["jane at klearkarma"]},"infrastructure":{"schedules":["P1"]},"payments":{"schedules":["P2"]},"product":{"schedules":["P3"]}}}`},
			wantKey: "observability:pagerduty.teams.backend.emails[0]", wantFix: "jane@klearkarma.com",
		},
		"a team without responders is refused": {
			set:     map[string]string{"observability:pagerduty": `{"enabled":true,"teams":{"backend":{"emails":["a@klearkarma.com"]},"infrastructure":{"schedules":["P1"]},"payments":{"schedules":["P2"]}}}`},
			wantKey: "observability:pagerduty.teams.product", wantFix: "PagerDuty users under emails",
		},
		"a responder schedule that is not a PagerDuty schedule id is refused": {
			set:     map[string]string{"observability:pagerduty": `{"enabled":true,"teams":{"backend":{"schedules":["backend on-call"]},"infrastructure":{"schedules":["P1"]},"payments":{"schedules":["P2"]},"product":{"schedules":["P3"]}}}`},
			wantKey: "observability:pagerduty.teams.backend.schedules[0]", wantFix: "PABC123",
		},
		"a paging team without a second escalation level is refused: SEV-1 would escalate to nobody": {
			set: map[string]string{"observability:pagerduty": `{"enabled":true,"teams":{` +
				`"backend":{"emails":["a@klearkarma.com"],"escalateTo":{"emails":["lead@klearkarma.com"]}},` +
				`"infrastructure":{"schedules":["P1"],"escalateTo":{"schedules":["P1B"]}},` +
				`"payments":{"schedules":["P2"],"escalateTo":{"emails":["cfo@klearkarma.com"]}},` +
				`"product":{"schedules":["P3"]}}}`},
			wantKey: "observability:pagerduty.teams.product.escalateTo", wantFix: "teams.product.escalateTo.emails",
		},
		"a second escalation level that is not a PagerDuty schedule id is refused": {
			set: map[string]string{"observability:pagerduty": `{"enabled":true,"teams":{` +
				`"backend":{"emails":["a@klearkarma.com"],"escalateTo":{"schedules":["the backend lead"]}},` +
				`"infrastructure":{"schedules":["P1"],"escalateTo":{"schedules":["P1B"]}},` +
				`"payments":{"schedules":["P2"],"escalateTo":{"emails":["cfo@klearkarma.com"]}},` +
				`"product":{"schedules":["P3"],"escalateTo":{"emails":["cpo@klearkarma.com"]}}}}`},
			wantKey: "observability:pagerduty.teams.backend.escalateTo.schedules[0]", wantFix: "PABC123",
		},
		"two Elasticsearch nodes cannot form a quorum": {
			set:     map[string]string{"observability:elasticsearch": `{"replicas":2}`},
			wantKey: "observability:elasticsearch.replicas", wantFix: "use 1 (no HA) or 3 or more",
		},
		"a heap larger than half the memory limit is refused": {
			set:     map[string]string{"observability:elasticsearch": `{"heap":"4Gi","memoryLimit":"4Gi"}`},
			wantKey: "observability:elasticsearch.heap", wantFix: "at most 50% of the memory limit",
		},
		"a log retention CloudWatch does not accept is refused when AWS is on": {
			set:     map[string]string{"observability:retention": `{"logs":{"application":"100d","audit":"2557d"}}`},
			wantKey: "observability:retention.logs.application", wantFix: "90",
		},
		"a missing Elasticsearch password of a cluster deployment is refused": {
			unset:   []string{"observability:elasticPassword"},
			wantKey: "observability:elasticPassword", wantFix: "pulumi config set --secret observability:elasticPassword",
		},
		"a log retention under the daily rollover is refused": {
			set:     map[string]string{"observability:retention": `{"logs":{"application":"12h","audit":"2557d"}}`},
			wantKey: "observability:retention.logs.application", wantFix: "at least 1d",
		},
		"zero Kibana replicas are refused": {
			set:     map[string]string{"observability:kibana": `{"replicas":0,"ingressHost":"kibana.klearkarma.com","ingressClass":"nginx"}`},
			wantKey: "observability:kibana.replicas", wantFix: "set 1 or more",
		},
		"a Kibana ingress host that is a URL is refused": {
			set:     map[string]string{"observability:kibana": `{"replicas":2,"ingressHost":"https://kibana.klearkarma.com","ingressClass":"nginx"}`},
			wantKey: "observability:kibana.ingressHost", wantFix: "kibana.klearkarma.com",
		},
		"a Kibana IngressClass that cannot name an object is refused": {
			set:     map[string]string{"observability:kibana": `{"replicas":2,"ingressHost":"kibana.klearkarma.com","ingressClass":"Nginx Public"}`},
			wantKey: "observability:kibana.ingressClass", wantFix: "lower-case letters",
		},
		"zero Logstash replicas are refused": {
			set:     map[string]string{"observability:logstash": `{"replicas":0}`},
			wantKey: "observability:logstash.replicas", wantFix: "set 1 or more",
		},
		"two Cassandra nodes for traces cannot form a quorum": {
			set:     map[string]string{"observability:tracing": `{"cassandraReplicas":2}`},
			wantKey: "observability:tracing.cassandraReplicas", wantFix: "use 1 (no HA) or 3 or more",
		},
		"a sampled trace ratio above one is refused": {
			set:     map[string]string{"observability:tracing": `{"sampledRatio":1.5}`},
			wantKey: "observability:tracing.sampledRatio", wantFix: "one trace in ten",
		},
		"a Slack channel without # is refused": {
			set:     map[string]string{"observability:slack": `{"enabled":true,"channels":{"critical":"alerts","backend":"#b","infrastructure":"#i"}}`},
			wantKey: "observability:slack.channels.critical", wantFix: "starting with #",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			src := prodSource(t)
			for k, v := range tc.set {
				src.Values[k] = v
			}
			for _, k := range tc.unset {
				delete(src.Values, k)
			}
			for _, k := range tc.plain {
				src.Secrets[k] = false
			}
			keys := append(src.Keys(), tc.keys...)
			cfg, err := stacks.Parse("prod", src, keys)
			require.Error(t, err)
			assert.Nil(t, cfg, "no config is returned, so nothing can be created")
			var ce *stacks.ConfigError
			require.ErrorAs(t, err, &ce)
			var found *stacks.Problem
			for i := range ce.Problems {
				if ce.Problems[i].Key == tc.wantKey && (found == nil || strings.Contains(ce.Problems[i].Fix, tc.wantFix)) {
					found = &ce.Problems[i]
				}
			}
			require.NotNil(t, found, "want a problem for %s, got:\n%v", tc.wantKey, err)
			assert.Contains(t, found.Fix, tc.wantFix)
			assert.Contains(t, err.Error(), "nothing was created")
		})
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	src := prodSource(t)
	src.Values["observability:prometheus"] = `{"replicas":0,"storageSize":"lots"}`
	src.Values["observability:retention"] = `{"metrics":{"detailed":"soon"}}`
	delete(src.Values, "observability:smtpPassword")
	_, err := stacks.Parse("prod", src, src.Keys())
	var ce *stacks.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.ElementsMatch(t, []string{
		"observability:prometheus.replicas", "observability:prometheus.storageSize",
		"observability:retention.metrics.detailed", "observability:smtpPassword",
	}, problemKeys(ce))
	var p stacks.Problem
	assert.True(t, errors.As(err, &p), "each problem is reachable with errors.As")
}

func TestAnUnknownStackListsTheShippedOnes(t *testing.T) {
	_, err := stacks.ReadStackFile("..", "staging")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown stack "staging"`)
	assert.Contains(t, err.Error(), "dev, local, prod")
}
