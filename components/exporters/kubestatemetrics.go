package exporters

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// kube-state-metrics' ports: the object metrics and its own telemetry.
const (
	kubeStateMetricsPort   = 8080
	kubeStateTelemetryPort = 8081
)

// kubeStateMetrics creates kube-state-metrics with read-only access to the
// objects it reports on; it returns its Service's name.
func kubeStateMetrics(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	set := labels.Set{Name: KubeStateMetricsName, Instance: name, Component: "exporter", Version: conventions.VersionFromImage(KubeStateMetricsImage)}
	meta := &metav1.ObjectMetaArgs{Name: pulumi.String(KubeStateMetricsName), Namespace: pulumi.String(args.Namespace), Labels: set.Labels()}
	sa, err := kubeStateMetricsRBAC(ctx, name, args, set, meta, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, KubeStateMetricsName), &appsv1.DeploymentArgs{
		Metadata: meta,
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels()},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName: sa,
					SecurityContext:    workload.PodSecurity(65534),
					Containers:         corev1.ContainerArray{kubeStateMetricsContainer()},
				},
			},
		},
	}, parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	svc, err := corev1.NewService(ctx, conventions.Child(name, KubeStateMetricsName, "service"), &corev1.ServiceArgs{
		Metadata: meta,
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http-metrics"), Port: pulumi.Int(kubeStateMetricsPort), TargetPort: pulumi.String("http-metrics")},
		}},
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return svc.Metadata.Name().Elem(), nil
}

// kubeStateMetricsRBAC lets kube-state-metrics list and watch what it
// reports on, nothing more; it returns the service account's name.
func kubeStateMetricsRBAC(ctx *pulumi.Context, name string, args Args, set labels.Set, meta *metav1.ObjectMetaArgs, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	sa, err := corev1.NewServiceAccount(ctx, conventions.Child(name, KubeStateMetricsName, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: meta,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// Cluster-scoped names carry the namespace: two installs must not collide.
	clusterMeta := &metav1.ObjectMetaArgs{Name: pulumi.String(conventions.Child(args.Namespace, KubeStateMetricsName)), Labels: set.Labels()}
	list := pulumi.ToStringArray([]string{"list", "watch"})
	rule := func(group string, resources ...string) rbacv1.PolicyRuleInput {
		return &rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{group}), Resources: pulumi.ToStringArray(resources), Verbs: list}
	}
	role, err := rbacv1.NewClusterRole(ctx, conventions.Child(name, KubeStateMetricsName, "clusterrole"), &rbacv1.ClusterRoleArgs{
		Metadata: clusterMeta,
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
		return pulumi.StringOutput{}, err
	}
	if _, err := rbacv1.NewClusterRoleBinding(ctx, conventions.Child(name, KubeStateMetricsName, "clusterrolebinding"), &rbacv1.ClusterRoleBindingArgs{
		Metadata: clusterMeta,
		RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("ClusterRole"), Name: role.Metadata.Name().Elem()},
		Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: pulumi.String(args.Namespace)}},
	}, parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	return sa.Metadata.Name().Elem(), nil
}

func kubeStateMetricsContainer() *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String(KubeStateMetricsName),
		Image: pulumi.String(KubeStateMetricsImage),
		Args:  pulumi.ToStringArray([]string{"--port=8080", "--telemetry-port=8081"}),
		Ports: corev1.ContainerPortArray{
			&corev1.ContainerPortArgs{Name: pulumi.String("http-metrics"), ContainerPort: pulumi.Int(kubeStateMetricsPort)},
			&corev1.ContainerPortArgs{Name: pulumi.String("telemetry"), ContainerPort: pulumi.Int(kubeStateTelemetryPort)},
		},
		Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "128Mi", LimitsCPU: "500m", LimitsMemory: "512Mi"}.Args(),
		SecurityContext: workload.RestrictedContainer(),
		LivenessProbe:   workload.HTTPProbe("/livez", kubeStateMetricsPort, 5, 30),
		ReadinessProbe:  workload.HTTPProbe("/readyz", kubeStateTelemetryPort, 5, 10),
	}
}
