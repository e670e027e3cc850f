package jaeger

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// datacenter is the Cassandra datacenter every node joins.
const datacenter = "dc1"

// cassandraDirs are where the image writes besides its data volume, each
// an emptyDir under the read-only root: the configuration the entrypoint
// edits (copied from the image by an init container), the logs, and
// scratch space (the JVM, cqlsh and nodetool state, with HOME=/tmp).
var cassandraDirs = []struct {
	volume, path, sizeLimit string
}{
	{"config", "/etc/cassandra", "16Mi"},
	{"logs", "/var/log/cassandra", "1Gi"},
	{"tmp", "/tmp", "256Mi"},
}

// ring is the Cassandra ring: a StatefulSet behind a headless Service.
type ring struct {
	statefulSet *appsv1.StatefulSet
	// host is the Service's name, which the Jaegers and the schema Jobs dial.
	host string
}

func (b builder) cassandraLabels() labels.Set {
	return labels.Set{Name: "cassandra", Instance: b.name, Component: "storage", Version: conventions.VersionFromImage(b.args.CassandraImage)}
}

// newCassandra creates the ring; node 0 seeds the others.
func (b builder) newCassandra() (*ring, error) {
	set := b.cassandraLabels()
	objName := conventions.Child(b.name, "cassandra")
	svc, err := corev1.NewService(b.ctx, conventions.Child(b.name, "cassandra", "service"), &corev1.ServiceArgs{
		Metadata: b.meta(objName, set),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"), Selector: set.Selector(),
			// Nodes must find each other before any is ready.
			PublishNotReadyAddresses: pulumi.Bool(true),
			Ports:                    corev1.ServicePortArray{svcPort("cql", cqlPort), svcPort("intra-node", intraNodePort)},
		},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	// The claim template keeps the labels the v1 deployment gave it (no
	// version): a StatefulSet's claim templates cannot change, and a
	// replaced StatefulSet would take the whole ring down at once.
	claimLabels := set
	claimLabels.Version = ""
	exporter, err := b.newCassandraExporterConfig(set)
	if err != nil {
		return nil, err
	}
	sts, err := appsv1.NewStatefulSet(b.ctx, conventions.Child(b.name, "cassandra", "statefulset"), &appsv1.StatefulSetArgs{
		Metadata: b.meta(objName, set),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas: pulumi.Int(b.args.CassandraReplicas), ServiceName: svc.Metadata.Name().Elem(),
			PodManagementPolicy: pulumi.String("OrderedReady"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: exporter.annotations},
				Spec:     b.cassandraPod(set, objName, exporter.configMap),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", b.args.CassandraStorageSize, claimLabels.Labels())},
		},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	if err := b.pdb(conventions.Child(b.name, "cassandra", "pdb"), objName, set, b.args.CassandraReplicas, sts); err != nil {
		return nil, err
	}
	return &ring{statefulSet: sts, host: b.host(objName)}, nil
}

func (b builder) cassandraPod(set labels.Set, objName string, exporterConfig pulumi.StringOutput) *corev1.PodSpecArgs {
	sec := workload.PodSecurity(cassandraUID)
	// Re-own a large data volume only when its root is not yet ours.
	sec.FsGroupChangePolicy = pulumi.String("OnRootMismatch")
	volumes := corev1.VolumeArray{}
	for _, d := range cassandraDirs {
		volumes = append(volumes, &corev1.VolumeArgs{Name: pulumi.String(d.volume),
			EmptyDir: &corev1.EmptyDirVolumeSourceArgs{SizeLimit: pulumi.String(d.sizeLimit)}})
	}
	return &corev1.PodSpecArgs{
		AutomountServiceAccountToken:  pulumi.Bool(false),
		SecurityContext:               sec,
		TerminationGracePeriodSeconds: pulumi.Int(120),
		Affinity:                      workload.SpreadAcrossNodes(set.Selector()),
		InitContainers: corev1.ContainerArray{&corev1.ContainerArgs{
			// The entrypoint rewrites cassandra.yaml in place: it gets a
			// writable copy of the image's configuration.
			Name: pulumi.String("config"), Image: pulumi.String(b.args.CassandraImage),
			Command:         pulumi.ToStringArray([]string{"cp", "-R", "/etc/cassandra/.", "/config/"}),
			Resources:       smallJob.Args(),
			SecurityContext: workload.RestrictedContainer(),
			VolumeMounts:    corev1.VolumeMountArray{workload.Mount("config", "/config", false)},
		}},
		Containers: corev1.ContainerArray{b.cassandraContainer(objName), b.cassandraExporterContainer()},
		Volumes:    append(volumes, cassandraExporterVolumes(exporterConfig)...),
	}
}

func (b builder) cassandraContainer(objName string) *corev1.ContainerArgs {
	mounts := corev1.VolumeMountArray{workload.Mount("data", "/var/lib/cassandra", false)}
	for _, d := range cassandraDirs {
		mounts = append(mounts, workload.Mount(d.volume, d.path, false))
	}
	return &corev1.ContainerArgs{
		Name: pulumi.String("cassandra"), Image: pulumi.String(b.args.CassandraImage),
		Env: corev1.EnvVarArray{
			workload.Env("CASSANDRA_CLUSTER_NAME", b.name),
			workload.Env("CASSANDRA_DC", datacenter),
			workload.Env("CASSANDRA_ENDPOINT_SNITCH", "GossipingPropertyFileSnitch"),
			workload.Env("CASSANDRA_SEEDS", conventions.PodHost(objName+"-0", objName, b.args.Namespace)),
			workload.Env("HEAP_NEWSIZE", "256M"),
			workload.Env("HOME", "/tmp"),
			workload.Env("MAX_HEAP_SIZE", "1G"),
		},
		Ports: corev1.ContainerPortArray{port("cql", cqlPort), port("intra-node", intraNodePort)},
		// Ready once it serves CQL; alive while it gossips (the intra-node
		// port opens before CQL and stays open while CQL may be busy).
		ReadinessProbe:  tcpProbe(cqlPort, 60, 10),
		LivenessProbe:   tcpProbe(intraNodePort, 180, 30),
		Lifecycle:       &corev1.LifecycleArgs{PreStop: &corev1.LifecycleHandlerArgs{Exec: &corev1.ExecActionArgs{Command: pulumi.ToStringArray([]string{"nodetool", "drain"})}}},
		Resources:       b.args.CassandraResources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		VolumeMounts:    mounts,
	}
}

// smallJob sizes the init and schema containers.
var smallJob = workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "500m", LimitsMemory: "512Mi",
	RequestsEphemeralStorage: "16Mi", LimitsEphemeralStorage: "64Mi"}
