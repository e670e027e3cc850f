package grafana

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// builder creates the server's children, each named after the component
// and its role.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   Args
	set    labels.Set
	parent pulumi.ResourceOption
}

func newBuilder(ctx *pulumi.Context, name string, args Args, c *Grafana) *builder {
	return &builder{
		ctx: ctx, name: name, args: args, parent: pulumi.Parent(c),
		set: labels.Set{Name: "grafana", Instance: name, Component: "dashboards", Version: conventions.VersionFromImage(args.Image)},
	}
}

// meta names an object after the component and its role (no role: the
// component's own name).
func (b *builder) meta(role ...string) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{
		Name: pulumi.String(conventions.Child(b.name, role...)), Namespace: pulumi.String(b.args.Namespace), Labels: b.set.Labels(),
	}
}

// podParts is what the pod template collects from every part of the
// server: volumes, mounts, and the checksum annotations that roll the pod
// when a file it reads changes.
type podParts struct {
	volumes     corev1.VolumeArray
	mounts      corev1.VolumeMountArray
	annotations pulumi.StringMap
}

// server creates everything the Deployment runs with, then the Deployment.
func (b *builder) server(r rendered) (*appsv1.Deployment, error) {
	sa, err := corev1.NewServiceAccount(b.ctx, conventions.Child(b.name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: b.meta(),
		// Grafana never calls the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	secret, err := corev1.NewSecret(b.ctx, conventions.Child(b.name, "admin"), &corev1.SecretArgs{
		Metadata: b.meta("admin"),
		Type:     pulumi.String("Opaque"),
		StringData: pulumi.StringMap{
			SecretKeyAdminUser:     pulumi.ToSecret(pulumi.String(b.args.AdminUser)).(pulumi.StringOutput),
			SecretKeyAdminPassword: pulumi.ToSecret(b.args.AdminPassword.ToStringOutput()).(pulumi.StringOutput),
		},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	p, err := b.configAndData(r.ini)
	if err != nil {
		return nil, err
	}
	if err := b.provision(p, r.files); err != nil {
		return nil, err
	}
	return b.deployment(sa, secret.Metadata.Name().Elem(), p)
}

// configAndData creates grafana.ini's ConfigMap and, with a StorageSize,
// the data volume's claim; it starts the pod's volumes with them and /tmp.
func (b *builder) configAndData(ini string) (*podParts, error) {
	configFiles := map[string]string{configFile: ini}
	config, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "config"), &corev1.ConfigMapArgs{
		Metadata: b.meta("config"), Data: pulumi.ToStringMap(configFiles),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	p := &podParts{
		volumes: corev1.VolumeArray{workload.ConfigMapVolume("config", config.Metadata.Name().Elem()), workload.EmptyDir("tmp")},
		mounts: corev1.VolumeMountArray{
			workload.Mount("config", configDir, true), workload.Mount("data", dataDir, false), workload.Mount("tmp", "/tmp", false),
		},
		annotations: pulumi.StringMap{},
	}
	for k, v := range encoding.ChecksumAnnotation("config", configFiles) {
		p.annotations[k] = pulumi.String(v)
	}
	for k, v := range workload.ScrapeAnnotations(HTTPPort, "/metrics") {
		p.annotations[k] = pulumi.String(v)
	}
	if b.args.StorageSize == "" {
		p.volumes = append(p.volumes, workload.EmptyDir("data"))
		return p, nil
	}
	claim := &corev1.PersistentVolumeClaimSpecArgs{
		AccessModes: pulumi.ToStringArray([]string{"ReadWriteOnce"}),
		Resources:   &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(b.args.StorageSize)}},
	}
	if b.args.StorageClassName != "" {
		claim.StorageClassName = pulumi.String(b.args.StorageClassName)
	}
	pvc, err := corev1.NewPersistentVolumeClaim(b.ctx, conventions.Child(b.name, "data"), &corev1.PersistentVolumeClaimArgs{
		Metadata: b.meta("data"), Spec: claim,
	}, append([]pulumi.ResourceOption{b.parent}, b.args.Data.Options()...)...)
	if err != nil {
		return nil, err
	}
	p.volumes = append(p.volumes, &corev1.VolumeArgs{Name: pulumi.String("data"),
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: pvc.Metadata.Name().Elem()}})
	return p, nil
}

// container is Grafana itself: credentials from the admin Secret, paths
// from the environment (the image's entrypoint reads these, and they win
// over grafana.ini).
func (b *builder) container(adminSecret pulumi.StringInput, mounts corev1.VolumeMountArray) *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String("grafana"),
		Image: pulumi.String(b.args.Image),
		Env: corev1.EnvVarArray{
			workload.SecretEnv("GF_SECURITY_ADMIN_USER", adminSecret, SecretKeyAdminUser),
			workload.SecretEnv("GF_SECURITY_ADMIN_PASSWORD", adminSecret, SecretKeyAdminPassword),
			workload.Env("GF_PATHS_CONFIG", configDir+"/"+configFile),
			workload.Env("GF_PATHS_DATA", dataDir),
			workload.Env("GF_PATHS_PLUGINS", dataDir+"/plugins"),
			workload.Env("GF_PATHS_LOGS", dataDir+"/log"),
			workload.Env("GF_PATHS_PROVISIONING", provisioningDir),
		},
		Ports:           corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(HTTPPort)}},
		VolumeMounts:    mounts,
		Resources:       b.args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		// /api/health fails while the database is unreachable: that is a
		// reason to take the pod out of the Service, not to restart it, so
		// liveness only asks that the server listens. First start runs
		// database migrations, which can take a minute.
		LivenessProbe:  workload.TCPProbe(HTTPPort, 60, 10),
		ReadinessProbe: workload.HTTPProbe("/api/health", HTTPPort, 10, 10),
	}
}

func (b *builder) deployment(sa *corev1.ServiceAccount, adminSecret pulumi.StringInput, p *podParts) (*appsv1.Deployment, error) {
	spec := &appsv1.DeploymentSpecArgs{
		Replicas: pulumi.Int(b.args.Replicas),
		Selector: &metav1.LabelSelectorArgs{MatchLabels: b.set.Selector()},
		Template: &corev1.PodTemplateSpecArgs{
			Metadata: &metav1.ObjectMetaArgs{Labels: b.set.Labels(), Annotations: p.annotations},
			Spec: &corev1.PodSpecArgs{
				ServiceAccountName:           sa.Metadata.Name().Elem(),
				AutomountServiceAccountToken: pulumi.Bool(false),
				SecurityContext:              workload.PodSecurity(nonRootID),
				Containers:                   corev1.ContainerArray{b.container(adminSecret, p.mounts)},
				Volumes:                      p.volumes,
			},
		},
	}
	if b.args.StorageSize != "" {
		// A ReadWriteOnce claim cannot be attached to the old and the new pod at once.
		spec.Strategy = &appsv1.DeploymentStrategyArgs{Type: pulumi.String("Recreate")}
	}
	return appsv1.NewDeployment(b.ctx, conventions.Child(b.name, "deployment"), &appsv1.DeploymentArgs{
		Metadata: b.meta(), Spec: spec,
	}, b.parent)
}
