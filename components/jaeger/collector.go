package jaeger

import (
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// collectorConfigDir is where the collector pod reads its configuration.
const collectorConfigDir = "/etc/otelcol"

// collectorObject names the collector's Deployment, Service and ConfigMap.
func collectorObject(component string) string { return conventions.Child(component, "otel-collector") }

// newCollector runs the OpenTelemetry Collector, the one endpoint
// applications know, and returns its Service's name.
func (b builder) newCollector(jaegerHosts map[string]string) (pulumi.StringOutput, error) {
	objName := collectorObject(b.name)
	set := labels.Set{Name: "opentelemetry-collector", Instance: b.name, Component: "gateway", Version: conventions.VersionFromImage(b.args.CollectorImage)}
	cfgYAML, err := render(collectorConfigFor(b.name, b.args.tiers(), jaegerHosts))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("collector config: %w", err)
	}
	cm, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "otel", "config"), &corev1.ConfigMapArgs{
		Metadata: b.meta(objName, set),
		Data:     pulumi.StringMap{ConfigKey: pulumi.String(cfgYAML)},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	dep, err := appsv1.NewDeployment(b.ctx, conventions.Child(b.name, "otel", "deployment"), &appsv1.DeploymentArgs{
		Metadata: b.meta(objName, set),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(b.args.CollectorReplicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: annotations(
					encoding.ChecksumAnnotation("otel-config", map[string]string{ConfigKey: cfgYAML}),
					workload.ScrapeAnnotations(metricsPort, "/metrics"),
				)},
				Spec: b.collectorPod(set, cm.Metadata.Name().Elem()),
			},
		},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if err := b.pdb(conventions.Child(b.name, "otel", "pdb"), objName, set, b.args.CollectorReplicas, dep); err != nil {
		return pulumi.StringOutput{}, err
	}
	svc, err := corev1.NewService(b.ctx, conventions.Child(b.name, "otel", "service"), &corev1.ServiceArgs{
		Metadata: b.meta(objName, set),
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			svcPort("otlp-grpc", OTLPGRPCPort), svcPort("otlp-http", OTLPHTTPPort), svcPort("jaeger-thrift", JaegerThriftPort),
		}},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return svc.Metadata.Name().Elem(), nil
}

func (b builder) collectorPod(set labels.Set, configMap pulumi.StringInput) *corev1.PodSpecArgs {
	return &corev1.PodSpecArgs{
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(jaegerUID),
		Affinity:                     workload.SpreadAcrossNodes(set.Selector()),
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name: pulumi.String("otel-collector"), Image: pulumi.String(b.args.CollectorImage),
			Args: pulumi.ToStringArray([]string{"--config=file:" + collectorConfigDir + "/" + ConfigKey}),
			Ports: corev1.ContainerPortArray{
				port("otlp-grpc", OTLPGRPCPort), port("otlp-http", OTLPHTTPPort),
				port("jaeger-thrift", JaegerThriftPort), port("health", healthPort), port("metrics", metricsPort),
			},
			// Ready when the health extension says so; alive while it
			// accepts OTLP connections.
			ReadinessProbe:  workload.HTTPProbe("/", healthPort, 5, 10),
			LivenessProbe:   tcpProbe(OTLPGRPCPort, 10, 30),
			Resources:       b.args.CollectorResources.Args(),
			SecurityContext: workload.RestrictedContainer(),
			VolumeMounts:    corev1.VolumeMountArray{workload.Mount("config", collectorConfigDir, true)},
		}},
		Volumes: corev1.VolumeArray{workload.ConfigMapVolume("config", configMap)},
	}
}
