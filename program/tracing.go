package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/grafana"
	"github.com/klearkarma/observability/components/jaeger"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/stacks"
)

// Grafana's trace datasources, one per retention tier.
const (
	tracesDatasourceUID        = "traces"
	sampledTracesDatasourceUID = "traces-sampled"
)

// tracingPath is what the tracing path gives the others.
type tracingPath struct {
	// QueryURL and SampledQueryURL are the two tiers' Jaeger query APIs,
	// which Grafana reads.
	QueryURL, SampledQueryURL pulumi.StringOutput
}

// buildTracing creates Jaeger v2 with Cassandra for the detailed and the
// sampled retention tiers, behind one collector endpoint for applications.
func buildTracing(ctx *pulumi.Context, cfg *stacks.Config, p *providers, plat *platform.Platform) (*tracingPath, error) {
	tracing, err := jaeger.New(ctx, "jaeger", jaeger.Args{
		Namespace:         cfg.Namespaces.Tracing,
		DetailedRetention: cfg.Retention.Traces.Detailed.Std(),
		SampledRetention:  cfg.Retention.Traces.Sampled.Std(),
		Sizing:            cfg.Tracing,
	}, in(p, plat, purposeTraces)...)
	if err != nil {
		return nil, err
	}
	ctx.Export("otlpGrpcEndpoint", tracing.OTLPGRPCEndpoint)
	ctx.Export("otlpHttpEndpoint", tracing.OTLPHTTPEndpoint)
	ctx.Export("jaegerCollectorEndpoint", tracing.JaegerThriftEndpoint)
	ctx.Export("jaegerUrl", tracing.QueryURL)
	ctx.Export("jaegerSampledUrl", tracing.SampledQueryURL)
	return &tracingPath{QueryURL: tracing.QueryURL, SampledQueryURL: tracing.SampledQueryURL}, nil
}

// tracesDatasources are the two tiers in Grafana, each linking a span to
// the application logs with its trace id and to its service's request
// metrics in Thanos.
func tracesDatasources(traces *tracingPath) []grafana.Datasource {
	return []grafana.Datasource{
		{UID: tracesDatasourceUID, Name: "Traces (all spans)", Type: grafana.TypeJaeger, URL: traces.QueryURL, JSONData: traceLinks()},
		{UID: sampledTracesDatasourceUID, Name: "Traces (sampled, long retention)", Type: grafana.TypeJaeger, URL: traces.SampledQueryURL, JSONData: traceLinks()},
	}
}

// Grafana's Jaeger datasource settings (jsonData), with Grafana's keys.
type (
	tracesToLogs struct {
		DatasourceUID      string `json:"datasourceUid"`
		SpanStartTimeShift string `json:"spanStartTimeShift"`
		SpanEndTimeShift   string `json:"spanEndTimeShift"`
		FilterByTraceID    bool   `json:"filterByTraceID"`
		CustomQuery        bool   `json:"customQuery"`
		Query              string `json:"query"`
	}
	tracesToMetrics struct {
		DatasourceUID      string        `json:"datasourceUid"`
		SpanStartTimeShift string        `json:"spanStartTimeShift"`
		SpanEndTimeShift   string        `json:"spanEndTimeShift"`
		Tags               []tagMapping  `json:"tags"`
		Queries            []metricQuery `json:"queries"`
	}
	tagMapping struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	metricQuery struct {
		Name  string `json:"name"`
		Query string `json:"query"`
	}
	toggle struct {
		Enabled bool `json:"enabled"`
	}
)

// traceLinks: the services log their trace id as traceId (the log
// mapping's keyword field); Prometheus labels a service's series with
// service (its pod's app.kubernetes.io/name), which spans carry as the
// service.name resource attribute. The metrics are the catalog's
// http_requests_total and http_request_duration_seconds.
func traceLinks() map[string]any {
	return map[string]any{
		"tracesToLogsV2": tracesToLogs{
			DatasourceUID: appLogsDatasourceUID, SpanStartTimeShift: "-5m", SpanEndTimeShift: "5m",
			FilterByTraceID: true, CustomQuery: true, Query: `traceId:"${__trace.traceId}"`,
		},
		"tracesToMetrics": tracesToMetrics{
			DatasourceUID: thanosDatasourceUID, SpanStartTimeShift: "-5m", SpanEndTimeShift: "5m",
			Tags: []tagMapping{{Key: "service.name", Value: "service"}},
			Queries: []metricQuery{
				{Name: "Request rate", Query: `sum(rate(http_requests_total{$__tags}[5m]))`},
				{Name: "Error rate", Query: `sum(rate(http_requests_total{$__tags,status_code=~"5.."}[5m]))`},
				{Name: "p95 latency", Query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$__tags}[5m])))`},
			},
		},
		"nodeGraph": toggle{Enabled: true},
	}
}
