package stacks

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
)

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
	// AlertmanagerHeartbeatURL is the dead man's switch the Watchdog alert
	// pings; its token is part of the URL.
	AlertmanagerHeartbeatURL pulumi.StringOutput
	present                  map[string]bool
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
	// checkValue states the rule on the decrypted value, if the key has
	// one: the problem ("" when the value is fine) and the fix. Neither
	// may quote the value: it is a credential.
	checkValue func(value, stack string) (problem, fix string)
	// validValue makes a value that passes checkValue from stem; nil keeps
	// stem.
	validValue func(stem string) string
}

// ValidValue is a value of the key's shape made from stem, for tests and
// renders that set every secret: stem itself for free-form secrets, an
// https URL ending in stem for the heartbeat URL.
func (k secretKey) ValidValue(stem string) string {
	if k.validValue == nil {
		return stem
	}
	return k.validValue(stem)
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
	{
		Key: HeartbeatURLKey, Description: "Heartbeat URL of the dead man's switch (a healthchecks-style or PagerDuty heartbeat URL, token included) that Alertmanager pings every minute with the always-firing Watchdog alert; the switch pages when the pings stop. It must be an https URL with a host (the token must not travel in clear). Unset, the Watchdog is routed nowhere.",
		RequiredBy: "never: setting it turns the dead man's switch on", required: func(*Config) bool { return false },
		set:        func(s *Secrets, v pulumi.StringOutput) { s.AlertmanagerHeartbeatURL = v },
		checkValue: checkHeartbeatURL,
		validValue: func(stem string) string { return "https://heartbeat.invalid/ping/" + url.PathEscape(stem) },
	},
}

// HeartbeatURLKey is the secret key of the dead man's switch URL. It is a
// top-level secret like the other credentials, not a field of the
// alertmanager object: a secure value inside an object makes the whole
// object secret.
const HeartbeatURLKey = "alertmanagerHeartbeatUrl"

// deploysToCluster: rendered manifests carry placeholders instead of
// secrets, so only a real deployment needs the in-cluster passwords.
func deploysToCluster(c *Config) bool { return c.Kubernetes.RenderDir == "" }

// CheckSecretValues states the rules on the secrets' decrypted values (the
// heartbeat URL's shape): every problem at once, or nil. Only the running
// program sees the values decrypted, so Load calls it; the stack files and
// Parse's callers hold ciphertext. No problem quotes a value.
func CheckSecretValues(stack string, src Source) error {
	if stack == "" {
		stack = "<stack>"
	}
	var ps check.Problems
	for _, s := range SecretKeys {
		v, ok := src.Get(Namespace + ":" + s.Key)
		if !ok || s.checkValue == nil {
			continue
		}
		if problem, fix := s.checkValue(v, stack); problem != "" {
			ps.Add(s.Key, problem, fix)
		}
	}
	return configError(stack, ps)
}

// checkHeartbeatURL wants an absolute https URL with a host: Alertmanager
// posts the Watchdog to it every minute, and its token is part of it, so
// plain http would send the token in clear. url.Parse's errors quote the
// URL, so they are never passed on.
func checkHeartbeatURL(v, stack string) (problem, fix string) {
	key := Namespace + ":" + HeartbeatURLKey
	fix = fmt.Sprintf("set it to the https URL your heartbeat service gives (e.g. https://hc-ping.com/<uuid>) with `pulumi config set --secret %s <url> -s %s`", key, stack)
	u, err := url.Parse(v)
	switch {
	case strings.TrimSpace(v) == "":
		return "is empty", fix + fmt.Sprintf(", or remove it (`pulumi config rm %s -s %s`) to leave the dead man's switch off", key, stack)
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return "contains whitespace or a control character (a newline pasted with the URL?)", fix
	case err != nil || !u.IsAbs():
		return "is not an absolute URL", fix
	case u.Scheme == "http":
		return "is an http URL: the token in it would cross the network unencrypted", fix
	case u.Scheme != "https":
		return "is not an https URL", fix
	case u.Hostname() == "":
		return "is an https URL without a host", fix
	}
	return "", ""
}
