package elasticsearch

import (
	"encoding/json"

	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// caJob creates the CA Job with its script and the least privilege it
// needs: create Secrets, and read or replace only its own.
func (o objects) caJob() (*batchv1.Job, error) {
	args, lbl := o.args, o.labels("ca-bootstrap")
	objName := o.role("ca-bootstrap")
	labelsJSON, err := json.Marshal(lbl.Map())
	if err != nil {
		return nil, err
	}
	namespaces := append([]string{args.Namespace}, args.TrustNamespaces...)
	script := map[string]string{bootstrapCAFile: renderBootstrapCA(o.name, args.Namespace, caKeypairSecretName(o.name), CASecretName(o.name), namespaces, string(labelsJSON))}
	cm, err := corev1.NewConfigMap(o.ctx, o.role("ca-bootstrap"), &corev1.ConfigMapArgs{
		Metadata: o.meta(objName, lbl), Data: pulumi.ToStringMap(script),
	}, o.parent)
	if err != nil {
		return nil, err
	}
	sa, err := corev1.NewServiceAccount(o.ctx, o.role("ca-bootstrap"), &corev1.ServiceAccountArgs{Metadata: o.meta(objName, lbl)}, o.parent)
	if err != nil {
		return nil, err
	}
	bindings, err := o.caAccess(lbl, namespaces, sa.Metadata.Name().Elem())
	if err != nil {
		return nil, err
	}
	return batchv1.NewJob(o.ctx, o.role("ca-bootstrap"), &batchv1.JobArgs{
		Metadata: o.meta(caJobName(o.name, script, args.Image), lbl),
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:          pulumi.Int(4),
			ActiveDeadlineSeconds: pulumi.Int(900),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: lbl.Labels()},
				Spec:     caPodSpec(o.name, args.Image, sa.Metadata.Name().Elem(), cm.Metadata.Name().Elem()),
			},
		},
	}, o.parent, pulumi.DependsOn(bindings))
}

// caAccess gives the CA Job's service account, in every namespace it
// publishes to, the right to create Secrets and to read or replace the CA
// certificate's; in its own namespace also to read the CA key's. Create
// cannot be limited to a name; everything else is.
func (o objects) caAccess(lbl labels.Set, namespaces []string, serviceAccount pulumi.StringOutput) ([]pulumi.Resource, error) {
	objName := o.role("ca-bootstrap")
	rule := func(resource string, verbs []string, names ...string) *rbacv1.PolicyRuleArgs {
		r := &rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{""}), Resources: pulumi.ToStringArray([]string{resource}), Verbs: pulumi.ToStringArray(verbs)}
		if len(names) > 0 {
			r.ResourceNames = pulumi.ToStringArray(names)
		}
		return r
	}
	var bindings []pulumi.Resource
	for i, target := range namespaces {
		rules := rbacv1.PolicyRuleArray{
			rule("secrets", []string{"create"}),
			rule("secrets", []string{"get", "update"}, CASecretName(o.name)),
		}
		// The Pulumi names of the other namespaces' Role and binding carry
		// the namespace.
		roleName, bindingName := o.role("ca-bootstrap-role", target), o.role("ca-bootstrap-rolebinding", target)
		if i == 0 {
			rules = append(rules, rule("secrets", []string{"get"}, caKeypairSecretName(o.name)))
			roleName, bindingName = o.role("ca-bootstrap-role"), o.role("ca-bootstrap-rolebinding")
		}
		r, err := rbacv1.NewRole(o.ctx, roleName, &rbacv1.RoleArgs{Metadata: o.metaIn(objName, target, lbl), Rules: rules}, o.parent)
		if err != nil {
			return nil, err
		}
		b, err := rbacv1.NewRoleBinding(o.ctx, bindingName, &rbacv1.RoleBindingArgs{
			Metadata: o.metaIn(objName, target, lbl),
			RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("Role"), Name: r.Metadata.Name().Elem()},
			Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: serviceAccount, Namespace: pulumi.String(o.args.Namespace)}},
		}, o.parent)
		if err != nil {
			return nil, err
		}
		bindings = append(bindings, b)
	}
	return bindings, nil
}

// caPodSpec runs the CA script once; the CA key's Secret is optional, as
// it is absent on the first run and kept on every later one.
func caPodSpec(name, image string, serviceAccount, script pulumi.StringOutput) *corev1.PodSpecArgs {
	return &corev1.PodSpecArgs{
		ServiceAccountName: serviceAccount,
		RestartPolicy:      pulumi.String("Never"),
		SecurityContext:    workload.PodSecurity(uid),
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:    pulumi.String("bootstrap-ca"),
			Image:   pulumi.String(image),
			Command: pulumi.ToStringArray([]string{"bash", "/mnt/elasticsearch/bootstrap/" + bootstrapCAFile}),
			VolumeMounts: corev1.VolumeMountArray{
				workload.Mount("script", "/mnt/elasticsearch/bootstrap", true),
				workload.Mount("ca", caMountPath, true),
				workload.Mount("tmp", "/tmp", false),
			},
			SecurityContext: workload.RestrictedContainer(),
			Resources:       workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "512Mi"}.Args(),
		}},
		Volumes: corev1.VolumeArray{
			workload.ConfigMapVolume("script", script),
			&corev1.VolumeArgs{Name: pulumi.String("ca"), Secret: &corev1.SecretVolumeSourceArgs{
				SecretName: pulumi.String(caKeypairSecretName(name)), Optional: pulumi.Bool(true), DefaultMode: pulumi.Int(0o440),
			}},
			memoryDir("tmp"),
		},
	}
}
