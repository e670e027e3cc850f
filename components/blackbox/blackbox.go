// Package blackbox owns the Prometheus blackbox exporter: its Deployment,
// Service and blackbox.yml (the modules that probe the applications'
// /live, /ready, /health and /health/detailed, built with the exporter's own
// config types). It owns neither the probe targets nor their labels: those
// are the Prometheus probe jobs' (components/prometheus ProbeJobs), which
// send each target to this exporter with a module name from this package.
package blackbox

import (
	"fmt"
	"strconv"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:BlackboxExporter"

// Name is the exporter's Kubernetes object name and app.kubernetes.io/name.
// It does not carry the component's name: one exporter per namespace, whose
// address Prometheus is given before the Service exists (Address).
const Name = "blackbox-exporter"

// Port is the exporter's HTTP port (/probe, /metrics, /-/healthy).
const Port = 9115

// ConfigFile is blackbox.yml's key in the ConfigMap and its mounted path.
const (
	ConfigFile = "blackbox.yml"
	configDir  = "/etc/blackbox_exporter"
)

// uid is the image's nobody user.
const uid = 65534

// Args configure the exporter.
type Args struct {
	Namespace string
	// Replicas defaults to 1: a probe is stateless and Prometheus's HA pair
	// both probe through it, so a second replica only helps during a
	// rollout or a node loss.
	Replicas  int
	Resources workload.Resources
}

// BlackboxExporter is the component.
type BlackboxExporter struct {
	pulumi.ResourceState
	// URL is the exporter's in-cluster base URL.
	URL pulumi.StringOutput `pulumi:"url"`
}

// Address is host:port of the exporter in namespace, as the probe jobs'
// relabelling writes it into __address__.
func Address(namespace string) string {
	return conventions.ServiceHost(Name, namespace) + ":" + strconv.Itoa(Port)
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	check.DNSLabel(&ps, "namespace", a.Namespace, true)
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	check.AtLeast(&ps, "replicas", a.Replicas, 1)
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "50m", RequestsMemory: "64Mi", LimitsCPU: "250m", LimitsMemory: "128Mi"}
	}
	return ps.Err()
}

// New creates the exporter's ConfigMap, Deployment and Service.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*BlackboxExporter, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("blackbox exporter %q: %w", name, err)
	}
	text, err := RenderConfig()
	if err != nil {
		return nil, fmt.Errorf("blackbox exporter %q: %w", name, err)
	}
	c := &BlackboxExporter{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	set := labels.Set{Name: Name, Instance: name, Component: "exporter", Version: pins.BlackboxExporter.Version}
	meta := func(n string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(n), Namespace: pulumi.String(args.Namespace), Labels: set.Labels()}
	}
	files := map[string]string{ConfigFile: text}
	cm, err := corev1.NewConfigMap(ctx, conventions.Child(name, "config"), &corev1.ConfigMapArgs{
		Metadata: meta(conventions.Child(Name, "config")), Data: pulumi.ToStringMap(files),
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, "deployment"), &appsv1.DeploymentArgs{
		Metadata: meta(Name),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.Replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: pulumi.ToStringMap(encoding.ChecksumAnnotation("config", files))},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(uid),
					Affinity:                     workload.SpreadAcrossNodes(set.Selector()),
					Containers:                   corev1.ContainerArray{container(args)},
					Volumes:                      corev1.VolumeArray{workload.ConfigMapVolume("config", cm.Metadata.Name().Elem())},
				},
			},
		},
	}, parent); err != nil {
		return nil, err
	}
	if args.Replicas > 1 {
		// One replica at a time may go during a node drain, so the probes
		// keep running.
		if _, err := policyv1.NewPodDisruptionBudget(ctx, conventions.Child(name, "pdb"), &policyv1.PodDisruptionBudgetArgs{
			Metadata: meta(Name),
			Spec: &policyv1.PodDisruptionBudgetSpecArgs{
				MaxUnavailable: pulumi.Int(1),
				Selector:       &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			},
		}, parent); err != nil {
			return nil, err
		}
	}
	svc, err := corev1.NewService(ctx, conventions.Child(name, "service"), &corev1.ServiceArgs{
		Metadata: meta(Name),
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(Port), TargetPort: pulumi.String("http")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}
	c.URL = conventions.ServiceURLOutput("http", svc.Metadata.Name().Elem(), args.Namespace, Port)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"url": c.URL})
}

func container(args Args) *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String(Name),
		Image: pulumi.String(pins.BlackboxExporter.Image()),
		Args: pulumi.ToStringArray([]string{
			"--config.file=" + configDir + "/" + ConfigFile,
			"--web.listen-address=:" + strconv.Itoa(Port),
		}),
		Ports:           corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(Port)}},
		Resources:       args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		VolumeMounts:    corev1.VolumeMountArray{workload.Mount("config", configDir, true)},
		// Liveness only asks that the process answers; readiness that it
		// is healthy (kube-score: identical probes restart a pod that is
		// merely not ready).
		LivenessProbe:  workload.TCPProbe(Port, 5, 30),
		ReadinessProbe: workload.HTTPProbe("/-/healthy", Port, 5, 10),
	}
}
