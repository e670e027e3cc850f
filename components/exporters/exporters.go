// Package exporters owns the cluster-level metric exporters Prometheus
// scrapes: node-exporter on every node (host filesystems, CPU, memory,
// network) and kube-state-metrics (object states), with the RBAC
// kube-state-metrics needs. cAdvisor metrics come from the kubelet itself.
package exporters

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Exporters"

// Pinned images.
const (
	NodeExporterImage     = "quay.io/prometheus/node-exporter:v1.10.2"
	KubeStateMetricsImage = "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0"
)

// The exporters' Kubernetes object names and app.kubernetes.io/name
// values, which Prometheus' scrape jobs select. They do not carry the
// component's name: one instance per namespace.
const (
	NodeExporterName     = "node-exporter"
	KubeStateMetricsName = "kube-state-metrics"
)

// Args configure the exporters.
type Args struct {
	Namespace string
}

// Exporters is the component.
type Exporters struct {
	pulumi.ResourceState
	KubeStateMetricsURL pulumi.StringOutput `pulumi:"kubeStateMetricsUrl"`
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	check.DNSLabel(&ps, "namespace", a.Namespace, true)
	return ps.Err()
}

// New creates node-exporter and kube-state-metrics.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Exporters, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("exporters %q: %w", name, err)
	}
	c := &Exporters{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	if err := nodeExporter(ctx, name, args, parent); err != nil {
		return nil, err
	}
	svc, err := kubeStateMetrics(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}
	c.KubeStateMetricsURL = conventions.ServiceURLOutput("http", svc, args.Namespace, kubeStateMetricsPort)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"kubeStateMetricsUrl": c.KubeStateMetricsURL})
}
