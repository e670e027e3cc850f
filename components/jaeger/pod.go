package jaeger

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
)

// User and group ids. The Jaeger and collector images run as 10001.
// Cassandra's image creates its user as 999 but makes every directory it
// writes world-writable (1777), so it runs as any user: 10999 keeps it
// above 10000 like the others. fsGroup makes the data volume of a node
// the v1 deployment ran (as 999) group-writable on the first mount.
const (
	jaegerUID    = 10001
	cassandraUID = 10999
)

// builder carries what every child needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   Args
	parent pulumi.ResourceOption
}

func (b builder) meta(objName string, set labels.Set) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: pulumi.String(b.args.Namespace), Labels: set.Labels()}
}

// host is a Service's in-cluster name.
func (b builder) host(service string) string {
	return conventions.ServiceHost(service, b.args.Namespace)
}

// pdb lets one pod of a workload with more than one replica go at a time.
func (b builder) pdb(child, objName string, set labels.Set, replicas int, after pulumi.Resource) error {
	if replicas <= 1 {
		return nil
	}
	_, err := policyv1.NewPodDisruptionBudget(b.ctx, child, &policyv1.PodDisruptionBudgetArgs{
		Metadata: b.meta(objName, set),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
		},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{after}))
	return err
}

func port(name string, p int) *corev1.ContainerPortArgs {
	return &corev1.ContainerPortArgs{Name: pulumi.String(name), ContainerPort: pulumi.Int(p)}
}

func svcPort(name string, p int) *corev1.ServicePortArgs {
	return &corev1.ServicePortArgs{Name: pulumi.String(name), Port: pulumi.Int(p), TargetPort: pulumi.String(name)}
}

// tcpProbe checks that a port accepts connections.
func tcpProbe(port, initialDelay, period int) *corev1.ProbeArgs {
	return &corev1.ProbeArgs{
		TcpSocket:           &corev1.TCPSocketActionArgs{Port: pulumi.Int(port)},
		InitialDelaySeconds: pulumi.Int(initialDelay),
		PeriodSeconds:       pulumi.Int(period),
		TimeoutSeconds:      pulumi.Int(5),
		FailureThreshold:    pulumi.Int(6),
	}
}

// annotations merges annotation maps into pod-template annotations.
func annotations(maps ...map[string]string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = pulumi.String(v)
		}
	}
	return out
}
