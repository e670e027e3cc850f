package jaeger

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// Jaeger is the component.
type Jaeger struct {
	pulumi.ResourceState

	// OTLPGRPCEndpoint and OTLPHTTPEndpoint are where applications send spans.
	OTLPGRPCEndpoint pulumi.StringOutput `pulumi:"otlpGrpcEndpoint"`
	OTLPHTTPEndpoint pulumi.StringOutput `pulumi:"otlpHttpEndpoint"`
	// JaegerThriftEndpoint is the Jaeger exporter's collector URL (the seed app's).
	JaegerThriftEndpoint pulumi.StringOutput `pulumi:"jaegerThriftEndpoint"`
	// QueryURL is the Jaeger UI and API over every span (the detailed tier).
	QueryURL pulumi.StringOutput `pulumi:"queryUrl"`
	// SampledQueryURL is the Jaeger UI and API over the sampled tier.
	SampledQueryURL pulumi.StringOutput `pulumi:"sampledQueryUrl"`
}

// New creates tracing: the Cassandra ring, per tier a schema Job and a
// Jaeger, then the collector in front of both.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Jaeger, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("jaeger %q: %w", name, err)
	}
	c := &Jaeger{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}
	r, err := b.newCassandra()
	if err != nil {
		return nil, err
	}
	services := map[string]*tierService{}
	hosts := map[string]string{}
	for _, t := range args.tiers() {
		job, err := b.newSchemaJob(t, r)
		if err != nil {
			return nil, err
		}
		if services[t.role], err = b.newTier(t, r, job); err != nil {
			return nil, err
		}
		hosts[t.role] = services[t.role].host
	}
	collector, err := b.newCollector(hosts)
	if err != nil {
		return nil, err
	}
	c.OTLPGRPCEndpoint = conventions.ServiceURLOutput("http", collector, args.Namespace, OTLPGRPCPort)
	c.OTLPHTTPEndpoint = conventions.ServiceURLOutput("http", collector, args.Namespace, OTLPHTTPPort)
	c.JaegerThriftEndpoint = pulumi.Sprintf("%s/api/traces", conventions.ServiceURLOutput("http", collector, args.Namespace, JaegerThriftPort))
	c.QueryURL = services[roleDetailed].queryURL
	c.SampledQueryURL = services[roleSampled].queryURL
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"otlpGrpcEndpoint": c.OTLPGRPCEndpoint, "otlpHttpEndpoint": c.OTLPHTTPEndpoint,
		"jaegerThriftEndpoint": c.JaegerThriftEndpoint, "queryUrl": c.QueryURL, "sampledQueryUrl": c.SampledQueryURL,
	})
}
