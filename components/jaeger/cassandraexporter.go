package jaeger

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// Cassandra's metrics come from Criteo's cassandra_exporter
// (internal/pins CassandraExporterImage) in a sidecar that reads the node's
// JMX on localhost:7199, where the official image's cassandra-env.sh binds
// it (LOCAL_JMX=yes: loopback only, no authentication), so nothing about
// Cassandra itself changes. The alternative, Prometheus's JMX exporter as
// a -javaagent through JVM_EXTRA_OPTS, needs its jar in the pod: the
// official Cassandra image lacks it and the JMX exporter project publishes
// jars only, no image to copy one from at a pinned tag. The sidecar also
// keeps a slow or leaking exporter out of Cassandra's JVM, and it reads
// JMX on its own schedule (not per scrape), which the exporter's authors
// chose because some MBeans are costly for the node.
const (
	// CassandraExporterPort serves the exporter's /metrics.
	CassandraExporterPort = 8080
	jmxPort               = 7199
	// cassandraExporterConfigKey is the file the image's run.sh copies to
	// /tmp and applies its CASSANDRA_EXPORTER_CONFIG_* overrides to.
	cassandraExporterConfigKey = "config.yml"
	cassandraExporterConfigDir = "/etc/cassandra_exporter"
)

// cassandraExporterConfig is the part of the exporter's config.yml this
// package writes, with the exporter's keys (Config.java at 2.3.8).
type cassandraExporterConfig struct {
	Host       string `json:"host"`
	SSL        bool   `json:"ssl"`
	ListenPort int    `json:"listenPort"`
	// Blacklist drops MBeans before their attributes are listed; the
	// frequencies then act as the allow-list: an attribute matching no
	// pattern there is never read.
	Blacklist              []string            `json:"blacklist"`
	MaxScrapFrequencyInSec map[string][]string `json:"maxScrapFrequencyInSec"`
}

// cassandraExporterMetrics are the attribute paths the platform alerts read
// (rules/platform_tracing_store.go), as the exporter names them: the MBean
// name lower-cased with ":type=", ",<key>=" and "." turned into ":", then
// the attribute. Reading only these keeps the JMX work and the series few.
var cassandraExporterMetrics = []string{
	// StorageService and ColumnFamilies are read by the exporter itself
	// for its cluster/datacenter/keyspace labels, whatever the list says.
	`org:apache:cassandra:net:failuredetector:(down|up)endpointcount`,
	`org:apache:cassandra:metrics:compaction:pendingtasks:value`,
	`org:apache:cassandra:metrics:droppedmessage:[^:]+:dropped:count`,
	`org:apache:cassandra:metrics:clientrequest:(read|write):(timeouts|unavailables|failures):count`,
}

func renderCassandraExporterConfig() (string, error) {
	return encoding.YAML(cassandraExporterConfig{
		Host: fmt.Sprintf("localhost:%d", jmxPort), ListenPort: CassandraExporterPort,
		// Operations, not metrics (the exporter's own advice), and
		// columnfamily, an alias of the table metrics.
		Blacklist: []string{`org:apache:cassandra:db:.*`, `org:apache:cassandra:metrics:columnfamily:.*`},
		// 50 s is the exporter's default cycle; it never goes under 10 s.
		MaxScrapFrequencyInSec: map[string][]string{"50": cassandraExporterMetrics},
	})
}

// cassandraExporterFiles is the exporter's ConfigMap and the pod-template
// annotations that roll the ring when it changes and mark the pods for the
// annotation scrape job.
type cassandraExporterFiles struct {
	configMap   pulumi.StringOutput
	annotations pulumi.StringMap
}

func (b builder) newCassandraExporterConfig(set labels.Set) (cassandraExporterFiles, error) {
	cfg, err := renderCassandraExporterConfig()
	if err != nil {
		return cassandraExporterFiles{}, fmt.Errorf("cassandra exporter config: %w", err)
	}
	files := map[string]string{cassandraExporterConfigKey: cfg}
	objName := conventions.Child(b.name, "cassandra-exporter")
	cm, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "cassandra", "exporter-config"), &corev1.ConfigMapArgs{
		Metadata: b.meta(objName, set), Data: pulumi.ToStringMap(files),
	}, b.parent)
	if err != nil {
		return cassandraExporterFiles{}, err
	}
	return cassandraExporterFiles{
		configMap: cm.Metadata.Name().Elem(),
		annotations: annotations(encoding.ChecksumAnnotation("cassandra-exporter", files),
			workload.ScrapeAnnotations(CassandraExporterPort, "/metrics")),
	}, nil
}

// cassandraExporterContainer is the sidecar. It starts listening only once
// Cassandra's JMX answers (run.sh waits for the port), so its liveness
// waits as long as Cassandra's. Its readiness (a /metrics that answers,
// cheap: the values are read in the background) holds a rollout whose node
// cannot be watched; clients are unaffected, since the ring's Service
// publishes nodes that are not ready.
func (b builder) cassandraExporterContainer() *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name: pulumi.String("cassandra-exporter"), Image: pulumi.String(b.args.CassandraExporterImage),
		// The JVM would size its heap from the container limit; the
		// exporter holds a few hundred series.
		Env:             corev1.EnvVarArray{workload.Env("JVM_OPTS", "-Xms32m -Xmx96m")},
		Ports:           corev1.ContainerPortArray{port("metrics", CassandraExporterPort)},
		ReadinessProbe:  workload.HTTPProbe("/metrics", CassandraExporterPort, 60, 10),
		LivenessProbe:   tcpProbe(CassandraExporterPort, 180, 30),
		Resources:       b.args.CassandraExporterResources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		VolumeMounts: corev1.VolumeMountArray{
			workload.Mount("exporter-config", cassandraExporterConfigDir, true),
			workload.Mount("exporter-tmp", "/tmp", false),
		},
	}
}

// cassandraExporterVolumes are its configuration and its /tmp (run.sh
// writes the effective config.yml there, the JVM its perf data).
func cassandraExporterVolumes(configMap pulumi.StringOutput) corev1.VolumeArray {
	return corev1.VolumeArray{
		workload.ConfigMapVolume("exporter-config", configMap),
		&corev1.VolumeArgs{Name: pulumi.String("exporter-tmp"), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{SizeLimit: pulumi.String("32Mi")}},
	}
}
