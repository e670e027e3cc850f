// Package platform owns the observability namespaces and what fences them:
// labels, pod-security level, a default-deny NetworkPolicy with one allow
// per workload for exactly the connections the platform needs
// (connectivity.go), a ResourceQuota and a LimitRange. It creates nothing
// that runs inside the namespaces; it knows the workloads' pod labels only
// to select them.
package platform

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Platform"

// Namespace is one namespace the platform creates.
type Namespace struct {
	Name string
	// Purpose says what the namespace holds ("metrics", "logs", "traces");
	// it names the children, so it must be unique and stable.
	Purpose string
	// PodSecurity is the Pod Security Standard enforced ("restricted",
	// "baseline" or "privileged"); host-level agents need "privileged".
	PodSecurity string
}

// Quota is the ResourceQuota of each namespace.
type Quota struct {
	RequestsCPU            string `json:"requestsCpu" doc:"CPU all pods of one namespace may request; at most limitsCpu."`
	RequestsMemory         string `json:"requestsMemory" doc:"Memory all pods of one namespace may request; at most limitsMemory."`
	LimitsCPU              string `json:"limitsCpu" doc:"CPU limit of all pods of one namespace."`
	LimitsMemory           string `json:"limitsMemory" doc:"Memory limit of all pods of one namespace."`
	RequestsStorage        string `json:"requestsStorage" doc:"Storage all volume claims of one namespace may request."`
	Pods                   int    `json:"pods" doc:"Pods in one namespace; at least 1."`
	PersistentVolumeClaims int    `json:"persistentVolumeClaims" doc:"Volume claims in one namespace."`
}

// LimitRange is the container LimitRange of each namespace.
type LimitRange struct {
	DefaultRequestCPU    string `json:"defaultRequestCpu" doc:"CPU request of a container that sets none; at most defaultCpu."`
	DefaultRequestMemory string `json:"defaultRequestMemory" doc:"Memory request of a container that sets none; at most defaultMemory."`
	DefaultCPU           string `json:"defaultCpu" doc:"CPU limit of a container that sets none; at most maxCpu."`
	DefaultMemory        string `json:"defaultMemory" doc:"Memory limit of a container that sets none; at most maxMemory."`
	MaxCPU               string `json:"maxCpu" doc:"Largest CPU limit of one container."`
	MaxMemory            string `json:"maxMemory" doc:"Largest memory limit of one container."`
}

// Args configure the platform.
type Args struct {
	Environment string
	Namespaces  []Namespace
	// Network is who the platform's pods talk to outside the platform.
	Network Network
	// ObjectStorageOverHTTPS says the buckets are S3, reached on 443: the
	// Thanos sidecar, store and compactor and Elasticsearch's snapshots.
	// False when they are volumes (offline), which needs no network.
	ObjectStorageOverHTTPS bool
	Quota                  Quota
	LimitRange             LimitRange
	// Data says how the data-holding children survive a delete (protect,
	// retain on delete); the stack decides.
	Data workload.DataPolicy
	// Probes is the blackbox exporter's reach, when the stack probes
	// applications (components/blackbox).
	Probes Probes
}

// Probes is where the blackbox exporter in the metrics namespace connects:
// nowhere (and no policy) unless Enabled.
type Probes struct {
	Enabled bool
	// ExternalPorts are the TCP ports it probes hosts outside the cluster
	// on (blackbox.ExternalPorts); Services in the application namespaces
	// it reaches on any port, as Prometheus does, since a Service's port
	// need not be its pods'.
	ExternalPorts []int
}

// Platform is the component.
type Platform struct {
	pulumi.ResourceState

	// Namespaces maps each purpose to its namespace's name, known once the
	// namespace exists, so dependents wait for it.
	Namespaces pulumi.StringMapOutput `pulumi:"namespaces"`
	// NamespaceResources lets dependents depend on a namespace explicitly.
	NamespaceResources map[string]*corev1.Namespace
}

// New creates the namespaces and their fences.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Platform, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("platform %q: %w", name, err)
	}
	c := &Platform{NamespaceResources: map[string]*corev1.Namespace{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	names := pulumi.StringMap{}
	for _, ns := range args.Namespaces {
		created, err := newNamespace(ctx, name, ns, args, parent)
		if err != nil {
			return nil, fmt.Errorf("platform %q: namespace %q: %w", name, ns.Name, err)
		}
		c.NamespaceResources[ns.Purpose] = created
		names[ns.Purpose] = created.Metadata.Name().Elem()
	}
	c.Namespaces = names.ToStringMapOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"namespaces": c.Namespaces})
}

func newNamespace(ctx *pulumi.Context, name string, ns Namespace, args Args, parent pulumi.ResourceOption) (*corev1.Namespace, error) {
	role := func(r string) string { return conventions.Child(name, ns.Purpose, r) }
	lbl := labels.Set{Name: "observability-platform", Instance: name, Component: ns.Purpose}
	nsLabels := lbl.With(map[string]string{
		conventions.PlatformNamespaceLabel:   "true",
		conventions.PurposeLabel:             ns.Purpose,
		conventions.EnvironmentLabel:         args.Environment,
		"pod-security.kubernetes.io/enforce": ns.PodSecurity,
		"pod-security.kubernetes.io/warn":    "restricted",
		"pod-security.kubernetes.io/audit":   "restricted",
		"kubernetes.io/metadata.name":        ns.Name,
	})
	// A namespace holds the volumes of everything in it: deleting it deletes
	// every claim, so it carries the stack's data policy.
	namespace, err := corev1.NewNamespace(ctx, role("namespace"), &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(ns.Name), Labels: nsLabels},
	}, append([]pulumi.ResourceOption{parent}, args.Data.Options()...)...)
	if err != nil {
		return nil, err
	}
	inNs := []pulumi.ResourceOption{parent, pulumi.DependsOn([]pulumi.Resource{namespace})}
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: namespace.Metadata.Name(), Labels: lbl.Labels()}
	}

	q := args.Quota
	if _, err := corev1.NewResourceQuota(ctx, role("quota"), &corev1.ResourceQuotaArgs{
		Metadata: meta("observability-quota"),
		Spec: &corev1.ResourceQuotaSpecArgs{Hard: pulumi.StringMap{
			"requests.cpu":           pulumi.String(q.RequestsCPU),
			"requests.memory":        pulumi.String(q.RequestsMemory),
			"limits.cpu":             pulumi.String(q.LimitsCPU),
			"limits.memory":          pulumi.String(q.LimitsMemory),
			"requests.storage":       pulumi.String(q.RequestsStorage),
			"pods":                   pulumi.Sprintf("%d", q.Pods),
			"persistentvolumeclaims": pulumi.Sprintf("%d", q.PersistentVolumeClaims),
		}},
	}, inNs...); err != nil {
		return nil, err
	}

	l := args.LimitRange
	if _, err := corev1.NewLimitRange(ctx, role("limits"), &corev1.LimitRangeArgs{
		Metadata: meta("observability-limits"),
		Spec: &corev1.LimitRangeSpecArgs{Limits: corev1.LimitRangeItemArray{&corev1.LimitRangeItemArgs{
			Type:           pulumi.String("Container"),
			DefaultRequest: pulumi.StringMap{"cpu": pulumi.String(l.DefaultRequestCPU), "memory": pulumi.String(l.DefaultRequestMemory)},
			Default:        pulumi.StringMap{"cpu": pulumi.String(l.DefaultCPU), "memory": pulumi.String(l.DefaultMemory)},
			Max:            pulumi.StringMap{"cpu": pulumi.String(l.MaxCPU), "memory": pulumi.String(l.MaxMemory)},
		}}},
	}, inNs...); err != nil {
		return nil, err
	}

	for _, p := range networkPolicies(args, ns) {
		if _, err := networkingv1.NewNetworkPolicy(ctx, role(p.role), &networkingv1.NetworkPolicyArgs{
			Metadata: meta(p.objectName),
			Spec:     p.spec,
		}, inNs...); err != nil {
			return nil, err
		}
	}
	return namespace, nil
}
