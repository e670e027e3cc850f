package program

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/components/exporters"
	"github.com/klearkarma/observability/components/irsa"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/rules"
	"github.com/klearkarma/observability/stacks"
)

// Instance names of the metrics path that other paths refer to.
const (
	prometheusName   = "prometheus"
	thanosName       = "thanos"
	alertmanagerName = "alertmanager"
	probesName       = "probes"
)

// metricsPath is what the metrics path gives the others.
type metricsPath struct {
	// QueryURL is Thanos Query's, which Grafana reads.
	QueryURL pulumi.StringOutput
}

// buildMetrics creates the metrics path: exporters, Thanos on S3 (or a
// filesystem bucket offline) and Prometheus with its sidecar.
func buildMetrics(ctx *pulumi.Context, cfg *stacks.Config, p *providers, plat *platform.Platform) (*metricsPath, error) {
	ns := cfg.Namespaces.Monitoring
	opts := in(p, plat, purposeMetrics)
	if _, err := exporters.New(ctx, "exporters", exporters.Args{Namespace: ns}, opts...); err != nil {
		return nil, err
	}

	saAnnotations := map[string]string{}
	storage := thanos.Storage{FilesystemSize: cfg.Thanos.FilesystemBucketSize}
	if cfg.AWS.Enabled {
		b, roleArn, err := metricsBucket(ctx, cfg, p)
		if err != nil {
			return nil, err
		}
		storage = thanos.Storage{S3Bucket: b.Name, S3Region: cfg.AWS.Region}
		if roleArn != "" {
			saAnnotations[irsa.RoleArnAnnotation] = roleArn
		}
	}

	th, err := thanos.New(ctx, thanosName, thanos.Args{
		Data:                      cfg.DataProtection.Policy(),
		Namespace:                 ns,
		Storage:                   storage,
		Retention:                 cfg.Retention.Metrics.Thanos(),
		SidecarService:            prometheus.HeadlessServiceName(prometheusName),
		ServiceAccountAnnotations: saAnnotations,
		StoreReplicas:             cfg.Thanos.StoreReplicas,
		QueryReplicas:             cfg.Thanos.QueryReplicas,
		StoreStorageSize:          cfg.Thanos.StoreStorageSize,
		CompactorStorageSize:      cfg.Thanos.CompactorStorageSize,
	}, opts...)
	if err != nil {
		return nil, err
	}

	objstore := prometheus.Objstore{SecretName: th.ObjstoreSecret, SecretKey: thanos.ObjstoreKey}
	if !cfg.AWS.Enabled {
		objstore.BucketClaim, objstore.BucketPath = th.BucketClaim, thanos.FilesystemBucketPath
	}
	ruleFiles, err := ruleFiles(cfg)
	if err != nil {
		return nil, err
	}
	probes, probeExporter, err := buildProbes(ctx, cfg, opts)
	if err != nil {
		return nil, err
	}
	prom, err := prometheus.New(ctx, prometheusName, prometheus.Args{
		Namespace:      ns,
		Replicas:       cfg.Prometheus.Replicas,
		StorageSize:    cfg.Prometheus.StorageSize,
		LocalRetention: cfg.Prometheus.LocalRetention.String(),
		Scrape: prometheus.ScrapeSettings{
			Cluster:           cfg.Cluster,
			ScrapeInterval:    cfg.Prometheus.ScrapeInterval.Std(),
			Namespaces:        append([]string{cfg.Namespaces.Monitoring, cfg.Namespaces.Logging, cfg.Namespaces.Tracing}, cfg.Network.ApplicationNamespaces...),
			ExporterNamespace: ns,
			Alertmanagers:     alertmanager.Targets(alertmanagerName, ns, cfg.Alertmanager.Replicas),
			Probes:            probes,
			ProbeExporter:     probeExporter,
		},
		RuleFiles:                 ruleFiles,
		Objstore:                  objstore,
		ServiceAccountAnnotations: saAnnotations,
	}, opts...)
	if err != nil {
		return nil, err
	}
	ctx.Export("prometheusUrl", prom.URL)
	ctx.Export("thanosQueryUrl", th.QueryURL)
	return &metricsPath{QueryURL: th.QueryURL}, nil
}

// buildProbes creates the blackbox exporter beside Prometheus when the
// stack lists probe targets, and returns the probe job's targets and the
// exporter's address; without targets it creates nothing.
func buildProbes(ctx *pulumi.Context, cfg *stacks.Config, opts []pulumi.ResourceOption) ([]blackbox.Probe, string, error) {
	if len(cfg.Probes.Targets) == 0 {
		return nil, "", nil
	}
	ns := cfg.Namespaces.Monitoring
	bb, err := blackbox.New(ctx, probesName, blackbox.Args{Namespace: ns, Replicas: cfg.Probes.Replicas}, opts...)
	if err != nil {
		return nil, "", err
	}
	ctx.Export("blackboxExporterUrl", bb.URL)
	return blackbox.Probes(cfg.Probes.Targets), blackbox.Address(ns), nil
}

// ruleFiles are the generated Prometheus rule files.
func ruleFiles(cfg *stacks.Config) (map[string]string, error) {
	groups, err := rules.Groups(rules.Options{RunbookBaseURL: cfg.Prometheus.RunbookBaseURL, LocalRetention: cfg.Prometheus.LocalRetention.Std()})
	if err != nil {
		return nil, fmt.Errorf("prometheus rules: %w", err)
	}
	text, err := rules.YAML(groups)
	if err != nil {
		return nil, fmt.Errorf("prometheus rules: %w", err)
	}
	return map[string]string{"klearkarma.yaml": text}, nil
}
