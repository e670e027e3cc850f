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

// jaegerConfigDir is where a Jaeger pod reads its configuration.
const jaegerConfigDir = "/etc/jaeger"

// tierService is what a tier's Jaeger gives the others.
type tierService struct {
	// host is its Service's in-cluster name (OTLP in, query out).
	host string
	// queryURL is its query API and UI; it resolves once the Service exists.
	queryURL pulumi.StringOutput
}

// newTier runs one tier's Jaeger v2 (ingest and query in one process, so
// what the live test runs is what is deployed) after its schema Job.
func (b builder) newTier(t tier, r *ring, schemaJob pulumi.Resource) (*tierService, error) {
	objName := t.object(b.name)
	set := labels.Set{Name: "jaeger", Instance: b.name, Component: t.role, Version: conventions.VersionFromImage(b.args.JaegerImage)}
	cfgYAML, err := render(tierConfig(b.name, t, r.host))
	if err != nil {
		return nil, fmt.Errorf("%s config: %w", t.role, err)
	}
	cm, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, t.role, "config"), &corev1.ConfigMapArgs{
		Metadata: b.meta(objName, set),
		Data:     pulumi.StringMap{ConfigKey: pulumi.String(cfgYAML)},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	dep, err := appsv1.NewDeployment(b.ctx, conventions.Child(b.name, t.role, "deployment"), &appsv1.DeploymentArgs{
		Metadata: b.meta(objName, set),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(b.args.CollectorReplicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: annotations(
					encoding.ChecksumAnnotation(t.role+"-config", map[string]string{ConfigKey: cfgYAML}),
					workload.ScrapeAnnotations(metricsPort, "/metrics"),
				)},
				Spec: b.jaegerPod(set, cm.Metadata.Name().Elem()),
			},
		},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{schemaJob}))
	if err != nil {
		return nil, err
	}
	if err := b.pdb(conventions.Child(b.name, t.role, "pdb"), objName, set, b.args.CollectorReplicas, dep); err != nil {
		return nil, err
	}
	svc, err := corev1.NewService(b.ctx, conventions.Child(b.name, t.role, "service"), &corev1.ServiceArgs{
		Metadata: b.meta(objName, set),
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			svcPort("otlp-grpc", OTLPGRPCPort), svcPort("query-http", QueryPort), svcPort("query-grpc", queryGRPCPort),
		}},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	return &tierService{
		host:     b.host(objName),
		queryURL: conventions.ServiceURLOutput("http", svc.Metadata.Name().Elem(), b.args.Namespace, QueryPort),
	}, nil
}

func (b builder) jaegerPod(set labels.Set, configMap pulumi.StringInput) *corev1.PodSpecArgs {
	return &corev1.PodSpecArgs{
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(jaegerUID),
		Affinity:                     workload.SpreadAcrossNodes(set.Selector()),
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name: pulumi.String("jaeger"), Image: pulumi.String(b.args.JaegerImage),
			Args: pulumi.ToStringArray([]string{"--config=file:" + jaegerConfigDir + "/" + ConfigKey}),
			Ports: corev1.ContainerPortArray{
				port("otlp-grpc", OTLPGRPCPort), port("query-http", QueryPort), port("query-grpc", queryGRPCPort),
				port("health", healthPort), port("metrics", metricsPort),
			},
			// Ready when every component reports healthy; alive while the
			// health endpoint accepts connections (a Cassandra hiccup must
			// not restart it).
			ReadinessProbe:  workload.HTTPProbe("/status", healthPort, 5, 10),
			LivenessProbe:   tcpProbe(healthPort, 10, 30),
			Resources:       b.args.JaegerResources.Args(),
			SecurityContext: workload.RestrictedContainer(),
			VolumeMounts: corev1.VolumeMountArray{
				workload.Mount("config", jaegerConfigDir, true),
				// The image declares /tmp a volume.
				workload.Mount("tmp", "/tmp", false),
			},
		}},
		Volumes: corev1.VolumeArray{workload.ConfigMapVolume("config", configMap), workload.EmptyDir("tmp")},
	}
}
