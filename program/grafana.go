package program

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/components/grafana"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/dashboards"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/stacks"
)

// Grafana's datasource uids: dashboards and links refer to them.
const (
	thanosDatasourceUID = "thanos"
	// One datasource per log data stream, so a panel cannot mix audit events
	// into application logs by accident.
	appLogsDatasourceUID   = "logs-app"
	auditLogsDatasourceUID = "logs-audit"
)

// buildGrafana runs Grafana in the metrics namespace with Thanos Query as
// its default datasource, the two log data streams in Elasticsearch (read
// with Grafana's read-only user over verified TLS), Jaeger, and the
// dashboards from dashboards/: through Grafana's API when the stack names
// its URL, from provisioning files otherwise.
func buildGrafana(ctx *pulumi.Context, cfg *stacks.Config, p *providers, plat *platform.Platform,
	metrics *metricsPath, logs *elasticsearch.Elasticsearch, traces *tracingPath,
) error {
	built, err := dashboards.All(dashboards.Options{DatasourceUID: thanosDatasourceUID})
	if err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	content := grafana.Content{
		Datasources: append([]grafana.Datasource{
			{UID: thanosDatasourceUID, Name: "Thanos", Type: grafana.TypePrometheus, URL: metrics.QueryURL, IsDefault: true,
				// Thanos Query then picks the resolution from the step
				// (step/5), so a panel over a range older than the raw
				// retention reads the 1h blocks instead of nothing.
				JSONData: map[string]any{"customQueryParameters": "max_source_resolution=auto"}},
			logsDatasource(logs, appLogsDatasourceUID, "Application logs", conventions.ApplicationIndexPattern),
			logsDatasource(logs, auditLogsDatasourceUID, "Audit logs", conventions.AuditIndexPattern),
		}, tracesDatasources(traces)...),
		Folders: grafanaFolders(),
	}
	for _, d := range built {
		content.Dashboards = append(content.Dashboards, grafana.Dashboard{UID: d.UID, Title: d.Title, FolderUID: d.Folder, JSON: d.JSON})
	}
	api := cfg.Grafana.URL != ""
	args := grafana.Args{
		Data:          cfg.DataProtection.Policy(),
		Namespace:     cfg.Namespaces.Monitoring,
		Replicas:      1,
		AdminUser:     cfg.Grafana.AdminUser,
		AdminPassword: secretOrPlaceholder(cfg.Secrets, "grafanaAdminPassword", cfg.Secrets.GrafanaAdminPassword),
		Content:       content,
		ManagedByAPI:  api,
		Ingress:       cfg.Grafana.Ingress(),
	}
	g, err := grafana.New(ctx, "grafana", args, in(p, plat, purposeMetrics)...)
	if err != nil {
		return err
	}
	ctx.Export("grafanaUrl", g.URL)
	if !api {
		return nil
	}
	provider, err := newGrafanaProvider(ctx, cfg, g.Serving)
	if err != nil {
		return err
	}
	_, err = grafana.NewContent(ctx, "grafana", content, provider)
	return err
}

// grafanaFolders are one folder per team, where the dashboards live.
func grafanaFolders() []grafana.Folder {
	folders := make([]grafana.Folder, 0, len(conventions.Teams))
	for _, t := range conventions.Teams {
		folders = append(folders, grafana.Folder{UID: string(t), Title: t.Title()})
	}
	return folders
}

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
