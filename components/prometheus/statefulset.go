package prometheus

import (
	"fmt"
	"maps"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/workload"
)

// podFiles are the ConfigMaps the pods mount and the annotations that roll
// the pods when their content changes.
type podFiles struct {
	config, rules pulumi.StringOutput
	annotations   pulumi.StringMap
}

// configMaps creates the prometheus.yml and rule-file ConfigMaps.
func (b *build) configMaps(promYAML string) (podFiles, error) {
	configFiles := map[string]string{"prometheus.yml": promYAML}
	cm, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "config"), &corev1.ConfigMapArgs{
		Metadata: b.meta(conventions.Child(b.name, "config")), Data: pulumi.ToStringMap(configFiles),
	}, b.parent)
	if err != nil {
		return podFiles{}, err
	}
	rules, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "rules"), &corev1.ConfigMapArgs{
		Metadata: b.meta(conventions.Child(b.name, "rules")), Data: pulumi.ToStringMap(b.args.RuleFiles),
	}, b.parent)
	if err != nil {
		return podFiles{}, err
	}
	// A rule change rolls the pods; the scrape config's checksum stays.
	annotations := encoding.ChecksumAnnotation("config", configFiles)
	maps.Copy(annotations, encoding.ChecksumAnnotation("rules", b.args.RuleFiles))
	maps.Copy(annotations, workload.ScrapeAnnotations(WebPort, "/metrics"))
	return podFiles{config: cm.Metadata.Name().Elem(), rules: rules.Metadata.Name().Elem(), annotations: pulumi.ToStringMap(annotations)}, nil
}

// statefulSet creates the servers, each with its Thanos sidecar.
func (b *build) statefulSet(serviceAccount pulumi.StringOutput, files podFiles, headless pulumi.StringOutput) error {
	volumes := corev1.VolumeArray{
		workload.ConfigMapVolume("config", files.config),
		workload.ConfigMapVolume("rules", files.rules),
		workload.EmptyDir("tmp"),
	}
	sidecar, sidecarVolumes := b.sidecar()
	_, err := appsv1.NewStatefulSet(b.ctx, conventions.Child(b.name, "statefulset"), &appsv1.StatefulSetArgs{
		Metadata: b.meta(b.name),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:            pulumi.Int(b.args.Replicas),
			ServiceName:         headless,
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: b.set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: b.set.Labels(), Annotations: files.annotations},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName:            serviceAccount,
					SecurityContext:               workload.PodSecurity(65534),
					Containers:                    corev1.ContainerArray{b.server(), sidecar},
					Volumes:                       append(volumes, sidecarVolumes...),
					Affinity:                      workload.SpreadAcrossNodes(b.set.Selector()),
					TerminationGracePeriodSeconds: pulumi.Int(600),
				},
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", b.args.StorageSize, b.claimLabels())},
		},
	}, b.parent)
	return err
}

// claimLabels leave the version out of the volume claim template: the
// kubernetes provider replaces a StatefulSet whose claim templates change,
// so a version there would recreate the servers at every upgrade.
func (b *build) claimLabels() pulumi.StringMap {
	set := b.set
	set.Version = ""
	return set.Labels()
}

// server is the Prometheus container.
func (b *build) server() *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String("prometheus"),
		Image: pulumi.String(b.args.Image),
		Args: pulumi.ToStringArray([]string{
			"--config.file=/etc/prometheus/config/prometheus.yml",
			"--storage.tsdb.path=/prometheus",
			"--storage.tsdb.retention.time=" + b.args.LocalRetention,
			// The sidecar uploads 2h blocks; local compaction would race it.
			"--storage.tsdb.min-block-duration=2h",
			"--storage.tsdb.max-block-duration=2h",
			"--web.enable-lifecycle",
			fmt.Sprintf("--web.listen-address=0.0.0.0:%d", WebPort),
		}),
		Env:   corev1.EnvVarArray{workload.PodNameEnv()},
		Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("web"), ContainerPort: pulumi.Int(WebPort)}},
		VolumeMounts: corev1.VolumeMountArray{
			workload.Mount("config", "/etc/prometheus/config", true),
			workload.Mount("rules", RulesDir, true),
			workload.Mount("data", "/prometheus", false),
		},
		Resources:       b.args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		LivenessProbe:   workload.HTTPProbe("/-/healthy", WebPort, 30, 30),
		ReadinessProbe:  workload.HTTPProbe("/-/ready", WebPort, 10, 10),
	}
}

// sidecar is the Thanos sidecar container (serving recent data to Query
// and, with an objstore, uploading blocks) and the volumes only it mounts.
func (b *build) sidecar() (*corev1.ContainerArgs, corev1.VolumeArray) {
	args := []string{"sidecar", "--tsdb.path=/prometheus", fmt.Sprintf("--prometheus.url=http://localhost:%d", WebPort),
		fmt.Sprintf("--grpc-address=0.0.0.0:%d", SidecarGRPCPort), fmt.Sprintf("--http-address=0.0.0.0:%d", SidecarHTTPPort), "--log.format=logfmt"}
	mounts := corev1.VolumeMountArray{workload.Mount("data", "/prometheus", false), workload.Mount("tmp", "/tmp", false)}
	var volumes corev1.VolumeArray
	if o := b.args.Objstore; o.SecretName != nil {
		args = append(args, "--objstore.config-file=/etc/thanos/"+o.SecretKey)
		volumes = append(volumes, workload.SecretVolume("objstore", o.SecretName))
		mounts = append(mounts, workload.Mount("objstore", "/etc/thanos", true))
		if o.BucketClaim != nil {
			volumes = append(volumes, &corev1.VolumeArgs{Name: pulumi.String("bucket"),
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: o.BucketClaim}})
			mounts = append(mounts, workload.Mount("bucket", o.BucketPath, false))
		}
	}
	return &corev1.ContainerArgs{
		Name:  pulumi.String(sidecarContainer),
		Image: pulumi.String(b.args.SidecarImage),
		Args:  pulumi.ToStringArray(args),
		Ports: corev1.ContainerPortArray{
			&corev1.ContainerPortArgs{Name: pulumi.String("grpc"), ContainerPort: pulumi.Int(SidecarGRPCPort)},
			&corev1.ContainerPortArgs{Name: pulumi.String(sidecarHTTPPortName), ContainerPort: pulumi.Int(SidecarHTTPPort)},
		},
		VolumeMounts:    mounts,
		Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "128Mi", LimitsCPU: "500m", LimitsMemory: "512Mi"}.Args(),
		SecurityContext: workload.RestrictedContainer(),
		ReadinessProbe:  workload.HTTPProbe("/-/ready", SidecarHTTPPort, 10, 10),
	}, volumes
}

// disruptionBudget keeps one server of an HA pair up through node drains;
// a lone server gets none, which would block drains forever.
func (b *build) disruptionBudget() error {
	if b.args.Replicas < 2 {
		return nil
	}
	_, err := policyv1.NewPodDisruptionBudget(b.ctx, conventions.Child(b.name, "pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: b.meta(b.name),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: b.set.Selector()},
		},
	}, b.parent)
	return err
}
