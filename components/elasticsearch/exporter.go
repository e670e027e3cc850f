package elasticsearch

import (
	"fmt"
	"maps"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

// ExporterName is the app.kubernetes.io/name of the exporter's pods, so the
// `service` label of its series (the Prometheus annotation job takes it
// from that label).
const ExporterName = "elasticsearch-exporter"

// ExporterPort is the elasticsearch_exporter's registered default port.
const ExporterPort = 9114

// ExporterUser is the Elasticsearch user the exporter reads with. The
// collectors below call cluster, node, ILM, SLM and snapshot APIs, which
// need the monitor cluster privileges of a user whose password the stack
// already holds; a dedicated least-privilege user would need a new stack
// secret.
const ExporterUser = "elastic"

const exporterCAPath = "/etc/elasticsearch-exporter/ca"

// exporterArgs are the exporter's flags (elasticsearch_exporter v1.11.0,
// main.go and collector/*.go): every node's stats (--es.all: one exporter
// for the whole cluster), the cluster settings (the disk watermarks the
// disk alert compares with), ILM (an index stuck in the ERROR step), SLM
// (failed policy runs) and the snapshots of each repository (the newest
// successful one). Per-index stats (--es.indices) are left off: a series
// per backing index per metric, and no alert reads them.
func exporterArgs(esURL string) []string {
	return []string{
		"--es.uri=" + esURL,
		"--es.all",
		"--es.ca=" + exporterCAPath + "/" + CASecretKey,
		"--es.timeout=8s",
		"--collector.clustersettings",
		"--collector.ilm",
		"--collector.slm",
		"--collector.snapshots",
		fmt.Sprintf("--web.listen-address=:%d", ExporterPort),
	}
}

// exporter runs the metrics exporter as its own Deployment, not as a
// sidecar of the nodes: every metric the alerts read is about the whole
// cluster (health, settings, ILM, SLM, snapshots) or is fetched for every
// node at once (--es.all), so one exporter is enough and a sidecar per node
// would expose each cluster metric once per node; and a new exporter
// release must not restart the Elasticsearch nodes. It reads the elastic
// password from the credentials Secret and verifies the client Service
// with the CA Secret, which exist once setupJob has run.
func (o objects) exporter(credentials pulumi.StringOutput, setupJob *batchv1.Job) error {
	set := labels.Set{Name: ExporterName, Instance: o.name, Component: "exporter", Version: conventions.VersionFromImage(pins.ElasticsearchExporterImage)}
	annotations := maps.Clone(workload.ScrapeAnnotations(ExporterPort, "/metrics"))
	esURL := conventions.ServiceURL("https", ServiceName(o.name), o.args.Namespace, HTTPPort)
	container := &corev1.ContainerArgs{
		Name:  pulumi.String(ExporterName),
		Image: pulumi.String(pins.ElasticsearchExporterImage),
		Args:  pulumi.ToStringArray(exporterArgs(esURL)),
		Env: corev1.EnvVarArray{
			workload.Env("ES_USERNAME", ExporterUser),
			workload.SecretEnv("ES_PASSWORD", credentials, SecretKeyElastic),
		},
		Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{
			Name: pulumi.String("metrics"), ContainerPort: pulumi.Int(ExporterPort), Protocol: pulumi.String("TCP"),
		}},
		VolumeMounts:    corev1.VolumeMountArray{workload.Mount("ca", exporterCAPath, true)},
		Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "64Mi", LimitsCPU: "250m", LimitsMemory: "128Mi"}.Args(),
		SecurityContext: workload.RestrictedContainer(),
		// Alive while it listens, ready while /healthz answers; whether
		// Elasticsearch answers is the alerts' business, never a reason to
		// restart the exporter.
		LivenessProbe:  workload.TCPProbe(ExporterPort, 5, 30),
		ReadinessProbe: workload.HTTPProbe("/healthz", ExporterPort, 5, 10),
	}
	_, err := appsv1.NewDeployment(o.ctx, o.role("exporter"), &appsv1.DeploymentArgs{
		Metadata: o.meta(conventions.Child(o.name, "exporter"), set),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: pulumi.ToStringMap(annotations)},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(65534),
					Containers:                   corev1.ContainerArray{container},
					Volumes: corev1.VolumeArray{&corev1.VolumeArgs{Name: pulumi.String("ca"), Secret: &corev1.SecretVolumeSourceArgs{
						SecretName: pulumi.String(CASecretName(o.name)), DefaultMode: pulumi.Int(0o444),
					}}},
				},
			},
		},
	}, o.parent, pulumi.DependsOn([]pulumi.Resource{setupJob}))
	return err
}
