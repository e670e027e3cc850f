package stacks

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Secrets are the stack's secret config values, as secret outputs.
// A field is nil when the stack does not set the key.
type Secrets struct {
	PagerDutyToken  pulumi.StringOutput
	SlackWebhookURL pulumi.StringOutput
	SMTPPassword    pulumi.StringOutput
	GrafanaAuth     pulumi.StringOutput
	// GrafanaAdminPassword is the in-cluster Grafana's admin password.
	GrafanaAdminPassword pulumi.StringOutput
	// ElasticPassword and KibanaSystemPassword are Elasticsearch built-in users'.
	ElasticPassword      pulumi.StringOutput
	KibanaSystemPassword pulumi.StringOutput
	// LogWriterPassword is the password Fluentd and Logstash write logs with.
	LogWriterPassword pulumi.StringOutput
	// GrafanaElasticPassword is the password of Grafana's read-only
	// Elasticsearch user.
	GrafanaElasticPassword pulumi.StringOutput
	// KibanaEncryptionKey is shared by Kibana replicas (32+ characters).
	KibanaEncryptionKey pulumi.StringOutput
	present             map[string]bool
}

// RenderedSecretPlaceholder replaces every secret value when Kubernetes
// objects are only rendered to files: a review artifact must not carry a
// credential, and nothing rendered is deployed.
// It is long enough for keys with a minimum length (Kibana's is 32).
const RenderedSecretPlaceholder = "redacted-secret-in-rendered-manifests"

// Redacted returns the secrets with every present value replaced by the
// placeholder, still marked secret.
func (s Secrets) Redacted() Secrets {
	out := Secrets{present: s.present}
	placeholder := pulumi.ToSecret(pulumi.String(RenderedSecretPlaceholder)).(pulumi.StringOutput)
	for _, k := range SecretKeys {
		if s.present[k.Key] {
			k.set(&out, placeholder)
		}
	}
	return out
}

// PlaceholderSecrets has every secret set, to the rendered placeholder:
// for evaluations of the program that read shapes, never secret values
// (the preflight under mocks).
func PlaceholderSecrets() Secrets {
	out := Secrets{present: map[string]bool{}}
	placeholder := pulumi.ToSecret(pulumi.String(RenderedSecretPlaceholder)).(pulumi.StringOutput)
	for _, k := range SecretKeys {
		out.present[k.Key] = true
		k.set(&out, placeholder)
	}
	return out
}

// Has reports whether the stack sets the secret key (without the namespace).
func (s Secrets) Has(key string) bool { return s.present[key] }

// secretKey declares one secret config key and when it is required.
type secretKey struct {
	Key         string
	Description string
	// RequiredBy says which setting makes the secret required.
	RequiredBy string
	required   func(c *Config) bool
	set        func(s *Secrets, v pulumi.StringOutput)
}

// SecretKeys lists every secret the program reads, in a stable order.
var SecretKeys = []secretKey{
	{
		Key: "pagerdutyToken", Description: "PagerDuty REST API token for the PagerDuty provider.",
		RequiredBy: "pagerduty.enabled is true", required: func(c *Config) bool { return c.PagerDuty.Enabled },
		set: func(s *Secrets, v pulumi.StringOutput) { s.PagerDutyToken = v },
	},
	{
		Key: "slackWebhookUrl", Description: "Slack incoming-webhook URL for Alertmanager.",
		RequiredBy: "slack.enabled is true", required: func(c *Config) bool { return c.Slack.Enabled },
		set: func(s *Secrets, v pulumi.StringOutput) { s.SlackWebhookURL = v },
	},
	{
		Key: "smtpPassword", Description: "SMTP password for Alertmanager email.",
		RequiredBy: "email.enabled is true", required: func(c *Config) bool { return c.Email.Enabled },
		set: func(s *Secrets, v pulumi.StringOutput) { s.SMTPPassword = v },
	},
	{
		Key: "grafanaAuth", Description: "Grafana API token or user:password for the Grafana provider.",
		RequiredBy: "grafana.url is set", required: func(c *Config) bool { return c.Grafana.URL != "" },
		set: func(s *Secrets, v pulumi.StringOutput) { s.GrafanaAuth = v },
	},
	{
		Key: "grafanaAdminPassword", Description: "Admin password of the in-cluster Grafana.",
		RequiredBy: "the stack deploys to a cluster (kubernetes.renderDir is empty)", required: deploysToCluster,
		set: func(s *Secrets, v pulumi.StringOutput) { s.GrafanaAdminPassword = v },
	},
	{
		Key: "elasticPassword", Description: "Password of the Elasticsearch 'elastic' superuser.",
		RequiredBy: "the stack deploys to a cluster (kubernetes.renderDir is empty)", required: deploysToCluster,
		set: func(s *Secrets, v pulumi.StringOutput) { s.ElasticPassword = v },
	},
	{
		Key: "kibanaSystemPassword", Description: "Password of the Elasticsearch 'kibana_system' user Kibana connects as.",
		RequiredBy: "the stack deploys to a cluster (kubernetes.renderDir is empty)", required: deploysToCluster,
		set: func(s *Secrets, v pulumi.StringOutput) { s.KibanaSystemPassword = v },
	},
	{
		Key: "logWriterPassword", Description: "Password of the Elasticsearch user Fluentd and Logstash write logs with.",
		RequiredBy: "the stack deploys to a cluster (kubernetes.renderDir is empty)", required: deploysToCluster,
		set: func(s *Secrets, v pulumi.StringOutput) { s.LogWriterPassword = v },
	},
	{
		Key: "grafanaElasticPassword", Description: "Password of the read-only Elasticsearch user Grafana queries the log data streams with.",
		RequiredBy: "the stack deploys to a cluster (kubernetes.renderDir is empty)", required: deploysToCluster,
		set: func(s *Secrets, v pulumi.StringOutput) { s.GrafanaElasticPassword = v },
	},
	{
		Key: "kibanaEncryptionKey", Description: "Key (32+ characters) Kibana replicas share for sessions and saved objects.",
		RequiredBy: "kibana.replicas is above 1 and the stack deploys to a cluster",
		required:   func(c *Config) bool { return c.Kibana.Replicas > 1 && deploysToCluster(c) },
		set:        func(s *Secrets, v pulumi.StringOutput) { s.KibanaEncryptionKey = v },
	},
}

// deploysToCluster: rendered manifests carry placeholders instead of
// secrets, so only a real deployment needs the in-cluster passwords.
func deploysToCluster(c *Config) bool { return c.Kubernetes.RenderDir == "" }
