package elasticsearch

import (
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// serviceAccount is the nodes' and the setup Job's: neither calls the
// Kubernetes API, and the S3 token, when used, is a projected volume of
// its own.
func (o objects) serviceAccount() (pulumi.StringOutput, error) {
	sa, err := corev1.NewServiceAccount(o.ctx, o.role("serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata:                     o.meta(o.name, o.labels("storage")),
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, o.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return sa.Metadata.Name().Elem(), nil
}

// nodes creates the node ConfigMap, the Services, the snapshot volume, the
// StatefulSet (after the CA Job: nodes issue their certificates from its
// CA) and, with more than one node, its disruption budget. It returns the
// StatefulSet and the client Service's name.
func (o objects) nodes(configFiles map[string]string, serviceAccount, credentials pulumi.StringOutput, caJob *batchv1.Job) (*appsv1.StatefulSet, pulumi.StringOutput, error) {
	args, lbl := o.args, o.labels("storage")
	cm, err := corev1.NewConfigMap(o.ctx, o.role("config"), &corev1.ConfigMapArgs{
		Metadata: o.meta(o.role("config"), lbl),
		Data:     pulumi.ToStringMap(configFiles),
	}, o.parent)
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	headless, client, err := o.services(lbl)
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	snapshotClaim, err := o.snapshotClaim(lbl)
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	sts, err := appsv1.NewStatefulSet(o.ctx, o.role("statefulset"), &appsv1.StatefulSetArgs{
		Metadata: o.meta(o.name, lbl),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:    pulumi.Int(args.Replicas),
			ServiceName: headless,
			// Master-eligible nodes must start together to elect a master;
			// one at a time, the first would wait for a quorum forever.
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{
					Labels:      lbl.Labels(),
					Annotations: pulumi.ToStringMap(encoding.ChecksumAnnotation("config", configFiles)),
				},
				Spec: nodePodSpec(o.name, args, lbl, serviceAccount, cm.Metadata.Name().Elem(), credentials, snapshotClaim),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{dataClaim(args, lbl)},
		},
	}, o.parent, pulumi.DependsOn([]pulumi.Resource{caJob}))
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	return sts, client, o.disruptionBudget(lbl, sts)
}

// services are the headless Service the nodes find each other through and
// the client Service; it returns both names.
func (o objects) services(lbl labels.Set) (headless, client pulumi.StringOutput, err error) {
	ports := corev1.ServicePortArray{
		&corev1.ServicePortArgs{Name: pulumi.String("https"), Port: pulumi.Int(HTTPPort), TargetPort: pulumi.String("https"), Protocol: pulumi.String("TCP")},
		&corev1.ServicePortArgs{Name: pulumi.String("transport"), Port: pulumi.Int(TransportPort), TargetPort: pulumi.String("transport"), Protocol: pulumi.String("TCP")},
	}
	h, err := corev1.NewService(o.ctx, o.role("headless-service"), &corev1.ServiceArgs{
		Metadata: o.meta(HeadlessServiceName(o.name), lbl),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"),
			// Nodes must find each other before any is ready: readiness
			// needs an elected master.
			PublishNotReadyAddresses: pulumi.Bool(true),
			Selector:                 lbl.Selector(),
			Ports:                    ports,
		},
	}, o.parent)
	if err != nil {
		return headless, client, err
	}
	c, err := corev1.NewService(o.ctx, o.role("service"), &corev1.ServiceArgs{
		Metadata: o.meta(ServiceName(o.name), lbl),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: lbl.Selector(),
			Ports:    ports[:1],
		},
	}, o.parent)
	if err != nil {
		return headless, client, err
	}
	return h.Metadata.Name().Elem(), c.Metadata.Name().Elem(), nil
}

// snapshotClaim is the filesystem snapshot repository's volume (none for
// other repository types). Every node writes the repository, so with more
// than one node the volume is shared (ReadWriteMany).
func (o objects) snapshotClaim(lbl labels.Set) (pulumi.StringOutput, error) {
	args := o.args
	if args.Snapshots.Type != SnapshotsFilesystem {
		return pulumi.StringOutput{}, nil
	}
	mode := "ReadWriteOnce"
	if args.Replicas > 1 {
		mode = "ReadWriteMany"
	}
	pvc, err := corev1.NewPersistentVolumeClaim(o.ctx, o.role("snapshots"), &corev1.PersistentVolumeClaimArgs{
		Metadata: o.meta(o.role("snapshots"), lbl),
		Spec: &corev1.PersistentVolumeClaimSpecArgs{
			AccessModes:      pulumi.ToStringArray([]string{mode}),
			StorageClassName: optionalString(args.Snapshots.Filesystem.StorageClassName),
			Resources:        &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(args.Snapshots.Filesystem.Size)}},
		},
	}, append([]pulumi.ResourceOption{o.parent}, args.Data.Options()...)...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pvc.Metadata.Name().Elem(), nil
}

// disruptionBudget lets one node go at a time. One node has nothing to
// keep available, and a budget would block node drains forever.
func (o objects) disruptionBudget(lbl labels.Set, sts *appsv1.StatefulSet) error {
	if o.args.Replicas <= 1 {
		return nil
	}
	_, err := policyv1.NewPodDisruptionBudget(o.ctx, o.role("pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: o.meta(o.name, lbl),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
		},
	}, o.parent, pulumi.DependsOn([]pulumi.Resource{sts}))
	return err
}

func dataClaim(args Args, lbl labels.Set) *corev1.PersistentVolumeClaimTypeArgs {
	return &corev1.PersistentVolumeClaimTypeArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("data"), Labels: lbl.Labels()},
		Spec: &corev1.PersistentVolumeClaimSpecArgs{
			AccessModes:      pulumi.ToStringArray([]string{"ReadWriteOnce"}),
			StorageClassName: optionalString(args.StorageClassName),
			Resources:        &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(args.StorageSize)}},
		},
	}
}

// nodePodSpec is a node's pod: the init containers, Elasticsearch, and
// their volumes.
func nodePodSpec(name string, args Args, lbl labels.Set, serviceAccount, configMap, secret pulumi.StringInput, snapshotClaim pulumi.StringOutput) *corev1.PodSpecArgs {
	heap, _ := resource.ParseQuantity(args.Heap) // validated in withDefaults
	heapMi := heap.Value() >> 20
	volumes := corev1.VolumeArray{
		workload.ConfigMapVolume("settings", configMap),
		&corev1.VolumeArgs{Name: pulumi.String("ca"), Secret: &corev1.SecretVolumeSourceArgs{
			SecretName: pulumi.String(caKeypairSecretName(name)), DefaultMode: pulumi.Int(0o440),
		}},
		// Holds the node's private key: memory only, gone with the pod.
		memoryDir("config"),
		workload.EmptyDir("tmp"),
		workload.EmptyDir("logs"),
	}
	mounts := corev1.VolumeMountArray{
		workload.Mount("config", configPath, false),
		workload.Mount("data", dataPath, false),
		workload.Mount("logs", logsPath, false),
		workload.Mount("tmp", "/tmp", false),
		workload.Mount("settings", settingsMountPath, true),
	}
	env := corev1.EnvVarArray{
		workload.PodNameEnv(),
		workload.Env("ES_JAVA_OPTS", fmt.Sprintf("-Xms%dm -Xmx%dm", heapMi, heapMi)),
		workload.SecretEnv("ELASTIC_PASSWORD", secret, SecretKeyElastic),
	}
	v, m, e := snapshotStorage(args.Snapshots, snapshotClaim)
	spec := &corev1.PodSpecArgs{
		ServiceAccountName:           serviceAccount,
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(uid),
		InitContainers:               initContainers(args),
		Containers:                   corev1.ContainerArray{nodeContainer(args, append(env, e...), append(mounts, m...))},
		Volumes:                      append(volumes, v...),
		// A node flushes and hands its shards over before it stops.
		TerminationGracePeriodSeconds: pulumi.Int(120),
	}
	if args.Replicas > 1 {
		spec.Affinity = workload.SpreadAcrossNodes(lbl.Selector())
	}
	return spec
}

// snapshotStorage is what the snapshot repository adds to a node: the
// shared volume of a filesystem repository, or for S3 with an IAM role the
// projected token the AWS SDK exchanges for it.
func snapshotStorage(s Snapshots, claim pulumi.StringOutput) (corev1.VolumeArray, corev1.VolumeMountArray, corev1.EnvVarArray) {
	switch {
	case s.Type == SnapshotsFilesystem:
		return corev1.VolumeArray{&corev1.VolumeArgs{Name: pulumi.String("snapshots"),
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: claim}}},
			corev1.VolumeMountArray{workload.Mount("snapshots", snapshotsPath, false)}, nil
	case s.Type == SnapshotsS3 && s.S3.RoleArn != "":
		token := &corev1.VolumeArgs{Name: pulumi.String("aws-token"), Projected: &corev1.ProjectedVolumeSourceArgs{
			Sources: corev1.VolumeProjectionArray{&corev1.VolumeProjectionArgs{
				ServiceAccountToken: &corev1.ServiceAccountTokenProjectionArgs{
					Audience: pulumi.String("sts.amazonaws.com"), ExpirationSeconds: pulumi.Int(86400), Path: pulumi.String(webIdentityTokenFile),
				},
			}},
		}}
		return corev1.VolumeArray{token}, corev1.VolumeMountArray{workload.Mount("aws-token", webIdentityTokenDir, true)}, corev1.EnvVarArray{
			workload.Env("AWS_ROLE_ARN", s.S3.RoleArn),
			workload.Env("AWS_WEB_IDENTITY_TOKEN_FILE", webIdentityTokenDir+"/"+webIdentityTokenFile),
			workload.Env("AWS_REGION", s.S3.Region),
			workload.Env("AWS_STS_REGIONAL_ENDPOINTS", "regional"),
		}
	}
	return nil, nil, nil
}

// initContainers raise vm.max_map_count when asked to, then prepare the
// node: its configuration and its certificate.
func initContainers(args Args) corev1.ContainerArray {
	out := corev1.ContainerArray{}
	if args.MaxMapCount == MaxMapCountInitContainer {
		out = append(out, &corev1.ContainerArgs{
			Name:    pulumi.String("max-map-count"),
			Image:   pulumi.String(args.Image),
			Command: pulumi.ToStringArray([]string{"sysctl", "-w", "vm.max_map_count=262144"}),
			// sysctl writes the node's kernel setting: root and privileged,
			// for this one command only.
			SecurityContext: &corev1.SecurityContextArgs{
				Privileged: pulumi.Bool(true), RunAsUser: pulumi.Int(0), RunAsNonRoot: pulumi.Bool(false),
				ReadOnlyRootFilesystem: pulumi.Bool(true),
			},
			Resources: workload.Resources{RequestsCPU: "10m", RequestsMemory: "16Mi", LimitsCPU: "100m", LimitsMemory: "64Mi"}.Args(),
		})
	}
	return append(out, &corev1.ContainerArgs{
		Name:    pulumi.String("prepare"),
		Image:   pulumi.String(args.Image),
		Command: pulumi.ToStringArray([]string{"bash", settingsMountPath + "/" + prepareNodeFile}),
		Env:     corev1.EnvVarArray{workload.PodNameEnv(), workload.FieldEnv("POD_IP", "status.podIP")},
		VolumeMounts: corev1.VolumeMountArray{
			workload.Mount("config", configStagePath, false),
			workload.Mount("settings", settingsMountPath, true),
			workload.Mount("ca", caMountPath, true),
			workload.Mount("tmp", "/tmp", false),
		},
		SecurityContext: workload.RestrictedContainer(),
		Resources:       workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "512Mi"}.Args(),
	})
}

// nodeContainer is Elasticsearch itself, with its probes.
func nodeContainer(args Args, env corev1.EnvVarArray, mounts corev1.VolumeMountArray) *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String("elasticsearch"),
		Image: pulumi.String(args.Image),
		Env:   env,
		Ports: corev1.ContainerPortArray{
			&corev1.ContainerPortArgs{Name: pulumi.String("https"), ContainerPort: pulumi.Int(HTTPPort), Protocol: pulumi.String("TCP")},
			&corev1.ContainerPortArgs{Name: pulumi.String("transport"), ContainerPort: pulumi.Int(TransportPort), Protocol: pulumi.String("TCP")},
		},
		VolumeMounts:    mounts,
		Resources:       args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		// Recovery after a restart can take minutes; liveness starts after.
		StartupProbe: &corev1.ProbeArgs{
			TcpSocket:     &corev1.TCPSocketActionArgs{Port: pulumi.String("https")},
			PeriodSeconds: pulumi.Int(10), TimeoutSeconds: pulumi.Int(5), FailureThreshold: pulumi.Int(60),
		},
		LivenessProbe: &corev1.ProbeArgs{
			TcpSocket:     &corev1.TCPSocketActionArgs{Port: pulumi.String("transport")},
			PeriodSeconds: pulumi.Int(20), TimeoutSeconds: pulumi.Int(5), FailureThreshold: pulumi.Int(6),
		},
		ReadinessProbe: &corev1.ProbeArgs{
			Exec:          &corev1.ExecActionArgs{Command: pulumi.ToStringArray([]string{"bash", settingsMountPath + "/" + readinessFile})},
			PeriodSeconds: pulumi.Int(10), TimeoutSeconds: pulumi.Int(10), FailureThreshold: pulumi.Int(3),
		},
	}
}

// memoryDir is a small memory-backed scratch volume: what is written there
// (a private key) never reaches a disk.
func memoryDir(volume string) *corev1.VolumeArgs {
	return &corev1.VolumeArgs{Name: pulumi.String(volume), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{
		Medium: pulumi.String("Memory"), SizeLimit: pulumi.String("64Mi"),
	}}
}

func optionalString(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
