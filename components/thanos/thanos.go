// Package thanos owns long-term metrics: the object-storage configuration
// the Prometheus sidecars upload with, the Store Gateway that serves old
// blocks, the Query layer Grafana reads from, and the single Compactor that
// downsamples and enforces per-resolution retention. It does not own
// Prometheus (whose pods carry the sidecar) nor the bucket itself.
package thanos

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Thanos"

// Ports every Thanos pod listens on, and the Query Service's
// Prometheus-compatible port.
const (
	GRPCPort  = 10901
	HTTPPort  = 10902
	QueryPort = 9090
)

// Thanos is the component.
type Thanos struct {
	pulumi.ResourceState

	// QueryURL is the Prometheus-compatible endpoint Grafana queries.
	QueryURL pulumi.StringOutput `pulumi:"queryUrl"`
	// ObjstoreSecret holds ObjstoreKey for the sidecars.
	ObjstoreSecret pulumi.StringOutput `pulumi:"objstoreSecret"`
	// BucketClaim is the filesystem bucket's claim ("" with S3).
	BucketClaim pulumi.StringOutput `pulumi:"bucketClaim"`
	// ServiceAccount is shared with the Prometheus pods (same bucket access).
	ServiceAccount pulumi.StringOutput `pulumi:"serviceAccount"`
}

// build is one New call: what every child needs.
type build struct {
	ctx    *pulumi.Context
	name   string
	args   Args
	parent pulumi.ResourceOption
	// version is every object's app.kubernetes.io/version.
	version string
}

// set is the labels of one part of the component ("" for what they share).
func (b *build) set(component string) labels.Set {
	return labels.Set{Name: "thanos", Instance: b.name, Component: component, Version: b.version}
}

// meta is the metadata of a namespaced object of the component.
func (b *build) meta(objName string, set labels.Set) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: pulumi.String(b.args.Namespace), Labels: set.Labels()}
}

// New creates the Thanos components.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Thanos, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("thanos %q: %w", name, err)
	}
	c := &Thanos{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &build{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), version: conventions.VersionFromImage(args.Image)}
	sa, err := corev1.NewServiceAccount(ctx, conventions.Child(name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: pulumi.String(args.Namespace), Labels: b.set("").Labels(),
			Annotations: pulumi.ToStringMap(args.ServiceAccountAnnotations)},
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	store, err := b.objstore()
	if err != nil {
		return nil, err
	}
	p := &pods{build: b, serviceAccount: sa.Metadata.Name().Elem(), bucket: store}
	if err := p.storeGateway(); err != nil {
		return nil, err
	}
	querySvc, err := p.query()
	if err != nil {
		return nil, err
	}
	if err := p.compactor(); err != nil {
		return nil, err
	}
	c.QueryURL = conventions.ServiceURLOutput("http", querySvc, args.Namespace, QueryPort)
	c.ObjstoreSecret = store.secret
	c.BucketClaim = store.claim
	c.ServiceAccount = sa.Metadata.Name().Elem()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"queryUrl": c.QueryURL, "objstoreSecret": c.ObjstoreSecret, "bucketClaim": c.BucketClaim, "serviceAccount": c.ServiceAccount,
	})
}
