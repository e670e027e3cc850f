package fluentd

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/workload"
)

// access creates the service account and what kubernetes_metadata needs
// with it: read pods and their namespaces, nothing else. It returns the
// service account's name.
func (o objects) access() (pulumi.StringOutput, error) {
	sa, err := corev1.NewServiceAccount(o.ctx, o.role("serviceaccount"), &corev1.ServiceAccountArgs{Metadata: o.meta(o.name)}, o.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// Cluster-scoped objects carry the namespace: two instances of one
	// name in two namespaces must not collide.
	clusterName := pulumi.String(conventions.Child(o.args.Namespace, o.name))
	clusterRole, err := rbacv1.NewClusterRole(o.ctx, o.role("clusterrole"), &rbacv1.ClusterRoleArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: clusterName, Labels: o.labels.Labels()},
		Rules: rbacv1.PolicyRuleArray{&rbacv1.PolicyRuleArgs{
			ApiGroups: pulumi.ToStringArray([]string{""}),
			Resources: pulumi.ToStringArray([]string{"pods", "namespaces"}),
			Verbs:     pulumi.ToStringArray([]string{"get", "list", "watch"}),
		}},
	}, o.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if _, err := rbacv1.NewClusterRoleBinding(o.ctx, o.role("clusterrolebinding"), &rbacv1.ClusterRoleBindingArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: clusterName, Labels: o.labels.Labels()},
		RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("ClusterRole"), Name: clusterRole.Metadata.Name().Elem()},
		Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: pulumi.String(o.args.Namespace)}},
	}, o.parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	return sa.Metadata.Name().Elem(), nil
}

// daemonSet runs the collector on every node, rolled when fluent.conf changes.
func (o objects) daemonSet(files map[string]string, serviceAccount, configMap, credentials pulumi.StringInput) (*appsv1.DaemonSet, error) {
	annotations := encoding.ChecksumAnnotation("config", files)
	for k, v := range workload.ScrapeAnnotations(MetricsPort, "/metrics") {
		annotations[k] = v
	}
	return appsv1.NewDaemonSet(o.ctx, o.role("daemonset"), &appsv1.DaemonSetArgs{
		Metadata: o.meta(o.name),
		Spec: &appsv1.DaemonSetSpecArgs{
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: o.labels.Selector()},
			UpdateStrategy: &appsv1.DaemonSetUpdateStrategyArgs{Type: pulumi.String("RollingUpdate")},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: o.labels.Labels(), Annotations: pulumi.ToStringMap(annotations)},
				Spec:     podSpec(o.name, o.args, serviceAccount, configMap, credentials),
			},
		},
	}, o.parent)
}

func podSpec(name string, args Args, serviceAccount, configMap, credentials pulumi.StringInput) *corev1.PodSpecArgs {
	es := args.Elasticsearch
	hostPath := func(vol, path, typ string) *corev1.VolumeArgs {
		return &corev1.VolumeArgs{Name: pulumi.String(vol), HostPath: &corev1.HostPathVolumeSourceArgs{Path: pulumi.String(path), Type: pulumi.String(typ)}}
	}
	mounts := corev1.VolumeMountArray{
		workload.Mount("config", ConfigDir, true),
		workload.Mount("varlog", "/var/log", true),
		workload.Mount("state", StateDir, false),
	}
	volumes := corev1.VolumeArray{
		workload.ConfigMapVolume("config", configMap),
		hostPath("varlog", "/var/log", "Directory"),
		// One directory per instance: two collectors must not share
		// positions or buffers.
		hostPath("state", StateDir+"/"+conventions.Child(args.Namespace, name), "DirectoryOrCreate"),
	}
	if es.Scheme == "https" {
		mounts = append(mounts, workload.Mount("elasticsearch-ca", CADir, true))
		volumes = append(volumes, workload.SecretVolume("elasticsearch-ca", es.CASecretName))
	}
	spec := &corev1.PodSpecArgs{
		ServiceAccountName: serviceAccount,
		SecurityContext: &corev1.PodSecurityContextArgs{
			// Container logs are readable by root only.
			RunAsUser:      pulumi.Int(0),
			RunAsGroup:     pulumi.Int(0),
			RunAsNonRoot:   pulumi.Bool(false),
			SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
		},
		// Every Linux node's logs, whatever its taints.
		NodeSelector: pulumi.StringMap{"kubernetes.io/os": pulumi.String("linux")},
		Tolerations:  corev1.TolerationArray{&corev1.TolerationArgs{Operator: pulumi.String("Exists")}},
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:  pulumi.String(ContainerName),
			Image: pulumi.String(args.Image),
			Env: corev1.EnvVarArray{
				// kubernetes_metadata watches only this node's pods.
				workload.FieldEnv("K8S_NODE_NAME", "spec.nodeName"),
				workload.Env("FLUENTD_CONF", ConfigFile),
				workload.SecretEnv(EnvUser, credentials, es.UsernameKey),
				workload.SecretEnv(EnvPassword, credentials, es.PasswordKey),
			},
			Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{
				Name: pulumi.String("metrics"), ContainerPort: pulumi.Int(MetricsPort), Protocol: pulumi.String("TCP"),
			}},
			Resources: args.Resources.Args(),
			// A slow output blocks /metrics for a while: readiness says so,
			// liveness restarts only a collector that stopped listening.
			LivenessProbe:  workload.TCPProbe(MetricsPort, 30, 30),
			ReadinessProbe: workload.HTTPProbe("/metrics", MetricsPort, 10, 10),
			SecurityContext: &corev1.SecurityContextArgs{
				AllowPrivilegeEscalation: pulumi.Bool(false),
				// The image's entrypoint starts Fluentd with --gemfile, and
				// Bundler may write under /fluentd; a read-only root is left
				// for when that is proven not to happen.
				ReadOnlyRootFilesystem: pulumi.Bool(false),
				RunAsNonRoot:           pulumi.Bool(false),
				// Root reads and writes root-owned files as their owner; it
				// needs no capability for that.
				Capabilities: &corev1.CapabilitiesArgs{Drop: pulumi.ToStringArray([]string{"ALL"})},
			},
			VolumeMounts: mounts,
		}},
		Volumes: volumes,
		// Buffers are on disk; there is nothing to flush on the way out.
		TerminationGracePeriodSeconds: pulumi.Int(30),
	}
	if args.PriorityClassName != "" {
		spec.PriorityClassName = pulumi.String(args.PriorityClassName)
	}
	return spec
}
