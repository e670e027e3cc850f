package exporters

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// nodeExporterPort is node-exporter's metrics port on the host network.
const nodeExporterPort = 9100

// nodeExporter runs node-exporter on every node: the host's view,
// read-only. It needs the host network and PID namespace, which is why the
// metrics namespace is "privileged".
func nodeExporter(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	set := labels.Set{Name: NodeExporterName, Instance: name, Component: "exporter", Version: conventions.VersionFromImage(NodeExporterImage)}
	hostPath := func(vol, path string) *corev1.VolumeArgs {
		return &corev1.VolumeArgs{Name: pulumi.String(vol), HostPath: &corev1.HostPathVolumeSourceArgs{Path: pulumi.String(path)}}
	}
	_, err := appsv1.NewDaemonSet(ctx, conventions.Child(name, NodeExporterName), &appsv1.DaemonSetArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(NodeExporterName), Namespace: pulumi.String(args.Namespace), Labels: set.Labels()},
		Spec: &appsv1.DaemonSetSpecArgs{
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			UpdateStrategy: &appsv1.DaemonSetUpdateStrategyArgs{Type: pulumi.String("RollingUpdate")},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels()},
				Spec: &corev1.PodSpecArgs{
					HostNetwork: pulumi.Bool(true), HostPID: pulumi.Bool(true),
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(65534),
					Tolerations:                  corev1.TolerationArray{&corev1.TolerationArgs{Operator: pulumi.String("Exists")}},
					Containers:                   corev1.ContainerArray{nodeExporterContainer()},
					Volumes:                      corev1.VolumeArray{hostPath("proc", "/proc"), hostPath("sys", "/sys"), hostPath("root", "/")},
				},
			},
		},
	}, parent)
	return err
}

func nodeExporterContainer() *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String(NodeExporterName),
		Image: pulumi.String(NodeExporterImage),
		Args: pulumi.ToStringArray([]string{
			"--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/host/root",
			"--web.listen-address=0.0.0.0:9100",
			"--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)",
		}),
		Ports:           corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("http-metrics"), ContainerPort: pulumi.Int(nodeExporterPort)}},
		Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "64Mi", LimitsCPU: "250m", LimitsMemory: "180Mi"}.Args(),
		SecurityContext: workload.RestrictedContainer(),
		// A slow collector (a hung NFS mount) delays answers: readiness
		// says so, liveness restarts only an exporter that stopped listening.
		LivenessProbe:  workload.TCPProbe(nodeExporterPort, 10, 30),
		ReadinessProbe: workload.HTTPProbe("/", nodeExporterPort, 5, 10),
		VolumeMounts: corev1.VolumeMountArray{
			workload.Mount("proc", "/host/proc", true), workload.Mount("sys", "/host/sys", true),
			// HostToContainer: mounts made on the host later (new volumes) are seen too.
			&corev1.VolumeMountArgs{Name: pulumi.String("root"), MountPath: pulumi.String("/host/root"), ReadOnly: pulumi.Bool(true), MountPropagation: pulumi.String("HostToContainer")},
		},
	}
}
