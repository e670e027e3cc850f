package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/bucket"
	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/components/fluentd"
	"github.com/klearkarma/observability/components/kibana"
	"github.com/klearkarma/observability/components/logstash"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/workload"
	"github.com/klearkarma/observability/stacks"
)

const elasticsearchName = "elasticsearch"

// buildLogging creates Elasticsearch with its retention (ILM, templates,
// nightly audit snapshots to S3 or a volume), Kibana, and the two log
// collectors: Fluentd on every node and Logstash for sources outside the
// cluster.
func buildLogging(ctx *pulumi.Context, cfg *stacks.Config, p *providers, plat *platform.Platform) (*elasticsearch.Elasticsearch, error) {
	ns := cfg.Namespaces.Logging
	opts := in(p, plat, purposeLogs)
	snapshots, err := snapshotRepository(ctx, cfg, p)
	if err != nil {
		return nil, err
	}
	es, sec := cfg.Elasticsearch, cfg.Secrets
	cluster, err := elasticsearch.New(ctx, elasticsearchName, elasticsearch.Args{
		Data:        cfg.DataProtection.Policy(),
		Namespace:   ns,
		Replicas:    es.Replicas,
		StorageSize: es.StorageSize,
		Heap:        es.Heap,
		Resources: workload.Resources{
			RequestsCPU: "500m", LimitsCPU: es.CPULimit, RequestsMemory: es.MemoryLimit, LimitsMemory: es.MemoryLimit,
		},
		MaxMapCount:          elasticsearch.MaxMapCountMode(es.MaxMapCount),
		TrustNamespaces:      []string{cfg.Namespaces.Monitoring},
		ElasticPassword:      secretOrPlaceholder(sec, "elasticPassword", sec.ElasticPassword),
		KibanaSystemPassword: secretOrPlaceholder(sec, "kibanaSystemPassword", sec.KibanaSystemPassword),
		LogWriterPassword:    secretOrPlaceholder(sec, "logWriterPassword", sec.LogWriterPassword),
		// Grafana runs in the monitoring namespace and reads its Secret there.
		GrafanaReaderPassword:  secretOrPlaceholder(sec, "grafanaElasticPassword", sec.GrafanaElasticPassword),
		GrafanaReaderNamespace: cfg.Namespaces.Monitoring,
		Retention: elasticsearch.Retention{
			Application: cfg.Retention.Logs.Application.Std(), Audit: cfg.Retention.Logs.Audit.Std(),
		},
		Snapshots: snapshots,
	}, opts...)
	if err != nil {
		return nil, err
	}
	afterES := append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{cluster}))
	if err := buildKibana(ctx, cfg, cluster, afterES); err != nil {
		return nil, err
	}
	if err := buildLogCollectors(ctx, cfg, cluster, afterES); err != nil {
		return nil, err
	}
	ctx.Export("elasticsearchUrl", cluster.URL)
	return cluster, nil
}

// buildKibana is Kibana on the cluster, as kibana_system, behind an Ingress
// when the stack names a host.
func buildKibana(ctx *pulumi.Context, cfg *stacks.Config, cluster *elasticsearch.Elasticsearch, opts []pulumi.ResourceOption) error {
	sec := cfg.Secrets
	args := kibana.Args{
		Namespace: cfg.Namespaces.Logging, Replicas: cfg.Kibana.Replicas,
		ElasticsearchURL: cluster.URL, CASecret: cluster.CASecret, CredentialsSecret: cluster.CredentialsSecret,
		PasswordKey: elasticsearch.SecretKeyKibanaSystem,
	}
	if cfg.Kibana.Replicas > 1 {
		args.EncryptionKey = secretOrPlaceholder(sec, "kibanaEncryptionKey", sec.KibanaEncryptionKey)
	}
	if cfg.Kibana.IngressHost != "" {
		args.Ingress = &kibana.Ingress{Host: cfg.Kibana.IngressHost, ClassName: cfg.Kibana.IngressClass}
	}
	kb, err := kibana.New(ctx, "kibana", args, opts...)
	if err != nil {
		return err
	}
	ctx.Export("kibanaUrl", kb.URL)
	return nil
}

// buildLogCollectors are the two writers: Fluentd on every node and
// Logstash for sources outside the cluster, both writing with the log
// writer user to the application and audit data streams.
func buildLogCollectors(ctx *pulumi.Context, cfg *stacks.Config, cluster *elasticsearch.Elasticsearch, opts []pulumi.ResourceOption) error {
	ns := cfg.Namespaces.Logging
	// The collectors' configuration is rendered before they register, so
	// they take the host as a plain string: the same one the Elasticsearch
	// component serves (elasticsearch.Host).
	host := elasticsearch.Host(elasticsearchName, ns)
	if _, err := fluentd.New(ctx, "fluentd", fluentd.Args{
		Namespace: ns,
		Elasticsearch: fluentd.Elasticsearch{
			Host: host, CASecretName: cluster.CASecret, CredentialsSecretName: cluster.LogWriterSecret,
		},
		AppDataStream:   conventions.ApplicationDataStream,
		AuditDataStream: conventions.AuditDataStream,
		AppRetention:    fluentd.Retention{IndexTemplate: conventions.ApplicationTemplate, ILMPolicy: conventions.ApplicationILMPolicy},
		AuditRetention:  fluentd.Retention{IndexTemplate: conventions.AuditTemplate, ILMPolicy: conventions.AuditILMPolicy},
	}, opts...); err != nil {
		return err
	}
	ls, err := logstash.New(ctx, "logstash", logstash.Args{
		Namespace: ns, Replicas: cfg.Logstash.Replicas,
		Elasticsearch: logstash.Elasticsearch{
			Host: host, CASecretName: cluster.CASecret, CredentialsSecretName: cluster.LogWriterSecret,
		},
		AppDataStream:   conventions.ApplicationDataStream,
		AuditDataStream: conventions.AuditDataStream,
	}, opts...)
	if err != nil {
		return err
	}
	ctx.Export("logstashBeatsEndpoint", ls.BeatsEndpoint)
	return nil
}

// snapshotRepository is where the audit-log snapshots go: an S3 bucket with
// AWS, a volume offline.
func snapshotRepository(ctx *pulumi.Context, cfg *stacks.Config, p *providers) (elasticsearch.Snapshots, error) {
	if !cfg.AWS.Enabled {
		return elasticsearch.Snapshots{
			Type:       elasticsearch.SnapshotsFilesystem,
			Filesystem: elasticsearch.FilesystemSnapshots{Size: cfg.Elasticsearch.SnapshotVolumeSize},
		}, nil
	}
	// No expiry on current objects: S3 deleting files inside an
	// Elasticsearch repository corrupts it; SLM expires snapshots.
	b, err := bucket.New(ctx, "log-snapshots-bucket", bucket.Args{
		Data:          cfg.DataProtection.Policy(),
		BucketPrefix:  "klearkarma-" + cfg.Environment + "-log-snapshots",
		Purpose:       "elasticsearch-audit-snapshots",
		AccessRoleArn: cfg.AWS.ObjectStorageRoleArn,
	}, p.aws)
	if err != nil {
		return elasticsearch.Snapshots{}, err
	}
	ctx.Export("logSnapshotsBucket", b.Name)
	return elasticsearch.Snapshots{Type: elasticsearch.SnapshotsS3, S3: elasticsearch.S3Snapshots{
		Bucket: b.Name, Region: cfg.AWS.Region, BasePath: "audit", RoleArn: cfg.AWS.ObjectStorageRoleArn,
	}}, nil
}
