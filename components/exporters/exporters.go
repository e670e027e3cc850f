// Package exporters owns the cluster-level metric exporters Prometheus
// scrapes: node-exporter on every node (host filesystems, CPU, memory,
// network) and kube-state-metrics (object states), with the RBAC
// kube-state-metrics needs. cAdvisor metrics come from the kubelet itself.
package exporters

import (
	"errors"
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Exporters"

// Pinned images.
const (
	NodeExporterImage     = "quay.io/prometheus/node-exporter:v1.10.2"
	KubeStateMetricsImage = "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0"
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
	if a.Namespace == "" {
		return errors.New("a namespace is required")
	}
	return nil
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
	ns := pulumi.String(args.Namespace)

	// node-exporter: the host's view, read-only. It needs the host network
	// and PID namespace, which is why the metrics namespace is "privileged".
	node := labels.Set{Name: "node-exporter", Instance: name, Component: "exporter"}
	hostPath := func(vol, path string) *corev1.VolumeArgs {
		return &corev1.VolumeArgs{Name: pulumi.String(vol), HostPath: &corev1.HostPathVolumeSourceArgs{Path: pulumi.String(path)}}
	}
	if _, err := appsv1.NewDaemonSet(ctx, conventions.Child(name, "node-exporter"), &appsv1.DaemonSetArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("node-exporter"), Namespace: ns, Labels: node.Labels()},
		Spec: &appsv1.DaemonSetSpecArgs{
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: node.Selector()},
			UpdateStrategy: &appsv1.DaemonSetUpdateStrategyArgs{Type: pulumi.String("RollingUpdate")},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: node.Labels()},
				Spec: &corev1.PodSpecArgs{
					HostNetwork: pulumi.Bool(true), HostPID: pulumi.Bool(true),
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(65534),
					Tolerations:                  corev1.TolerationArray{&corev1.TolerationArgs{Operator: pulumi.String("Exists")}},
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name:  pulumi.String("node-exporter"),
						Image: pulumi.String(NodeExporterImage),
						Args: pulumi.ToStringArray([]string{
							"--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/host/root",
							"--web.listen-address=0.0.0.0:9100",
							"--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)",
						}),
						Ports:           corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("http-metrics"), ContainerPort: pulumi.Int(9100)}},
						Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "64Mi", LimitsCPU: "250m", LimitsMemory: "180Mi"}.Args(),
						SecurityContext: workload.RestrictedContainer(),
						LivenessProbe:   workload.HTTPProbe("/", 9100, 10, 30),
						ReadinessProbe:  workload.HTTPProbe("/", 9100, 5, 10),
						VolumeMounts: corev1.VolumeMountArray{
							workload.Mount("proc", "/host/proc", true), workload.Mount("sys", "/host/sys", true),
							&corev1.VolumeMountArgs{Name: pulumi.String("root"), MountPath: pulumi.String("/host/root"), ReadOnly: pulumi.Bool(true), MountPropagation: pulumi.String("HostToContainer")},
						},
					}},
					Volumes: corev1.VolumeArray{hostPath("proc", "/proc"), hostPath("sys", "/sys"), hostPath("root", "/")},
				},
			},
		},
	}, parent); err != nil {
		return nil, err
	}

	// kube-state-metrics: read-only access to the objects it reports on.
	ksm := labels.Set{Name: "kube-state-metrics", Instance: name, Component: "exporter"}
	sa, err := corev1.NewServiceAccount(ctx, conventions.Child(name, "kube-state-metrics-serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("kube-state-metrics"), Namespace: ns, Labels: ksm.Labels()},
	}, parent)
	if err != nil {
		return nil, err
	}
	clusterName := args.Namespace + "-kube-state-metrics"
	list := pulumi.ToStringArray([]string{"list", "watch"})
	rule := func(group string, resources ...string) rbacv1.PolicyRuleInput {
		return &rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{group}), Resources: pulumi.ToStringArray(resources), Verbs: list}
	}
	role, err := rbacv1.NewClusterRole(ctx, conventions.Child(name, "kube-state-metrics-clusterrole"), &rbacv1.ClusterRoleArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(clusterName), Labels: ksm.Labels()},
		Rules: rbacv1.PolicyRuleArray{
			rule("", "configmaps", "secrets", "nodes", "pods", "services", "serviceaccounts", "resourcequotas", "replicationcontrollers", "limitranges", "persistentvolumeclaims", "persistentvolumes", "namespaces", "endpoints"),
			rule("apps", "statefulsets", "daemonsets", "deployments", "replicasets"),
			rule("batch", "cronjobs", "jobs"),
			rule("autoscaling", "horizontalpodautoscalers"),
			rule("policy", "poddisruptionbudgets"),
			rule("networking.k8s.io", "networkpolicies", "ingresses"),
			rule("storage.k8s.io", "storageclasses", "volumeattachments"),
			rule("discovery.k8s.io", "endpointslices"),
			rule("coordination.k8s.io", "leases"),
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := rbacv1.NewClusterRoleBinding(ctx, conventions.Child(name, "kube-state-metrics-clusterrolebinding"), &rbacv1.ClusterRoleBindingArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(clusterName), Labels: ksm.Labels()},
		RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("ClusterRole"), Name: role.Metadata.Name().Elem()},
		Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: ns}},
	}, parent); err != nil {
		return nil, err
	}
	if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, "kube-state-metrics"), &appsv1.DeploymentArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("kube-state-metrics"), Namespace: ns, Labels: ksm.Labels()},
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: ksm.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: ksm.Labels()},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName: sa.Metadata.Name().Elem(),
					SecurityContext:    workload.PodSecurity(65534),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name:  pulumi.String("kube-state-metrics"),
						Image: pulumi.String(KubeStateMetricsImage),
						Args:  pulumi.ToStringArray([]string{"--port=8080", "--telemetry-port=8081"}),
						Ports: corev1.ContainerPortArray{
							&corev1.ContainerPortArgs{Name: pulumi.String("http-metrics"), ContainerPort: pulumi.Int(8080)},
							&corev1.ContainerPortArgs{Name: pulumi.String("telemetry"), ContainerPort: pulumi.Int(8081)},
						},
						Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "128Mi", LimitsCPU: "500m", LimitsMemory: "512Mi"}.Args(),
						SecurityContext: workload.RestrictedContainer(),
						LivenessProbe:   workload.HTTPProbe("/livez", 8080, 5, 30),
						ReadinessProbe:  workload.HTTPProbe("/readyz", 8081, 5, 10),
					}},
				},
			},
		},
	}, parent); err != nil {
		return nil, err
	}
	svc, err := corev1.NewService(ctx, conventions.Child(name, "kube-state-metrics-service"), &corev1.ServiceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("kube-state-metrics"), Namespace: ns, Labels: ksm.Labels()},
		Spec: &corev1.ServiceSpecArgs{Selector: ksm.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http-metrics"), Port: pulumi.Int(8080), TargetPort: pulumi.String("http-metrics")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}
	c.KubeStateMetricsURL = pulumi.Sprintf("http://%s.%s.svc.cluster.local:8080", svc.Metadata.Name().Elem(), args.Namespace)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"kubeStateMetricsUrl": c.KubeStateMetricsURL})
}
