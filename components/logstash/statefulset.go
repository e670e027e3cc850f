package logstash

import (
	"fmt"
	"maps"
	"math"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// configFiles are the rendered files by ConfigMap; each has its own
// checksum, so a change rolls the pods once and says which file moved.
type configFiles struct {
	settings, pipeline map[string]string
}

// services are the headless Service that governs the StatefulSet and the
// ClusterIP Service senders use, both with the beats and http ports.
func (o objects) services() (headless, client *corev1.Service, err error) {
	ports := func() corev1.ServicePortArray {
		out := corev1.ServicePortArray{}
		for _, p := range []struct {
			name string
			port int
		}{{"beats", BeatsPort}, {"http", HTTPPort}} {
			out = append(out, &corev1.ServicePortArgs{Name: pulumi.String(p.name), Port: pulumi.Int(p.port), TargetPort: pulumi.String(p.name), Protocol: pulumi.String("TCP")})
		}
		return out
	}
	headless, err = corev1.NewService(o.ctx, o.role("headless-service"), &corev1.ServiceArgs{
		Metadata: o.meta(o.role("headless")),
		Spec:     &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: o.labels.Selector(), Ports: ports()},
	}, o.parent)
	if err != nil {
		return nil, nil, err
	}
	client, err = corev1.NewService(o.ctx, o.role("service"), &corev1.ServiceArgs{
		Metadata: o.meta(o.name),
		Spec:     &corev1.ServiceSpecArgs{Type: pulumi.String("ClusterIP"), Selector: o.labels.Selector(), Ports: ports()},
	}, o.parent)
	return headless, client, err
}

// statefulSet runs the replicas, each with its queue volume, and with more
// than one a disruption budget that keeps all but one up.
func (o objects) statefulSet(files configFiles, headless *corev1.Service, settings, pipeline *corev1.ConfigMap, credentials pulumi.StringInput) error {
	args := o.args
	annotations := encoding.ChecksumAnnotation("settings", files.settings)
	for k, v := range encoding.ChecksumAnnotation("pipeline", files.pipeline) {
		annotations[k] = v
	}
	// Prometheus scrapes the stats sidecar (StatsProbe).
	maps.Copy(annotations, StatsProbe().Annotations())
	claim := workload.VolumeClaim("data", args.StorageSize, o.labels.Labels())
	if args.StorageClassName != "" {
		claim.Spec.(*corev1.PersistentVolumeClaimSpecArgs).StorageClassName = pulumi.String(args.StorageClassName)
	}
	if _, err := appsv1.NewStatefulSet(o.ctx, o.role("statefulset"), &appsv1.StatefulSetArgs{
		Metadata: o.meta(o.name),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:    pulumi.Int(args.Replicas),
			ServiceName: headless.Metadata.Name().Elem(),
			// Replicas are independent; none waits for another.
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: o.labels.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: o.labels.Labels(), Annotations: pulumi.ToStringMap(annotations)},
				Spec:     podSpec(args, o.labels, settings.Metadata.Name().Elem(), pipeline.Metadata.Name().Elem(), credentials),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{claim},
		},
	}, o.parent); err != nil {
		return err
	}
	// One replica has nothing to keep available, and a budget would block
	// node drains forever.
	if args.Replicas <= 1 {
		return nil
	}
	_, err := policyv1.NewPodDisruptionBudget(o.ctx, o.role("pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: o.meta(o.name),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: o.labels.Selector()},
		},
	}, o.parent)
	return err
}

func podSpec(args Args, lbl labels.Set, settings, pipeline, credentials pulumi.StringInput) *corev1.PodSpecArgs {
	es := args.Elasticsearch
	heapSize, _ := resource.ParseQuantity(args.HeapSize) // checked in withDefaults
	heap := jvmSize(heapSize)
	spec := &corev1.PodSpecArgs{
		NodeSelector: pulumi.StringMap{"kubernetes.io/os": pulumi.String("linux")},
		// The entrypoint copies any environment variable named like a
		// setting into logstash.yml, which is read-only here; Service links
		// (a Service "api-http" gives API_HTTP_PORT) could name one.
		EnableServiceLinks: pulumi.Bool(false),
		// Logstash never calls the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(uid),
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:  pulumi.String("logstash"),
			Image: pulumi.String(args.Image),
			// None of these is named like a setting (see EnableServiceLinks).
			Env: corev1.EnvVarArray{
				workload.Env("LS_JAVA_OPTS", "-Xms"+heap+" -Xmx"+heap),
				workload.SecretEnv(EnvUser, credentials, es.UsernameKey),
				workload.SecretEnv(EnvPassword, credentials, es.PasswordKey),
			},
			Ports: corev1.ContainerPortArray{
				&corev1.ContainerPortArgs{Name: pulumi.String("beats"), ContainerPort: pulumi.Int(BeatsPort), Protocol: pulumi.String("TCP")},
				&corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(HTTPPort), Protocol: pulumi.String("TCP")},
				&corev1.ContainerPortArgs{Name: pulumi.String("api"), ContainerPort: pulumi.Int(APIPort), Protocol: pulumi.String("TCP")},
			},
			Resources: args.Resources.Args(),
			// The JVM and the pipeline take a while to start.
			// The API answers slowly while a pipeline is back-pressured by
			// Elasticsearch: readiness says so, liveness restarts only a
			// Logstash that stopped listening (a restart would not help).
			LivenessProbe:   workload.TCPProbe(APIPort, 120, 30),
			ReadinessProbe:  workload.HTTPProbe("/", APIPort, 30, 10),
			SecurityContext: workload.RestrictedContainer(),
			VolumeMounts: corev1.VolumeMountArray{
				&corev1.VolumeMountArgs{Name: pulumi.String("settings"), MountPath: pulumi.String(SettingsFile), SubPath: pulumi.String("logstash.yml"), ReadOnly: pulumi.Bool(true)},
				workload.Mount("pipeline", PipelineDir, true),
				workload.Mount("elasticsearch-ca", CADir, true),
				workload.Mount("data", DataDir, false),
				workload.Mount("tmp", "/tmp", false),
			},
		}, jsonprobe.Container("settings")},
		Volumes: corev1.VolumeArray{
			workload.ConfigMapVolume("settings", settings),
			workload.ConfigMapVolume("pipeline", pipeline),
			workload.SecretVolume("elasticsearch-ca", es.CASecretName),
			workload.EmptyDir("tmp"),
		},
		// Time to write in-flight batches to the queue on the way out.
		TerminationGracePeriodSeconds: pulumi.Int(60),
	}
	if args.Replicas > 1 {
		spec.Affinity = workload.SpreadAcrossNodes(lbl.Selector())
	}
	return spec
}

// jvmSize spells a quantity for -Xms/-Xmx in whole mebibytes.
func jvmSize(q resource.Quantity) string {
	return fmt.Sprintf("%dm", int64(math.Floor(float64(q.Value())/(1<<20))))
}
