package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/components/bucket"
	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/components/exporters"
	"github.com/klearkarma/observability/components/fluentd"
	"github.com/klearkarma/observability/components/grafana"
	"github.com/klearkarma/observability/components/jaeger"
	"github.com/klearkarma/observability/components/kibana"
	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/components/logstash"
	"github.com/klearkarma/observability/components/pagerduty"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/dashboards"
	"github.com/klearkarma/observability/internal/k8sprovider"
	"github.com/klearkarma/observability/internal/naming"
	pd "github.com/klearkarma/observability/internal/pagerduty"
	"github.com/klearkarma/observability/internal/workload"
	"github.com/klearkarma/observability/rules"
)

// Options tune one run without touching the stack's configuration.
type Options struct {
	// ConfigKeys are every config key the stack sets, for the unknown-key
	// check. Nil reads them from the environment the language host sets.
	ConfigKeys []string
	// RenderDir, when set, renders the Kubernetes side to this directory
	// instead of the target the stack names.
	RenderDir string
}

// Run is the program `pulumi up` runs (see main.go).
func Run(ctx *pulumi.Context) error { return Program(Options{})(ctx) }

// Program returns the program for the given options; the Automation API
// driver and the engine tests run exactly this.
func Program(opts Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		keys := opts.ConfigKeys
		if keys == nil {
			keys = KeysFromEnv()
		}
		cfg, err := Load(ctx, keys)
		if err != nil {
			return err
		}
		if opts.RenderDir != "" {
			cfg.Kubernetes = KubernetesConfig{RenderDir: opts.RenderDir}
		}
		return Build(ctx, cfg)
	}
}

// Build creates the platform from a validated Config, components in
// dependency order, and exports the stack outputs.
func Build(ctx *pulumi.Context, cfg *Config) error {
	target := k8sprovider.Settings(cfg.Kubernetes)
	if target.Offline() {
		cfg.Secrets = cfg.Secrets.redacted()
	}
	k8s, err := k8sprovider.New(ctx, "kubernetes", target)
	if err != nil {
		return err
	}
	k8sOpt := pulumi.Provider(k8s)

	plat, err := platform.New(ctx, "platform", platform.Args{
		Environment: cfg.Environment,
		Namespaces: []platform.Namespace{
			// node-exporter needs the host's network, PID namespace and /proc.
			{Name: cfg.Namespaces.Monitoring, Purpose: "metrics", PodSecurity: "privileged"},
			// Fluentd reads /var/log from the host.
			{Name: cfg.Namespaces.Logging, Purpose: "logs", PodSecurity: "privileged"},
			{Name: cfg.Namespaces.Tracing, Purpose: "traces", PodSecurity: "restricted"},
		},
		ApplicationNamespaces: cfg.Network.ApplicationNamespaces,
		IngressNamespaces:     cfg.Network.IngressNamespaces,
		ExternalEgressPorts:   cfg.Network.ExternalEgressPorts,
		Quota:                 cfg.Quota,
		LimitRange:            cfg.LimitRange,
	}, k8sOpt)
	if err != nil {
		return err
	}

	var awsOpt pulumi.ResourceOption
	if cfg.AWS.Enabled {
		p, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
			Region: pulumi.String(cfg.AWS.Region),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{
				"Project":     pulumi.String(naming.PartOf),
				"Environment": pulumi.String(cfg.Environment),
				"ManagedBy":   pulumi.String(naming.ManagedBy),
			}},
		})
		if err != nil {
			return fmt.Errorf("aws provider: %w", err)
		}
		awsOpt = pulumi.Provider(p)
	}

	if cfg.AWS.Enabled {
		lg, err := loggroups.New(ctx, "cloudwatch-logs", loggroups.Args{
			Prefix: "/klearkarma/" + cfg.Environment,
			Groups: []loggroups.Group{
				{Role: "application", RetentionDays: cfg.Retention.Logs.Application.Days()},
				{Role: "audit", RetentionDays: cfg.Retention.Logs.Audit.Days()},
			},
		}, awsOpt)
		if err != nil {
			return err
		}
		ctx.Export("cloudWatchLogGroups", lg.Names)
	}

	paging, err := buildPagerDuty(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.AWS.Enabled {
		if err := buildCostAlarm(ctx, cfg, awsOpt, paging); err != nil {
			return err
		}
	}

	metricsNs := plat.NamespaceResources["metrics"]
	inMetrics := []pulumi.ResourceOption{k8sOpt, pulumi.DependsOn([]pulumi.Resource{metricsNs})}
	queryURL, err := buildMetrics(ctx, cfg, awsOpt, paging, inMetrics)
	if err != nil {
		return err
	}

	logsNs := plat.NamespaceResources["logs"]
	inLogs := []pulumi.ResourceOption{k8sOpt, pulumi.DependsOn([]pulumi.Resource{logsNs})}
	logs, err := buildLogging(ctx, cfg, awsOpt, inLogs)
	if err != nil {
		return err
	}

	tracesNs := plat.NamespaceResources["traces"]
	tracing, err := jaeger.New(ctx, "jaeger", jaeger.Args{
		Namespace:            cfg.Namespaces.Tracing,
		DetailedRetention:    cfg.Retention.Traces.Detailed.Std(),
		SampledRetention:     cfg.Retention.Traces.Sampled.Std(),
		SampledRatio:         cfg.Tracing.SampledRatio,
		CassandraReplicas:    cfg.Tracing.CassandraReplicas,
		CassandraStorageSize: cfg.Tracing.CassandraStorageSize,
		CollectorReplicas:    cfg.Tracing.CollectorReplicas,
	}, k8sOpt, pulumi.DependsOn([]pulumi.Resource{tracesNs}))
	if err != nil {
		return err
	}
	ctx.Export("otlpGrpcEndpoint", tracing.OTLPGRPCEndpoint)
	ctx.Export("otlpHttpEndpoint", tracing.OTLPHTTPEndpoint)
	ctx.Export("jaegerCollectorEndpoint", tracing.JaegerThriftEndpoint)
	ctx.Export("jaegerUrl", tracing.QueryURL)

	// Grafana comes last: it reads Thanos, Elasticsearch and Jaeger.
	if err := buildGrafana(ctx, cfg, queryURL, logs, tracing.QueryURL, inMetrics); err != nil {
		return err
	}

	ctx.Export("environment", pulumi.String(cfg.Environment))
	ctx.Export("namespaces", plat.Namespaces)
	if target.Offline() {
		ctx.Export("renderDir", pulumi.String(target.RenderDir))
	}
	return nil
}

// buildMetrics creates the metrics path: exporters, Thanos on S3 (or a
// filesystem bucket offline) and Prometheus with its sidecar; it returns
// Thanos Query's URL for Grafana.
func buildMetrics(ctx *pulumi.Context, cfg *Config, awsOpt pulumi.ResourceOption, paging *pagerduty.PagerDuty, inMetrics []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	ns := cfg.Namespaces.Monitoring
	if _, err := exporters.New(ctx, "exporters", exporters.Args{Namespace: ns}, inMetrics...); err != nil {
		return pulumi.StringOutput{}, err
	}

	saAnnotations := map[string]string{}
	storage := thanos.Storage{FilesystemSize: cfg.Thanos.FilesystemBucketSize}
	if cfg.AWS.Enabled {
		b, err := bucket.New(ctx, "metrics-bucket", bucket.Args{
			BucketPrefix:  "klearkarma-" + cfg.Environment + "-metrics",
			Purpose:       "thanos-blocks",
			AccessRoleArn: cfg.AWS.ObjectStorageRoleArn,
		}, awsOpt)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		storage = thanos.Storage{S3Bucket: b.Name, S3Region: cfg.AWS.Region}
		if cfg.AWS.ObjectStorageRoleArn != "" {
			saAnnotations["eks.amazonaws.com/role-arn"] = cfg.AWS.ObjectStorageRoleArn
		}
		ctx.Export("metricsBucket", b.Name)
		ctx.Export("metricsBucketPolicyArn", b.PolicyArn)
	}

	const promName, amName = "prometheus", "alertmanager"
	var routingKeys map[string]pulumi.StringInput
	var defaultRoutingKey pulumi.StringInput
	if paging != nil {
		routingKeys, defaultRoutingKey = paging.RoutingKeyInputs(), paging.DefaultRoutingKey
		if cfg.Kubernetes.RenderDir != "" {
			// Rendered manifests never carry a credential (see redacted).
			for team := range routingKeys {
				routingKeys[team] = renderedPlaceholder()
			}
			defaultRoutingKey = renderedPlaceholder()
		}
	}
	am, err := alertmanager.New(ctx, amName, alertmanager.Args{
		Namespace:   pulumi.String(ns),
		Replicas:    cfg.Alertmanager.Replicas,
		StorageSize: cfg.Alertmanager.StorageSize,
		Routing: alertmanager.Routing{
			PagerDuty: alertmanager.PagerDutyRouting{Enabled: cfg.PagerDuty.Enabled},
			Slack: alertmanager.SlackRouting{Enabled: cfg.Slack.Enabled, Channels: alertmanager.SlackChannels{
				Critical: cfg.Slack.Channels["critical"], Backend: cfg.Slack.Channels["backend"], Infrastructure: cfg.Slack.Channels["infrastructure"],
			}},
			Email: alertmanager.EmailRouting{
				Enabled: cfg.Email.Enabled, Smarthost: cfg.Email.Smarthost, From: cfg.Email.From,
				Username: cfg.Email.Username, DefaultTo: cfg.Email.DefaultTo, ProductTo: cfg.Email.ProductTo,
			},
			GrafanaURL: cfg.Grafana.URL,
		},
		SlackWebhookURL:   optionalSecret(cfg.Slack.Enabled, cfg.Secrets.SlackWebhookURL),
		SMTPPassword:      optionalSecret(cfg.Email.Enabled, cfg.Secrets.SMTPPassword),
		DefaultRoutingKey: defaultRoutingKey,
		RoutingKeys:       routingKeys,
	}, inMetrics...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	ctx.Export("alertmanagerUrl", am.URL)

	r := cfg.Retention.Metrics
	th, err := thanos.New(ctx, "thanos", thanos.Args{
		Namespace: ns,
		Storage:   storage,
		// Raw and 5m blocks keep the detailed period; 1h blocks the aggregated one.
		Retention:                 thanos.Retention{Raw: r.Detailed.String(), FiveMinutes: r.Detailed.String(), OneHour: r.Aggregated.String()},
		SidecarService:            prometheus.HeadlessServiceName(promName),
		ServiceAccountAnnotations: saAnnotations,
		StoreReplicas:             cfg.Thanos.StoreReplicas,
		QueryReplicas:             cfg.Thanos.QueryReplicas,
		StoreStorageSize:          cfg.Thanos.StoreStorageSize,
		CompactorStorageSize:      cfg.Thanos.CompactorStorageSize,
	}, inMetrics...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}

	objstore := prometheus.Objstore{SecretName: th.ObjstoreSecret, SecretKey: thanos.ObjstoreKey}
	if !cfg.AWS.Enabled {
		objstore.BucketClaim, objstore.BucketPath = th.BucketClaim, thanos.FilesystemBucketPath
	}
	ruleFiles, err := ruleFiles(cfg)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	prom, err := prometheus.New(ctx, promName, prometheus.Args{
		Namespace:      ns,
		Replicas:       cfg.Prometheus.Replicas,
		StorageSize:    cfg.Prometheus.StorageSize,
		LocalRetention: cfg.Prometheus.LocalRetention.String(),
		Scrape: prometheus.ScrapeSettings{
			Cluster:           cfg.Cluster,
			ScrapeInterval:    cfg.Prometheus.ScrapeInterval.Std(),
			Namespaces:        append([]string{cfg.Namespaces.Monitoring, cfg.Namespaces.Logging, cfg.Namespaces.Tracing}, cfg.Network.ApplicationNamespaces...),
			ExporterNamespace: ns,
			Alertmanagers:     alertmanager.Targets(amName, ns, "", cfg.Alertmanager.Replicas),
		},
		RuleFiles:                 ruleFiles,
		Objstore:                  objstore,
		ServiceAccountAnnotations: saAnnotations,
	}, inMetrics...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	ctx.Export("prometheusUrl", prom.URL)
	ctx.Export("thanosQueryUrl", th.QueryURL)
	return th.QueryURL, nil
}

// thanosDatasourceUID is the Grafana datasource every dashboard queries.
const thanosDatasourceUID = "thanos"

// grafanaFolders are one folder per team, where the dashboards live.
var grafanaFolders = []grafana.Folder{
	{UID: "backend", Title: "Backend"}, {UID: "infrastructure", Title: "Infrastructure"},
	{UID: "payments", Title: "Payments"}, {UID: "product", Title: "Product"},
}

// Grafana's log datasources: one per data stream, so a panel cannot mix
// audit events into application logs by accident.
const (
	appLogsDatasourceUID   = "logs-app"
	auditLogsDatasourceUID = "logs-audit"
	tracesDatasourceUID    = "traces"
)

// buildGrafana runs Grafana in the metrics namespace with Thanos Query as
// its default datasource, the two log data streams in Elasticsearch (read
// with Grafana's read-only user over verified TLS) and the dashboards from
// dashboards/, managed through Grafana's API when the stack names its URL,
// from files otherwise.
func buildGrafana(ctx *pulumi.Context, cfg *Config, queryURL pulumi.StringOutput, logs *elasticsearch.Elasticsearch, jaegerURL pulumi.StringOutput, inMetrics []pulumi.ResourceOption) error {
	built, err := dashboards.All(dashboards.Options{DatasourceUID: thanosDatasourceUID})
	if err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	boards := make([]grafana.Dashboard, 0, len(built))
	for _, d := range built {
		boards = append(boards, grafana.Dashboard{UID: d.UID, Title: d.Title, FolderUID: d.Folder, JSON: d.JSON})
	}
	args := grafana.Args{
		Namespace: cfg.Namespaces.Monitoring,
		Replicas:  1,
		AdminUser: cfg.Grafana.AdminUser,
		Datasources: []grafana.Datasource{
			{UID: thanosDatasourceUID, Name: "Thanos", Type: grafana.TypePrometheus, URL: queryURL, IsDefault: true},
			logsDatasource(logs, appLogsDatasourceUID, "Application logs", elasticsearch.ApplicationIndexPattern),
			logsDatasource(logs, auditLogsDatasourceUID, "Audit logs", elasticsearch.AuditIndexPattern),
			{UID: tracesDatasourceUID, Name: "Traces", Type: grafana.TypeJaeger, URL: jaegerURL},
		},
		Folders:    grafanaFolders,
		Dashboards: boards,
	}
	args.AdminPassword = cfg.Secrets.GrafanaAdminPassword
	if !cfg.Secrets.Has("grafanaAdminPassword") {
		// Only a render may lack it (validation requires it otherwise).
		args.AdminPassword = renderedPlaceholder()
	}
	if cfg.Grafana.IngressHost != "" {
		args.Ingress = &grafana.Ingress{Host: cfg.Grafana.IngressHost, ClassName: cfg.Grafana.IngressClass}
	}
	if cfg.Grafana.URL != "" {
		args.API = &grafana.API{URL: cfg.Grafana.URL, Auth: cfg.Secrets.GrafanaAuth}
	}
	g, err := grafana.New(ctx, "grafana", args, inMetrics...)
	if err != nil {
		return err
	}
	ctx.Export("grafanaUrl", g.URL)
	return nil
}

// ruleFiles are the generated Prometheus rule files.
// logsDatasource reads one log data stream. The password and the CA come
// from Secrets the Elasticsearch component puts in Grafana's namespace, so
// Grafana file-provisions it in every stack (see components/grafana). The
// URL and the reader's Secret resolve once the setup Job has created the
// user. esVersion is left out: Grafana 12 no longer reads it.
func logsDatasource(logs *elasticsearch.Elasticsearch, uid, name, index string) grafana.Datasource {
	return grafana.Datasource{
		UID: uid, Name: name, Type: grafana.TypeElasticsearch, URL: logs.URL,
		JSONData: map[string]any{
			"index": index, "timeField": "@timestamp",
			// The winston fields the index templates map.
			"logMessageField": "message", "logLevelField": "level",
		},
		BasicAuthUser:     elasticsearch.GrafanaReaderUser,
		BasicAuthPassword: &grafana.SecretKey{Name: logs.GrafanaReaderSecret, Key: elasticsearch.LogWriterPasswordKey},
		CACert:            &grafana.SecretKey{Name: logs.CASecret, Key: elasticsearch.CASecretKey},
	}
}

func ruleFiles(cfg *Config) (map[string]string, error) {
	groups, err := rules.Groups(rules.Options{RunbookBaseURL: cfg.Prometheus.RunbookBaseURL})
	if err != nil {
		return nil, fmt.Errorf("prometheus rules: %w", err)
	}
	text, err := rules.YAML(groups)
	if err != nil {
		return nil, fmt.Errorf("prometheus rules: %w", err)
	}
	return map[string]string{"klearkarma.yaml": text}, nil
}

// buildCostAlarm alarms when a day's AWS spend exceeds the daily budget.
// Billing metrics live only in us-east-1.
func buildCostAlarm(ctx *pulumi.Context, cfg *Config, awsOpt pulumi.ResourceOption, paging *pagerduty.PagerDuty) error {
	const billingRegion = "us-east-1"
	billingOpt := awsOpt
	if cfg.AWS.Region != billingRegion {
		p, err := aws.NewProvider(ctx, "aws-billing", &aws.ProviderArgs{Region: pulumi.String(billingRegion)})
		if err != nil {
			return fmt.Errorf("aws billing provider: %w", err)
		}
		billingOpt = pulumi.Provider(p)
	}
	args := costalarm.Args{Name: "klearkarma-" + cfg.Environment, DailyBudgetUSD: cfg.AWS.DailyBudgetUSD}
	if paging != nil {
		args.PagerDutyEndpoint = paging.CloudWatchEndpoint
	}
	if cfg.Email.Enabled {
		args.EmailTo = cfg.Email.DefaultTo
	}
	alarm, err := costalarm.New(ctx, "cost-alarm", args, billingOpt)
	if err != nil {
		return err
	}
	ctx.Export("costAlarm", alarm.AlarmName)
	return nil
}

// buildPagerDuty creates the teams, escalation policies, services and
// integrations through an explicit provider; nil when PagerDuty is off.
func buildPagerDuty(ctx *pulumi.Context, cfg *Config) (*pagerduty.PagerDuty, error) {
	if !cfg.PagerDuty.Enabled {
		return nil, nil
	}
	region := cfg.PagerDuty.ServiceRegion
	provider, err := pd.NewProvider(ctx, "pagerduty", &pd.ProviderArgs{
		Token:         cfg.Secrets.PagerDutyToken,
		ServiceRegion: pulumi.StringPtr(region),
	})
	if err != nil {
		return nil, fmt.Errorf("pagerduty provider: %w", err)
	}
	teams := map[string]pagerduty.Team{}
	for name, r := range cfg.PagerDuty.Teams {
		teams[name] = pagerduty.Team{Responders: pagerduty.Responders{Emails: r.Emails, ScheduleIDs: r.Schedules}}
	}
	p, err := pagerduty.New(ctx, "pagerduty", pagerduty.Args{
		Teams: teams, NamePrefix: cfg.PagerDuty.NamePrefix, Provider: provider,
	})
	if err != nil {
		return nil, err
	}
	urls := pulumi.StringMap{}
	for team, u := range p.ServiceURLs {
		urls[team] = u
	}
	ctx.Export("pagerdutyServiceUrls", urls)
	// Secret: the URL embeds the integration key.
	ctx.Export("pagerdutyCloudWatchEndpoint", p.CloudWatchEndpoint)
	return p, nil
}

func renderedPlaceholder() pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(RenderedSecretPlaceholder)).(pulumi.StringOutput)
}

// optionalSecret passes a secret only to an enabled integration (a disabled
// one has no secret set, and a nil input means "none").
func optionalSecret(enabled bool, v pulumi.StringOutput) pulumi.StringInput {
	if !enabled {
		return nil
	}
	return v
}

// buildLogging creates Elasticsearch with its retention (ILM, templates,
// nightly audit snapshots to S3 or a volume), Kibana, and the two log
// collectors: Fluentd on every node and Logstash for sources outside the
// cluster.
func buildLogging(ctx *pulumi.Context, cfg *Config, awsOpt pulumi.ResourceOption, inLogs []pulumi.ResourceOption) (*elasticsearch.Elasticsearch, error) {
	ns := cfg.Namespaces.Logging
	es := cfg.Elasticsearch
	snapshots := elasticsearch.Snapshots{
		Type:       elasticsearch.SnapshotsFilesystem,
		Filesystem: elasticsearch.FilesystemSnapshots{Size: es.SnapshotVolumeSize},
	}
	if cfg.AWS.Enabled {
		// No expiry on current objects: S3 deleting files inside an
		// Elasticsearch repository corrupts it; SLM expires snapshots.
		b, err := bucket.New(ctx, "log-snapshots-bucket", bucket.Args{
			BucketPrefix:  "klearkarma-" + cfg.Environment + "-log-snapshots",
			Purpose:       "elasticsearch-audit-snapshots",
			AccessRoleArn: cfg.AWS.ObjectStorageRoleArn,
		}, awsOpt)
		if err != nil {
			return nil, err
		}
		snapshots = elasticsearch.Snapshots{Type: elasticsearch.SnapshotsS3, S3: elasticsearch.S3Snapshots{
			Bucket: b.Name, Region: cfg.AWS.Region, BasePath: "audit", RoleArn: cfg.AWS.ObjectStorageRoleArn,
		}}
		ctx.Export("logSnapshotsBucket", b.Name)
	}
	secret := func(present bool, v pulumi.StringOutput) pulumi.StringInput {
		if !present {
			return renderedPlaceholder() // only a render lacks them (validation)
		}
		return v
	}
	sec := cfg.Secrets
	const esName = "elasticsearch"
	cluster, err := elasticsearch.New(ctx, esName, elasticsearch.Args{
		Namespace:   ns,
		Replicas:    es.Replicas,
		StorageSize: es.StorageSize,
		Heap:        es.Heap,
		Resources: workload.Resources{
			RequestsCPU: "500m", LimitsCPU: es.CPULimit, RequestsMemory: es.MemoryLimit, LimitsMemory: es.MemoryLimit,
		},
		MaxMapCount:          elasticsearch.MaxMapCountMode(es.MaxMapCount),
		TrustNamespaces:      []string{cfg.Namespaces.Monitoring},
		ElasticPassword:      secret(sec.Has("elasticPassword"), sec.ElasticPassword),
		KibanaSystemPassword: secret(sec.Has("kibanaSystemPassword"), sec.KibanaSystemPassword),
		LogWriterPassword:    secret(sec.Has("logWriterPassword"), sec.LogWriterPassword),
		// Grafana runs in the monitoring namespace and reads its Secret there.
		GrafanaReaderPassword:  secret(sec.Has("grafanaElasticPassword"), sec.GrafanaElasticPassword),
		GrafanaReaderNamespace: cfg.Namespaces.Monitoring,
		Retention: elasticsearch.Retention{
			Application: cfg.Retention.Logs.Application.Std(), Audit: cfg.Retention.Logs.Audit.Std(),
		},
		Snapshots: snapshots,
	}, inLogs...)
	if err != nil {
		return nil, err
	}
	afterES := append(append([]pulumi.ResourceOption{}, inLogs...), pulumi.DependsOn([]pulumi.Resource{cluster}))

	kibanaArgs := kibana.Args{
		Namespace: ns, Replicas: cfg.Kibana.Replicas,
		ElasticsearchURL: cluster.URL, CASecret: cluster.CASecret, CredentialsSecret: cluster.CredentialsSecret,
		PasswordKey: elasticsearch.SecretKeyKibanaSystem,
	}
	if cfg.Kibana.Replicas > 1 {
		kibanaArgs.EncryptionKey = secret(sec.Has("kibanaEncryptionKey"), sec.KibanaEncryptionKey)
	}
	if cfg.Kibana.IngressHost != "" {
		kibanaArgs.Ingress = &kibana.Ingress{Host: cfg.Kibana.IngressHost, ClassName: cfg.Kibana.IngressClass}
	}
	kb, err := kibana.New(ctx, "kibana", kibanaArgs, afterES...)
	if err != nil {
		return nil, err
	}

	host := fmt.Sprintf("%s.%s.svc.cluster.local", elasticsearch.ServiceName(esName), ns)
	if _, err := fluentd.New(ctx, "fluentd", fluentd.Args{
		Namespace: ns,
		Elasticsearch: fluentd.Elasticsearch{
			Host: host, CASecretName: cluster.CASecret, CredentialsSecretName: cluster.LogWriterSecret,
		},
		AppDataStream:   elasticsearch.ApplicationDataStream,
		AuditDataStream: elasticsearch.AuditDataStream,
		AppRetention:    fluentd.Retention{IndexTemplate: elasticsearch.ApplicationTemplate, ILMPolicy: elasticsearch.ApplicationPolicy},
		AuditRetention:  fluentd.Retention{IndexTemplate: elasticsearch.AuditTemplate, ILMPolicy: elasticsearch.AuditPolicy},
	}, afterES...); err != nil {
		return nil, err
	}
	ls, err := logstash.New(ctx, "logstash", logstash.Args{
		Namespace: ns, Replicas: cfg.Logstash.Replicas,
		Elasticsearch: logstash.Elasticsearch{
			Host: host, CASecretName: cluster.CASecret, CredentialsSecretName: cluster.LogWriterSecret,
		},
		AppDataStream:   elasticsearch.ApplicationDataStream,
		AuditDataStream: elasticsearch.AuditDataStream,
	}, afterES...)
	if err != nil {
		return nil, err
	}
	ctx.Export("elasticsearchUrl", cluster.URL)
	ctx.Export("kibanaUrl", kb.URL)
	ctx.Export("logstashBeatsEndpoint", ls.BeatsEndpoint)
	return cluster, nil
}
