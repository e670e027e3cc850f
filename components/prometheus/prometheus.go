// Package prometheus owns the Prometheus servers: their StatefulSet with the
// Thanos sidecar that uploads blocks, least-privilege RBAC for Kubernetes
// service discovery, the generated prometheus.yml and the rule files (each
// checksummed onto the pod template), and their Services. Exporters, Thanos'
// other parts and Alertmanager are separate components.
package prometheus

import (
	"fmt"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Prometheus"

// Ports of the pod.
const (
	WebPort         = 9090
	SidecarGRPCPort = 10901
	SidecarHTTPPort = 10902
)

// Prometheus is the component.
type Prometheus struct {
	pulumi.ResourceState

	URL pulumi.StringOutput `pulumi:"url"`
	// SidecarService is the headless Service whose grpc port Thanos Query finds.
	SidecarService pulumi.StringOutput `pulumi:"sidecarService"`
}

// HeadlessServiceName is the name of the headless Service of a component
// instance, known before it exists so Thanos can be wired first.
func HeadlessServiceName(name string) string { return conventions.Child(name, "headless") }

// build is one New call: what every child needs.
type build struct {
	ctx    *pulumi.Context
	name   string
	args   Args
	parent pulumi.ResourceOption
	set    labels.Set
}

// meta is the metadata of a namespaced object of the component.
func (b *build) meta(objName string) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: pulumi.String(b.args.Namespace), Labels: b.set.Labels()}
}

// New creates the Prometheus servers.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Prometheus, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("prometheus %q: %w", name, err)
	}
	promYAML, err := RenderConfig(args.Scrape)
	if err != nil {
		return nil, fmt.Errorf("prometheus %q: %w", name, err)
	}
	c := &Prometheus{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &build{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), set: labels.Set{
		Name: "prometheus", Instance: name, Component: "server", Version: conventions.VersionFromImage(args.Image),
	}}
	sa, err := b.rbac()
	if err != nil {
		return nil, err
	}
	files, err := b.configMaps(promYAML)
	if err != nil {
		return nil, err
	}
	headless, svc, err := b.services()
	if err != nil {
		return nil, err
	}
	if err := b.statefulSet(sa, files, headless); err != nil {
		return nil, err
	}
	if err := b.disruptionBudget(); err != nil {
		return nil, err
	}
	c.URL = conventions.ServiceURLOutput("http", svc, args.Namespace, WebPort)
	c.SidecarService = headless
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"url": c.URL, "sidecarService": c.SidecarService})
}
