package prometheus

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// rbac creates the service account and the read-only cluster access that
// Kubernetes service discovery needs; it returns the account's name.
func (b *build) rbac() (pulumi.StringOutput, error) {
	ns := pulumi.String(b.args.Namespace)
	sa, err := corev1.NewServiceAccount(b.ctx, conventions.Child(b.name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(b.name), Namespace: ns, Labels: b.set.Labels(),
			Annotations: pulumi.ToStringMap(b.args.ServiceAccountAnnotations)},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// Cluster-scoped names carry the namespace: two installs must not collide.
	clusterName := pulumi.String(conventions.Child(b.args.Namespace, b.name))
	read := pulumi.ToStringArray([]string{"get", "list", "watch"})
	role, err := rbacv1.NewClusterRole(b.ctx, conventions.Child(b.name, "clusterrole"), &rbacv1.ClusterRoleArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: clusterName, Labels: b.set.Labels()},
		Rules: rbacv1.PolicyRuleArray{
			&rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{""}),
				Resources: pulumi.ToStringArray([]string{"nodes", "nodes/metrics", "services", "endpoints", "pods"}), Verbs: read},
			&rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{"discovery.k8s.io"}),
				Resources: pulumi.ToStringArray([]string{"endpointslices"}), Verbs: read},
			&rbacv1.PolicyRuleArgs{NonResourceURLs: pulumi.ToStringArray([]string{"/metrics"}),
				Verbs: pulumi.ToStringArray([]string{"get"})},
		},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if _, err := rbacv1.NewClusterRoleBinding(b.ctx, conventions.Child(b.name, "clusterrolebinding"), &rbacv1.ClusterRoleBindingArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: clusterName, Labels: b.set.Labels()},
		RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("ClusterRole"), Name: role.Metadata.Name().Elem()},
		Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: ns}},
	}, b.parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	return sa.Metadata.Name().Elem(), nil
}
