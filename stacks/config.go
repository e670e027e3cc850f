// Package stacks turns a stack's configuration into one typed, validated
// Config and runs the program from it. It creates no resources while loading:
// every problem in the configuration is reported at once, each with its key
// and the fix, before anything is registered.
//
// Per-environment differences are data in Pulumi.<stack>.yaml; nothing here
// or in the components branches on the environment's name.
package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/internal/naming"
)

// Namespace is the config namespace of every key (the Pulumi project name).
const Namespace = naming.ProjectName

// Config is the whole typed configuration of one stack.
type Config struct {
	// Environment names the stack's environment in labels and resource names.
	Environment string `config:"environment" doc:"Environment name used in labels and names (DNS-1123 label)."`
	// Cluster is the external label that tells alerts and dashboards apart per cluster.
	Cluster string `config:"cluster" doc:"Cluster name, used as the Prometheus external label 'cluster'."`

	Kubernetes    KubernetesConfig    `config:"kubernetes" doc:"Where Kubernetes objects go: renderDir (offline YAML) or kubeconfig/context."`
	Namespaces    NamespacesConfig    `config:"namespaces" doc:"Namespaces for metrics, logs and traces."`
	Network       NetworkConfig       `config:"network" doc:"Who may talk to the observability namespaces."`
	Quota         QuotaConfig         `config:"quota" doc:"ResourceQuota applied to each observability namespace."`
	LimitRange    LimitRangeConfig    `config:"limitRange" doc:"LimitRange defaults and maxima for containers in each observability namespace."`
	Retention     RetentionConfig     `config:"retention" doc:"Retention of metrics, logs and traces (the monitoring strategy's policy)."`
	Prometheus    PrometheusConfig    `config:"prometheus" doc:"Prometheus servers: replicas, volume and local retention."`
	Thanos        ThanosConfig        `config:"thanos" doc:"Thanos long-term metrics: Store Gateway, Query and Compactor sizing; filesystem bucket size when AWS is off."`
	Tracing       TracingConfig       `config:"tracing" doc:"Tracing: Cassandra nodes and volume, the sampled tier's ratio, collector replicas. Retention comes from retention.traces."`
	Alertmanager  AlertmanagerConfig  `config:"alertmanager" doc:"Alertmanager cluster: replicas and volume."`
	Elasticsearch ElasticsearchConfig `config:"elasticsearch" doc:"Elasticsearch cluster: nodes, heap, memory, volume, vm.max_map_count handling."`
	Kibana        KibanaConfig        `config:"kibana" doc:"Kibana: replicas and optional Ingress."`
	Logstash      LogstashConfig      `config:"logstash" doc:"Logstash for log sources outside the cluster: replicas."`
	AWS           AWSConfig           `config:"aws" doc:"AWS account integration (S3, CloudWatch)."`
	PagerDuty     PagerDutyConfig     `config:"pagerduty" doc:"PagerDuty integration."`
	Slack         SlackConfig         `config:"slack" doc:"Slack notifications from Alertmanager."`
	Email         EmailConfig         `config:"email" doc:"Email notifications from Alertmanager."`
	Grafana       GrafanaConfig       `config:"grafana" doc:"Grafana API management (empty url: provision from ConfigMaps only)."`

	// Secrets holds the stack's secrets as Pulumi secret outputs; it is
	// filled by Load, never by Parse, and never holds plaintext.
	Secrets Secrets `config:"-"`
}

// KubernetesConfig chooses where the kubernetes provider sends objects.
type KubernetesConfig struct {
	// RenderDir, when set, renders YAML manifests to this directory (relative
	// to the project) instead of talking to a cluster.
	RenderDir  string `json:"renderDir"`
	Kubeconfig string `json:"kubeconfig"`
	Context    string `json:"context"`
}

// NamespacesConfig names the namespaces the platform owns.
type NamespacesConfig struct {
	Monitoring string `json:"monitoring"`
	Logging    string `json:"logging"`
	Tracing    string `json:"tracing"`
}

// NetworkConfig lists the peers the default-deny policies let through.
type NetworkConfig struct {
	// ApplicationNamespaces are scraped by Prometheus and send logs and traces.
	ApplicationNamespaces []string `json:"applicationNamespaces"`
	// IngressNamespaces hold ingress controllers that expose UIs (Grafana, Kibana, Jaeger).
	IngressNamespaces []string `json:"ingressNamespaces"`
	// ExternalEgressPorts are the TCP ports pods may reach outside the cluster
	// (HTTPS for S3/PagerDuty/Slack, SMTP submission, the API server).
	ExternalEgressPorts []int `json:"externalEgressPorts"`
}

// QuotaConfig is one namespace's ResourceQuota.
type QuotaConfig = platform.Quota

// LimitRangeConfig is one namespace's container LimitRange.
type LimitRangeConfig = platform.LimitRange

// RetentionConfig is the retention policy. Values are Prometheus durations
// (s, m, h, d, w, y); months are written as days (15 months = 456d).
type RetentionConfig struct {
	Metrics MetricsRetention `json:"metrics"`
	Logs    LogsRetention    `json:"logs"`
	Traces  TracesRetention  `json:"traces"`
}

// MetricsRetention: raw (and 5m-downsampled) blocks, and 1h-downsampled blocks.
type MetricsRetention struct {
	Detailed   Duration `json:"detailed"`
	Aggregated Duration `json:"aggregated"`
}

// LogsRetention: application and audit logs.
type LogsRetention struct {
	Application Duration `json:"application"`
	Audit       Duration `json:"audit"`
}

// TracesRetention: all spans, and the sampled subset kept longer.
type TracesRetention struct {
	Detailed Duration `json:"detailed"`
	Sampled  Duration `json:"sampled"`
}

// PrometheusConfig sizes the Prometheus servers.
type PrometheusConfig struct {
	Replicas       int      `json:"replicas"`
	StorageSize    string   `json:"storageSize"`
	LocalRetention Duration `json:"localRetention"`
	ScrapeInterval Duration `json:"scrapeInterval"`
	// RunbookBaseURL prefixes every alert's runbook_url.
	RunbookBaseURL string `json:"runbookBaseUrl"`
}

// ThanosConfig sizes Thanos. Retention comes from retention.metrics.
type ThanosConfig struct {
	StoreReplicas        int    `json:"storeReplicas"`
	QueryReplicas        int    `json:"queryReplicas"`
	StoreStorageSize     string `json:"storeStorageSize"`
	CompactorStorageSize string `json:"compactorStorageSize"`
	// FilesystemBucketSize is the shared volume that stands in for S3 when
	// aws.enabled is false (the offline stack).
	FilesystemBucketSize string `json:"filesystemBucketSize"`
}

// TracingConfig sizes tracing. Retention comes from retention.traces: the
// detailed tier keeps every span, the sampled tier SampledRatio of traces.
type TracingConfig struct {
	// CassandraReplicas is 1 or 3+: two nodes cannot keep a quorum.
	CassandraReplicas    int    `json:"cassandraReplicas"`
	CassandraStorageSize string `json:"cassandraStorageSize"`
	// SampledRatio is the fraction of traces kept for retention.traces.sampled, in (0, 1].
	SampledRatio float64 `json:"sampledRatio"`
	// CollectorReplicas applies to the OpenTelemetry Collector and each Jaeger collector.
	CollectorReplicas int `json:"collectorReplicas"`
}

// ElasticsearchConfig sizes the Elasticsearch cluster.
type ElasticsearchConfig struct {
	// Replicas is 1 or 3+: two nodes cannot form a quorum.
	Replicas int `json:"replicas"`
	// Heap is the JVM heap as a quantity, e.g. "1Gi"; at most half MemoryLimit.
	Heap        string `json:"heap"`
	MemoryLimit string `json:"memoryLimit"`
	CPULimit    string `json:"cpuLimit"`
	StorageSize string `json:"storageSize"`
	// MaxMapCount is "init-container" (a privileged init container sets
	// vm.max_map_count), "node" (the node image already does) or "no-mmap"
	// (Elasticsearch does without mmap; slower, for small clusters).
	MaxMapCount string `json:"maxMapCount"`
	// SnapshotVolumeSize is the filesystem snapshot repository when
	// aws.enabled is false (S3 otherwise).
	SnapshotVolumeSize string `json:"snapshotVolumeSize"`
}

// KibanaConfig sizes Kibana.
type KibanaConfig struct {
	Replicas     int    `json:"replicas"`
	IngressHost  string `json:"ingressHost"`
	IngressClass string `json:"ingressClass"`
}

// LogstashConfig sizes Logstash.
type LogstashConfig struct {
	Replicas int `json:"replicas"`
}

// AlertmanagerConfig sizes the Alertmanager cluster.
type AlertmanagerConfig struct {
	Replicas    int    `json:"replicas"`
	StorageSize string `json:"storageSize"`
}

// AWSConfig turns on the AWS side of the platform.
type AWSConfig struct {
	Enabled bool   `json:"enabled"`
	Region  string `json:"region"`
	// DailyBudgetUSD is the daily cost budget the cost alarm compares against.
	DailyBudgetUSD float64 `json:"dailyBudgetUsd"`
	// ObjectStorageRoleArn is the IAM role the Prometheus and Thanos pods
	// assume (EKS IRSA); the bucket policy is attached to it. Empty: attach
	// the exported policy to the node role yourself.
	ObjectStorageRoleArn string `json:"objectStorageRoleArn"`
}

// PagerDutyConfig turns on PagerDuty; it needs the pagerdutyToken secret.
type PagerDutyConfig struct {
	Enabled bool `json:"enabled"`
	// ServiceRegion is "us" (default) or "eu".
	ServiceRegion string `json:"serviceRegion"`
	// NamePrefix starts every PagerDuty object's name; stacks sharing an
	// account need different prefixes.
	NamePrefix string `json:"namePrefix"`
	// Teams maps each team (backend, infrastructure, product, payments) to
	// its responders.
	Teams map[string]Responders `json:"teams"`
}

// Responders are who a team's escalation policy pages: PagerDuty users by
// email (looked up, not created) and/or schedule ids.
type Responders struct {
	Emails    []string `json:"emails"`
	Schedules []string `json:"schedules"`
}

// PagerDutyTeams are the teams the alert rules route to.
var PagerDutyTeams = []string{"backend", "infrastructure", "payments", "product"}

// SlackConfig turns on Slack; it needs the slackWebhookUrl secret.
type SlackConfig struct {
	Enabled  bool              `json:"enabled"`
	Channels map[string]string `json:"channels"`
}

// EmailConfig turns on email; it needs the smtpPassword secret.
type EmailConfig struct {
	Enabled   bool   `json:"enabled"`
	Smarthost string `json:"smarthost"`
	From      string `json:"from"`
	Username  string `json:"username"`
	DefaultTo string `json:"defaultTo"`
	ProductTo string `json:"productTo"`
}

// GrafanaConfig: with a url, Grafana objects are managed through its API
// (needs the grafanaAuth secret).
type GrafanaConfig struct {
	URL       string `json:"url"`
	AdminUser string `json:"adminUser"`
	// IngressHost, when set, exposes Grafana through an Ingress.
	IngressHost  string `json:"ingressHost"`
	IngressClass string `json:"ingressClass"`
}

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

// redacted returns the secrets with every present value replaced by the
// placeholder, still marked secret.
func (s Secrets) redacted() Secrets {
	out := Secrets{present: s.present}
	for _, k := range SecretKeys {
		if s.present[k.Key] {
			k.set(&out, renderedPlaceholder())
		}
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

// Defaults is the configuration of a stack that sets nothing: the seed's
// retention policy, one replica of everything, and no external integration.
func Defaults() Config {
	return Config{
		Kubernetes: KubernetesConfig{},
		Namespaces: NamespacesConfig{Monitoring: "monitoring", Logging: "logging", Tracing: "tracing"},
		Network: NetworkConfig{
			ApplicationNamespaces: []string{"klear-karma"},
			IngressNamespaces:     []string{"ingress-nginx"},
			ExternalEgressPorts:   []int{443, 587, 6443},
		},
		Quota: QuotaConfig{
			RequestsCPU: "4", RequestsMemory: "16Gi", LimitsCPU: "8", LimitsMemory: "32Gi",
			RequestsStorage: "500Gi", Pods: 50, PersistentVolumeClaims: 20,
		},
		LimitRange: LimitRangeConfig{
			DefaultRequestCPU: "100m", DefaultRequestMemory: "128Mi",
			DefaultCPU: "500m", DefaultMemory: "512Mi",
			MaxCPU: "4", MaxMemory: "16Gi",
		},
		Retention: RetentionConfig{
			Metrics: MetricsRetention{Detailed: MustDuration("456d"), Aggregated: MustDuration("1825d")},
			Logs:    LogsRetention{Application: MustDuration("90d"), Audit: MustDuration("2557d")},
			Traces:  TracesRetention{Detailed: MustDuration("30d"), Sampled: MustDuration("90d")},
		},
		Prometheus: PrometheusConfig{
			Replicas: 1, StorageSize: "50Gi",
			LocalRetention: MustDuration("15d"), ScrapeInterval: MustDuration("30s"),
			RunbookBaseURL: "https://runbooks.klearkarma.com/alerts",
		},
		Thanos: ThanosConfig{
			StoreReplicas: 1, QueryReplicas: 1, StoreStorageSize: "10Gi", CompactorStorageSize: "50Gi", FilesystemBucketSize: "20Gi",
		},
		Tracing:      TracingConfig{CassandraReplicas: 1, CassandraStorageSize: "20Gi", SampledRatio: 0.1, CollectorReplicas: 1},
		Alertmanager: AlertmanagerConfig{Replicas: 1, StorageSize: "2Gi"},
		Elasticsearch: ElasticsearchConfig{
			Replicas: 1, Heap: "1Gi", MemoryLimit: "2Gi", CPULimit: "1", StorageSize: "30Gi", MaxMapCount: "init-container",
			SnapshotVolumeSize: "10Gi",
		},
		Kibana:    KibanaConfig{Replicas: 1, IngressClass: "nginx"},
		Logstash:  LogstashConfig{Replicas: 1},
		AWS:       AWSConfig{Region: "us-east-1", DailyBudgetUSD: 500},
		PagerDuty: PagerDutyConfig{Teams: map[string]Responders{}},
		Grafana:   GrafanaConfig{AdminUser: "admin", IngressClass: "nginx"},
		Slack: SlackConfig{Channels: map[string]string{
			"critical": "#alerts-critical", "backend": "#backend-alerts", "infrastructure": "#infrastructure-alerts",
		}},
		Email: EmailConfig{
			Smarthost: "smtp.gmail.com:587", From: "alerts@klearkarma.com", Username: "alerts@klearkarma.com",
			DefaultTo: "alerts@klearkarma.com", ProductTo: "product@klearkarma.com",
		},
	}
}
