package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/jaeger"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/stacks"
)

// tracingPath is what the tracing path gives the others.
type tracingPath struct {
	// QueryURL is Jaeger Query's, which Grafana reads.
	QueryURL pulumi.StringOutput
}

// buildTracing creates Jaeger with Cassandra for the detailed and the
// sampled retention tiers, behind one collector endpoint for applications.
func buildTracing(ctx *pulumi.Context, cfg *stacks.Config, p *providers, plat *platform.Platform) (*tracingPath, error) {
	tracing, err := jaeger.New(ctx, "jaeger", jaeger.Args{
		Namespace:            cfg.Namespaces.Tracing,
		DetailedRetention:    cfg.Retention.Traces.Detailed.Std(),
		SampledRetention:     cfg.Retention.Traces.Sampled.Std(),
		SampledRatio:         cfg.Tracing.SampledRatio,
		CassandraReplicas:    cfg.Tracing.CassandraReplicas,
		CassandraStorageSize: cfg.Tracing.CassandraStorageSize,
		CollectorReplicas:    cfg.Tracing.CollectorReplicas,
	}, in(p, plat, purposeTraces)...)
	if err != nil {
		return nil, err
	}
	ctx.Export("otlpGrpcEndpoint", tracing.OTLPGRPCEndpoint)
	ctx.Export("otlpHttpEndpoint", tracing.OTLPHTTPEndpoint)
	ctx.Export("jaegerCollectorEndpoint", tracing.JaegerThriftEndpoint)
	ctx.Export("jaegerUrl", tracing.QueryURL)
	return &tracingPath{QueryURL: tracing.QueryURL}, nil
}
