package alertmanager

import (
	"fmt"
	"slices"

	"github.com/prometheus/common/model"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/workload"
)

// statefulSet creates the replicas and, with more than one, their
// disruption budget.
func (b *build) statefulSet(obj objects, files map[string]string) error {
	sts, err := appsv1.NewStatefulSet(b.ctx, conventions.Child(b.name, "statefulset"), &appsv1.StatefulSetArgs{
		Metadata: b.meta(b.name),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:    pulumi.Int(b.args.Replicas),
			ServiceName: obj.headless,
			// Replicas gossip with each other, so they start together.
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: b.lbl.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{
					Labels:      b.lbl.Labels(),
					Annotations: pulumi.ToStringMap(podAnnotations(files, b.routePrefix)),
				},
				Spec: b.podSpec(obj),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{&corev1.PersistentVolumeClaimTypeArgs{
				Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(dataVolumeName), Labels: b.lbl.Labels()},
				Spec: &corev1.PersistentVolumeClaimSpecArgs{
					AccessModes:      pulumi.ToStringArray([]string{"ReadWriteOnce"}),
					StorageClassName: optionalString(b.args.StorageClassName),
					Resources: &corev1.VolumeResourceRequirementsArgs{
						Requests: pulumi.StringMap{"storage": pulumi.String(b.args.StorageSize)},
					},
				},
			}},
		},
	}, b.parent)
	if err != nil {
		return err
	}
	// One replica has nothing to keep available; a budget of one
	// unavailable pod would then block node drains forever.
	if b.args.Replicas < 2 {
		return nil
	}
	_, err = policyv1.NewPodDisruptionBudget(b.ctx, conventions.Child(b.name, "pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: b.meta(b.name),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: b.lbl.Selector()},
		},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{sts}))
	return err
}

// podSpec is the pod: one container reading its configuration and
// credentials from files, spread over nodes when there are peers.
func (b *build) podSpec(obj objects) *corev1.PodSpecArgs {
	spec := &corev1.PodSpecArgs{
		ServiceAccountName:           obj.serviceAccount,
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(nonRootID),
		Containers:                   corev1.ContainerArray{b.container(obj)},
		Volumes: corev1.VolumeArray{
			&corev1.VolumeArgs{Name: pulumi.String("config"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{Name: obj.configMap}},
			&corev1.VolumeArgs{Name: pulumi.String("secrets"), Secret: &corev1.SecretVolumeSourceArgs{
				SecretName:  obj.secret,
				DefaultMode: pulumi.Int(0o440),
			}},
		},
	}
	if b.args.Replicas > 1 {
		// Spread replicas over nodes so one node failure keeps a quorum of notifiers.
		spec.Affinity = workload.SpreadAcrossNodes(b.lbl.Selector())
	}
	return spec
}

// container is the Alertmanager container.
func (b *build) container(obj objects) *corev1.ContainerArgs {
	probe := func(p string, initialDelay int) *corev1.ProbeArgs {
		return &corev1.ProbeArgs{
			HttpGet:             &corev1.HTTPGetActionArgs{Path: pulumi.String(b.routePrefix + p), Port: pulumi.String(WebPortName)},
			InitialDelaySeconds: pulumi.Int(initialDelay),
			PeriodSeconds:       pulumi.Int(10),
			TimeoutSeconds:      pulumi.Int(3),
			FailureThreshold:    pulumi.Int(10),
		}
	}
	flags, env := b.flags(obj.headless)
	return &corev1.ContainerArgs{
		Name:  pulumi.String("alertmanager"),
		Image: pulumi.String(b.args.Image),
		Args:  flags,
		Env:   env,
		Ports: corev1.ContainerPortArray{
			&corev1.ContainerPortArgs{Name: pulumi.String(WebPortName), ContainerPort: pulumi.Int(WebPort), Protocol: pulumi.String("TCP")},
			&corev1.ContainerPortArgs{Name: pulumi.String("mesh-tcp"), ContainerPort: pulumi.Int(ClusterPort), Protocol: pulumi.String("TCP")},
			&corev1.ContainerPortArgs{Name: pulumi.String("mesh-udp"), ContainerPort: pulumi.Int(ClusterPort), Protocol: pulumi.String("UDP")},
		},
		LivenessProbe:   probe("/-/healthy", 10),
		ReadinessProbe:  probe("/-/ready", 3),
		Resources:       b.args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		VolumeMounts: corev1.VolumeMountArray{
			&corev1.VolumeMountArgs{Name: pulumi.String("config"), MountPath: pulumi.String(configMountPath), ReadOnly: pulumi.Bool(true)},
			&corev1.VolumeMountArgs{Name: pulumi.String("secrets"), MountPath: pulumi.String(SecretsMountPath), ReadOnly: pulumi.Bool(true)},
			&corev1.VolumeMountArgs{Name: pulumi.String(dataVolumeName), MountPath: pulumi.String(storagePath)},
		},
	}
}

// flags are the command line, with a --cluster.peer per replica once the
// headless Service exists, and the environment the flags expand.
func (b *build) flags(headless pulumi.StringOutput) (pulumi.StringArrayOutput, corev1.EnvVarArray) {
	flags := []string{
		"--config.file=" + configMountPath + "/" + configFileName,
		"--storage.path=" + storagePath,
		fmt.Sprintf("--web.listen-address=:%d", WebPort),
		"--web.route-prefix=" + b.routePrefix + "/",
	}
	if b.args.ExternalURL != "" {
		flags = append(flags, "--web.external-url="+b.args.ExternalURL)
	}
	env := corev1.EnvVarArray{}
	peers := pulumi.ToStringArray([]string{}).ToStringArrayOutput()
	if b.args.Replicas > 1 {
		flags = append(flags,
			fmt.Sprintf("--cluster.listen-address=0.0.0.0:%d", ClusterPort),
			// Brackets keep an IPv6 pod address parseable; Go strips them from IPv4.
			fmt.Sprintf("--cluster.advertise-address=[$(POD_IP)]:%d", ClusterPort),
			// Stated, not left to the binary's default: the route tree's
			// group interval is checked against it (Timings.Check).
			"--cluster.peer-timeout="+model.Duration(b.args.Routing.Timings.PeerTimeout).String(),
		)
		env = append(env, &corev1.EnvVarArgs{
			Name:      pulumi.String("POD_IP"),
			ValueFrom: &corev1.EnvVarSourceArgs{FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String("status.podIP")}},
		})
		peers = b.addresses(headless, ClusterPort)
	} else {
		// An empty listen address turns gossip off: a lone replica has no
		// peers and would only log that it cannot find any.
		flags = append(flags, "--cluster.listen-address=")
	}
	return peers.ApplyT(func(ps []string) []string {
		out := slices.Clone(flags)
		for _, p := range ps {
			out = append(out, "--cluster.peer="+p)
		}
		return out
	}).(pulumi.StringArrayOutput), env
}

// podAnnotations carry the configuration checksum, so a configuration
// change rolls the pods (Alertmanager does not watch its file; credentials
// are read at every notification, so a rotated secret needs no restart),
// and ask Prometheus to scrape Alertmanager's own metrics.
func podAnnotations(files map[string]string, routePrefix string) map[string]string {
	a := encoding.ChecksumAnnotation("config", files)
	for k, v := range workload.ScrapeAnnotations(WebPort, routePrefix+"/metrics") {
		a[k] = v
	}
	return a
}

func optionalString(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
