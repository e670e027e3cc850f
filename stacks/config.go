// Package stacks turns a stack's configuration into one typed, validated
// Config. It creates no resources: every problem in the configuration is
// reported at once, each with its key and the fix, before the program
// (package program) registers anything. A component's own rules live in
// the component; this package maps them to config keys and adds the rules
// that only the whole stack can state (how the sections fit together).
//
// Per-environment differences are data in Pulumi.<stack>.yaml; nothing here
// or in the components branches on the environment's name.
package stacks

import (
	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/conventions"
)

// Namespace is the config namespace of every key (the Pulumi project name).
const Namespace = conventions.ProjectName

// Config is the whole typed configuration of one stack.
type Config struct {
	// Environment names the stack's environment in labels and resource names.
	Environment string `config:"environment" doc:"Environment name used in labels and names (DNS-1123 label)."`
	// Cluster is the external label that tells alerts and dashboards apart per cluster.
	Cluster string `config:"cluster" doc:"Cluster name, used as the Prometheus external label 'cluster'."`

	Kubernetes     KubernetesConfig     `config:"kubernetes" doc:"Where Kubernetes objects go: renderDir (offline YAML) or kubeconfig/context."`
	Namespaces     NamespacesConfig     `config:"namespaces" doc:"Namespaces for metrics, logs and traces."`
	Network        NetworkConfig        `config:"network" doc:"Who may talk to the observability namespaces."`
	Quota          QuotaConfig          `config:"quota" doc:"ResourceQuota applied to each observability namespace."`
	LimitRange     LimitRangeConfig     `config:"limitRange" doc:"LimitRange defaults and maxima for containers in each observability namespace."`
	Retention      RetentionConfig      `config:"retention" doc:"Retention of metrics, logs and traces (the monitoring strategy's policy)."`
	Prometheus     PrometheusConfig     `config:"prometheus" doc:"Prometheus servers: replicas, volume and local retention."`
	Thanos         ThanosConfig         `config:"thanos" doc:"Thanos long-term metrics: Store Gateway, Query and Compactor sizing; filesystem bucket size when AWS is off."`
	Tracing        TracingConfig        `config:"tracing" doc:"Tracing: Cassandra nodes and volume, the sampled tier's ratio, collector replicas. Retention comes from retention.traces."`
	Alertmanager   AlertmanagerConfig   `config:"alertmanager" doc:"Alertmanager cluster: replicas and volume."`
	Elasticsearch  ElasticsearchConfig  `config:"elasticsearch" doc:"Elasticsearch cluster: nodes, heap, memory, volume, vm.max_map_count handling."`
	Kibana         KibanaConfig         `config:"kibana" doc:"Kibana: replicas and optional Ingress."`
	Logstash       LogstashConfig       `config:"logstash" doc:"Logstash for log sources outside the cluster: replicas."`
	AWS            AWSConfig            `config:"aws" doc:"AWS account integration (S3, CloudWatch)."`
	PagerDuty      PagerDutyConfig      `config:"pagerduty" doc:"PagerDuty integration."`
	Slack          SlackConfig          `config:"slack" doc:"Slack notifications from Alertmanager."`
	Email          EmailConfig          `config:"email" doc:"Email notifications from Alertmanager."`
	Grafana        GrafanaConfig        `config:"grafana" doc:"Grafana API management (empty url: provision from ConfigMaps only)."`
	Probes         ProbesConfig         `config:"probes" doc:"Health probes: the blackbox exporter probes each application's /live, /ready, /health and /health/detailed; EndpointDown and EndpointDegraded alert its team."`
	DataProtection DataProtectionConfig `config:"dataProtection" doc:"How the resources that hold data survive a destroy or a replacement: metric and snapshot buckets, the observability namespaces (which hold every volume), and stand-alone volume claims."`

	// Secrets holds the stack's secrets as Pulumi secret outputs; it is
	// filled by Load, never by Parse, and never holds plaintext.
	Secrets Secrets `config:"-"`
}

// Defaults is the configuration of a stack that sets nothing: the seed's
// retention policy, one replica of everything, and no external integration.
func Defaults() Config {
	return Config{
		Kubernetes: KubernetesConfig{Nodes: 3},
		Namespaces: NamespacesConfig{Monitoring: "monitoring", Logging: "logging", Tracing: "tracing"},
		Network: NetworkConfig{
			ApplicationNamespaces: []string{"klear-karma"},
			IngressNamespaces:     []string{"ingress-nginx"},
			ExternalEgressPorts:   []int{443, 587},
			// Any cluster's nodes and control plane are in these; a stack
			// narrows them to its subnets.
			NodeCIDRs:      []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"},
			APIServerCIDRs: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"},
		},
		Quota: QuotaConfig{
			RequestsCPU: "4", RequestsMemory: "16Gi", LimitsCPU: "16", LimitsMemory: "32Gi",
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
			LocalRetention: MustDuration("30d"), ScrapeInterval: MustDuration("30s"),
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
		AWS:       AWSConfig{Region: "us-east-1", DailyBudgetUSD: 500, CostExporter: true},
		PagerDuty: PagerDutyConfig{Teams: map[string]PagerDutyTeam{}},
		Grafana:   GrafanaConfig{AdminUser: "admin", IngressClass: "nginx"},
		Probes:    ProbesConfig{Replicas: 1, Targets: []blackbox.Target{}},
		Slack: SlackConfig{Channels: map[string]string{
			"critical": "#alerts-critical", "backend": "#backend-alerts", "infrastructure": "#infrastructure-alerts",
			"payments": "#payments-alerts",
		}},
		Email: EmailConfig{
			Smarthost: "smtp.gmail.com:587", From: "alerts@klearkarma.com", Username: "alerts@klearkarma.com",
			DefaultTo: "alerts@klearkarma.com", ProductTo: "product@klearkarma.com",
		},
	}
}
