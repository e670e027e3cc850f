// Package jaeger owns distributed tracing: the OpenTelemetry Collector that
// applications send spans to (OTLP gRPC 4317, OTLP HTTP 4318, and the Jaeger
// thrift_http endpoint on 14268 that the seed app's Jaeger exporter uses),
// two Jaeger collectors that write to Cassandra, the Cassandra ring, one
// schema Job per keyspace and Jaeger Query.
//
// The retention policy has two tiers, and each tier is its own keyspace whose
// default TTL is the tier's retention:
//
//   - jaeger_detailed keeps every span for Args.DetailedRetention (30 days);
//   - jaeger_sampled keeps Args.SampledRatio of traces (chosen by trace ID, so
//     a trace is kept whole or not at all) for Args.SampledRetention (90 days).
//
// The OpenTelemetry Collector fans every span out to both Jaeger collectors;
// the sampled one downsamples with --downsampling.ratio. Jaeger Query reads
// jaeger_detailed. To read traces older than the detailed retention, set
// Args.SampledQuery: a second Query (name-query-sampled) reads
// jaeger_sampled; Grafana can add it as a second Jaeger datasource.
//
// The package does not own the namespace, its Pod Security level or its
// network policies (components/platform does).
package jaeger

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Jaeger"

// Pinned images. The Jaeger images share one release.
const (
	DefaultCassandraImage = "cassandra:4.1.7"
	DefaultSchemaImage    = "jaegertracing/jaeger-cassandra-schema:1.62.0"
	DefaultCollectorImage = "jaegertracing/jaeger-collector:1.62.0"
	DefaultQueryImage     = "jaegertracing/jaeger-query:1.62.0"
	DefaultOtelImage      = "otel/opentelemetry-collector:0.115.1"
)

// Keyspaces of the two retention tiers.
const (
	DetailedKeyspace = "jaeger_detailed"
	SampledKeyspace  = "jaeger_sampled"
)

// Ports.
const (
	OTLPGRPCPort       = 4317
	OTLPHTTPPort       = 4318
	JaegerThriftPort   = 14268
	QueryPort          = 16686
	cqlPort            = 9042
	intraNodePort      = 7000
	collectorAdminPort = 14269
	queryAdminPort     = 16687
	otelHealthPort     = 13133
	otelMetricsPort    = 8888
)

// datacenter is the Cassandra datacenter every node joins.
const datacenter = "dc1"

// cassandraUID is the cassandra user of the official image; the Jaeger and
// OpenTelemetry images run as 10001.
const (
	cassandraUID = 999
	jaegerUID    = 10001
)

// Args configure tracing.
type Args struct {
	Namespace string
	// DetailedRetention is how long every span is kept; SampledRetention how
	// long the sampled subset is kept (at least DetailedRetention).
	DetailedRetention time.Duration
	SampledRetention  time.Duration
	// SampledRatio is the fraction of traces kept in the sampled tier, in
	// (0, 1]; 0 means the default 0.1.
	SampledRatio float64
	// CassandraReplicas is 1 or 3+ (two nodes cannot keep a quorum of RF 3).
	CassandraReplicas    int
	CassandraStorageSize string
	// CollectorReplicas applies to the OpenTelemetry Collector and each
	// Jaeger collector.
	CollectorReplicas int
	QueryReplicas     int
	// SampledQuery adds a second Jaeger Query reading the sampled keyspace.
	SampledQuery bool

	CassandraImage, SchemaImage, CollectorImage, QueryImage, OtelImage string
	CassandraResources, CollectorResources, QueryResources             workload.Resources
}

// Jaeger is the component.
type Jaeger struct {
	pulumi.ResourceState

	// OTLPGRPCEndpoint and OTLPHTTPEndpoint are where applications send spans.
	OTLPGRPCEndpoint pulumi.StringOutput `pulumi:"otlpGrpcEndpoint"`
	OTLPHTTPEndpoint pulumi.StringOutput `pulumi:"otlpHttpEndpoint"`
	// JaegerThriftEndpoint is the Jaeger exporter's collector URL (the seed app's).
	JaegerThriftEndpoint pulumi.StringOutput `pulumi:"jaegerThriftEndpoint"`
	// QueryURL is the Jaeger UI and API over the detailed keyspace.
	QueryURL pulumi.StringOutput `pulumi:"queryUrl"`
	// SampledQueryURL is "" unless Args.SampledQuery.
	SampledQueryURL pulumi.StringOutput `pulumi:"sampledQueryUrl"`
}

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("a namespace is required"))
	}
	if a.DetailedRetention < time.Hour {
		errs = append(errs, fmt.Errorf("detailed retention %s is under 1h; set the retention of all spans, e.g. 720h (30 days)", a.DetailedRetention))
	}
	if a.SampledRetention < a.DetailedRetention {
		errs = append(errs, fmt.Errorf("sampled retention %s is shorter than detailed retention %s; keep the sampled tier at least as long", a.SampledRetention, a.DetailedRetention))
	}
	if a.SampledRatio == 0 {
		a.SampledRatio = 0.1
	}
	if a.SampledRatio < 0 || a.SampledRatio > 1 {
		errs = append(errs, fmt.Errorf("sampled ratio %g is outside (0, 1]; use e.g. 0.1 to keep one trace in ten", a.SampledRatio))
	}
	if a.CassandraReplicas == 0 {
		a.CassandraReplicas = 1
	}
	if a.CassandraReplicas < 0 || a.CassandraReplicas == 2 {
		errs = append(errs, fmt.Errorf("%d Cassandra replicas: use 1 (no HA) or 3 or more (two nodes cannot keep a quorum)", a.CassandraReplicas))
	}
	if a.CassandraStorageSize == "" {
		a.CassandraStorageSize = "20Gi"
	}
	if a.CollectorReplicas == 0 {
		a.CollectorReplicas = 1
	}
	if a.QueryReplicas == 0 {
		a.QueryReplicas = 1
	}
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&a.CassandraImage, DefaultCassandraImage)
	def(&a.SchemaImage, DefaultSchemaImage)
	def(&a.CollectorImage, DefaultCollectorImage)
	def(&a.QueryImage, DefaultQueryImage)
	def(&a.OtelImage, DefaultOtelImage)
	if a.CassandraResources == (workload.Resources{}) {
		a.CassandraResources = workload.Resources{RequestsCPU: "500m", RequestsMemory: "2Gi", LimitsCPU: "2", LimitsMemory: "3Gi"}
	}
	if a.CollectorResources == (workload.Resources{}) {
		a.CollectorResources = workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "1Gi"}
	}
	if a.QueryResources == (workload.Resources{}) {
		a.QueryResources = workload.Resources{RequestsCPU: "100m", RequestsMemory: "128Mi", LimitsCPU: "500m", LimitsMemory: "512Mi"}
	}
	return errors.Join(errs...)
}

// tier is one retention tier: a keyspace, its TTL and its Jaeger collector.
type tier struct {
	role     string // "detailed" or "sampled"
	keyspace string
	ttl      time.Duration
	ratio    float64 // 1 keeps every span
}

func (a Args) tiers() []tier {
	return []tier{
		{role: "detailed", keyspace: DetailedKeyspace, ttl: a.DetailedRetention, ratio: 1},
		{role: "sampled", keyspace: SampledKeyspace, ttl: a.SampledRetention, ratio: a.SampledRatio},
	}
}

// schemaEnv is what the jaeger-cassandra-schema image reads: prod mode uses
// NetworkTopologyStrategy (needs a datacenter and a replication factor), test
// mode SimpleStrategy with one replica.
func (a Args) schemaEnv(t tier, cqlHost string) map[string]string {
	env := map[string]string{
		"CQLSH_HOST": cqlHost,
		"KEYSPACE":   t.keyspace,
		"TRACE_TTL":  strconv.FormatInt(int64(t.ttl/time.Second), 10),
		// Service dependency links live as long as the traces they come from.
		"DEPENDENCIES_TTL": strconv.FormatInt(int64(t.ttl/time.Second), 10),
		"MODE":             "test",
	}
	if a.CassandraReplicas >= 3 {
		env["MODE"] = "prod"
		env["DATACENTER"] = datacenter
		env["REPLICATION_FACTOR"] = "3"
	}
	return env
}

// envArray turns a map into a sorted EnvVarArray.
func envArray(m map[string]string) corev1.EnvVarArray {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := corev1.EnvVarArray{}
	for _, k := range keys {
		out = append(out, &corev1.EnvVarArgs{Name: pulumi.String(k), Value: pulumi.String(m[k])})
	}
	return out
}

// writableContainer is the restricted context for images whose entrypoint
// writes under the root filesystem (Cassandra edits its own config files).
func writableContainer() *corev1.SecurityContextArgs {
	c := workload.RestrictedContainer()
	c.ReadOnlyRootFilesystem = pulumi.Bool(false)
	return c
}

func tcpProbe(port, initialDelay, period int) *corev1.ProbeArgs {
	return &corev1.ProbeArgs{
		TcpSocket:           &corev1.TCPSocketActionArgs{Port: pulumi.Int(port)},
		InitialDelaySeconds: pulumi.Int(initialDelay),
		PeriodSeconds:       pulumi.Int(period),
		TimeoutSeconds:      pulumi.Int(5),
		FailureThreshold:    pulumi.Int(6),
	}
}

func port(name string, p int) *corev1.ContainerPortArgs {
	return &corev1.ContainerPortArgs{Name: pulumi.String(name), ContainerPort: pulumi.Int(p)}
}

func svcPort(name string, p int) *corev1.ServicePortArgs {
	return &corev1.ServicePortArgs{Name: pulumi.String(name), Port: pulumi.Int(p), TargetPort: pulumi.String(name)}
}

// New creates tracing.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Jaeger, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("jaeger %q: %w", name, err)
	}
	c := &Jaeger{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	ns := pulumi.String(args.Namespace)
	meta := func(objName string, set labels.Set) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: set.Labels()}
	}
	host := func(svc string) string { return fmt.Sprintf("%s.%s.svc.cluster.local", svc, args.Namespace) }

	// Cassandra: a ring behind a headless Service; node 0 seeds the others.
	cass := labels.Set{Name: "cassandra", Instance: name, Component: "storage"}
	cassName := name + "-cassandra"
	cassSvc, err := corev1.NewService(ctx, conventions.Child(name, "cassandra-service"), &corev1.ServiceArgs{
		Metadata: meta(cassName, cass),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"), Selector: cass.Selector(),
			// Nodes must find each other before any is ready.
			PublishNotReadyAddresses: pulumi.Bool(true),
			Ports:                    corev1.ServicePortArray{svcPort("cql", cqlPort), svcPort("intra-node", intraNodePort)},
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	cqlHost := host(cassName)
	sts, err := appsv1.NewStatefulSet(ctx, conventions.Child(name, "cassandra-statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(cassName, cass),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas: pulumi.Int(args.CassandraReplicas), ServiceName: cassSvc.Metadata.Name().Elem(),
			PodManagementPolicy: pulumi.String("OrderedReady"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: cass.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: cass.Labels()},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken:  pulumi.Bool(false),
					SecurityContext:               workload.PodSecurity(cassandraUID),
					TerminationGracePeriodSeconds: pulumi.Int(120),
					Affinity:                      workload.SpreadAcrossNodes(cass.Selector()),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name: pulumi.String("cassandra"), Image: pulumi.String(args.CassandraImage),
						Env: envArray(map[string]string{
							"CASSANDRA_CLUSTER_NAME":    name,
							"CASSANDRA_DC":              datacenter,
							"CASSANDRA_ENDPOINT_SNITCH": "GossipingPropertyFileSnitch",
							"CASSANDRA_SEEDS":           fmt.Sprintf("%s-0.%s", cassName, cqlHost),
							"MAX_HEAP_SIZE":             "1G",
							"HEAP_NEWSIZE":              "256M",
						}),
						Ports:           corev1.ContainerPortArray{port("cql", cqlPort), port("intra-node", intraNodePort)},
						ReadinessProbe:  tcpProbe(cqlPort, 60, 10),
						LivenessProbe:   tcpProbe(cqlPort, 180, 30),
						Lifecycle:       &corev1.LifecycleArgs{PreStop: &corev1.LifecycleHandlerArgs{Exec: &corev1.ExecActionArgs{Command: pulumi.ToStringArray([]string{"nodetool", "drain"})}}},
						Resources:       args.CassandraResources.Args(),
						SecurityContext: writableContainer(),
						VolumeMounts:    corev1.VolumeMountArray{workload.Mount("data", "/var/lib/cassandra", false)},
					}},
				},
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", args.CassandraStorageSize, cass.Labels())},
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	if args.CassandraReplicas > 1 {
		if _, err := policyv1.NewPodDisruptionBudget(ctx, conventions.Child(name, "cassandra-pdb"), &policyv1.PodDisruptionBudgetArgs{
			Metadata: meta(cassName, cass),
			Spec: &policyv1.PodDisruptionBudgetSpecArgs{
				MaxUnavailable: pulumi.Int(1),
				Selector:       &metav1.LabelSelectorArgs{MatchLabels: cass.Selector()},
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{sts})); err != nil {
			return nil, err
		}
	}

	// One schema Job and one Jaeger collector per tier. A Job's name carries
	// the checksum of its settings: a changed TTL replaces (re-runs) the Job,
	// an unchanged one is left alone.
	collectorServices := map[string]string{}
	for _, t := range args.tiers() {
		env := args.schemaEnv(t, cqlHost)
		envJSON, err := encoding.JSON(env)
		if err != nil {
			return nil, err
		}
		schema := labels.Set{Name: "jaeger", Instance: name, Component: "schema-" + t.role}
		job, err := batchv1.NewJob(ctx, conventions.Child(name, "schema-"+t.role), &batchv1.JobArgs{
			Metadata: meta(fmt.Sprintf("%s-schema-%s-%s", name, t.role, encoding.Checksum(args.SchemaImage, envJSON)[:10]), schema),
			Spec: &batchv1.JobSpecArgs{
				// Cassandra may still be starting: retry rather than fail the update.
				BackoffLimit: pulumi.Int(10),
				Template: &corev1.PodTemplateSpecArgs{
					Metadata: &metav1.ObjectMetaArgs{Labels: schema.Labels()},
					Spec: &corev1.PodSpecArgs{
						RestartPolicy:                pulumi.String("Never"),
						AutomountServiceAccountToken: pulumi.Bool(false),
						SecurityContext:              workload.PodSecurity(jaegerUID),
						Containers: corev1.ContainerArray{&corev1.ContainerArgs{
							Name: pulumi.String("schema"), Image: pulumi.String(args.SchemaImage),
							Env: envArray(env), SecurityContext: writableContainer(),
							Resources: workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "500m", LimitsMemory: "512Mi"}.Args(),
						}},
					},
				},
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{sts}))
		if err != nil {
			return nil, err
		}

		coll := labels.Set{Name: "jaeger", Instance: name, Component: "collector-" + t.role}
		collName := name + "-collector-" + t.role
		var flags []string
		if t.ratio < 1 {
			flags = append(flags, "--downsampling.ratio="+strconv.FormatFloat(t.ratio, 'f', -1, 64))
		}
		ann := pulumi.StringMap{}
		for k, v := range workload.ScrapeAnnotations(collectorAdminPort, "/metrics") {
			ann[k] = pulumi.String(v)
		}
		if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, "collector-"+t.role+"-deployment"), &appsv1.DeploymentArgs{
			Metadata: meta(collName, coll),
			Spec: &appsv1.DeploymentSpecArgs{
				Replicas: pulumi.Int(args.CollectorReplicas),
				Selector: &metav1.LabelSelectorArgs{MatchLabels: coll.Selector()},
				Template: &corev1.PodTemplateSpecArgs{
					Metadata: &metav1.ObjectMetaArgs{Labels: coll.Labels(), Annotations: ann},
					Spec: &corev1.PodSpecArgs{
						AutomountServiceAccountToken: pulumi.Bool(false),
						SecurityContext:              workload.PodSecurity(jaegerUID),
						Affinity:                     workload.SpreadAcrossNodes(coll.Selector()),
						Containers: corev1.ContainerArray{&corev1.ContainerArgs{
							Name: pulumi.String("collector"), Image: pulumi.String(args.CollectorImage),
							Args: pulumi.ToStringArray(flags),
							Env: envArray(map[string]string{
								"SPAN_STORAGE_TYPE":      "cassandra",
								"CASSANDRA_SERVERS":      cqlHost,
								"CASSANDRA_KEYSPACE":     t.keyspace,
								"CASSANDRA_LOCAL_DC":     datacenter,
								"COLLECTOR_OTLP_ENABLED": "true",
							}),
							Ports:           corev1.ContainerPortArray{port("otlp-grpc", OTLPGRPCPort), port("admin", collectorAdminPort)},
							ReadinessProbe:  workload.HTTPProbe("/", collectorAdminPort, 5, 10),
							LivenessProbe:   workload.HTTPProbe("/", collectorAdminPort, 10, 30),
							Resources:       args.CollectorResources.Args(),
							SecurityContext: workload.RestrictedContainer(),
						}},
					},
				},
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{job})); err != nil {
			return nil, err
		}
		if _, err := corev1.NewService(ctx, conventions.Child(name, "collector-"+t.role+"-service"), &corev1.ServiceArgs{
			Metadata: meta(collName, coll),
			Spec:     &corev1.ServiceSpecArgs{Selector: coll.Selector(), Ports: corev1.ServicePortArray{svcPort("otlp-grpc", OTLPGRPCPort)}},
		}, parent); err != nil {
			return nil, err
		}
		collectorServices[t.role] = host(collName)
	}

	// The OpenTelemetry Collector: the one endpoint applications know.
	otelYAML, err := encoding.YAML(otelConfig(collectorServices))
	if err != nil {
		return nil, err
	}
	otel := labels.Set{Name: "opentelemetry-collector", Instance: name, Component: "gateway"}
	otelName := name + "-otel-collector"
	cm, err := corev1.NewConfigMap(ctx, conventions.Child(name, "otel-config"), &corev1.ConfigMapArgs{
		Metadata: meta(otelName, otel),
		Data:     pulumi.StringMap{OtelConfigKey: pulumi.String(otelYAML)},
	}, parent)
	if err != nil {
		return nil, err
	}
	otelAnn := pulumi.StringMap{}
	for k, v := range encoding.ChecksumAnnotation("otel-config", map[string]string{OtelConfigKey: otelYAML}) {
		otelAnn[k] = pulumi.String(v)
	}
	for k, v := range workload.ScrapeAnnotations(otelMetricsPort, "/metrics") {
		otelAnn[k] = pulumi.String(v)
	}
	if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, "otel-deployment"), &appsv1.DeploymentArgs{
		Metadata: meta(otelName, otel),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.CollectorReplicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: otel.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: otel.Labels(), Annotations: otelAnn},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(jaegerUID),
					Affinity:                     workload.SpreadAcrossNodes(otel.Selector()),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name: pulumi.String("otel-collector"), Image: pulumi.String(args.OtelImage),
						Args: pulumi.ToStringArray([]string{"--config=/etc/otelcol/" + OtelConfigKey}),
						Ports: corev1.ContainerPortArray{
							port("otlp-grpc", OTLPGRPCPort), port("otlp-http", OTLPHTTPPort),
							port("jaeger-thrift", JaegerThriftPort), port("health", otelHealthPort), port("metrics", otelMetricsPort),
						},
						ReadinessProbe:  workload.HTTPProbe("/", otelHealthPort, 5, 10),
						LivenessProbe:   workload.HTTPProbe("/", otelHealthPort, 10, 30),
						Resources:       args.CollectorResources.Args(),
						SecurityContext: workload.RestrictedContainer(),
						VolumeMounts:    corev1.VolumeMountArray{workload.Mount("config", "/etc/otelcol", true)},
					}},
					Volumes: corev1.VolumeArray{workload.ConfigMapVolume("config", cm.Metadata.Name().Elem())},
				},
			},
		},
	}, parent); err != nil {
		return nil, err
	}
	otelSvc, err := corev1.NewService(ctx, conventions.Child(name, "otel-service"), &corev1.ServiceArgs{
		Metadata: meta(otelName, otel),
		Spec: &corev1.ServiceSpecArgs{Selector: otel.Selector(), Ports: corev1.ServicePortArray{
			svcPort("otlp-grpc", OTLPGRPCPort), svcPort("otlp-http", OTLPHTTPPort), svcPort("jaeger-thrift", JaegerThriftPort),
		}},
	}, parent)
	if err != nil {
		return nil, err
	}

	queryURL, err := newQuery(ctx, name, "query", DetailedKeyspace, args, cqlHost, meta, host, parent)
	if err != nil {
		return nil, err
	}
	sampledURL := pulumi.String("").ToStringOutput()
	if args.SampledQuery {
		if sampledURL, err = newQuery(ctx, name, "query-sampled", SampledKeyspace, args, cqlHost, meta, host, parent); err != nil {
			return nil, err
		}
	}

	otelHost := otelSvc.Metadata.Name().Elem().ApplyT(host).(pulumi.StringOutput)
	c.OTLPGRPCEndpoint = pulumi.Sprintf("http://%s:%d", otelHost, OTLPGRPCPort)
	c.OTLPHTTPEndpoint = pulumi.Sprintf("http://%s:%d", otelHost, OTLPHTTPPort)
	c.JaegerThriftEndpoint = pulumi.Sprintf("http://%s:%d/api/traces", otelHost, JaegerThriftPort)
	c.QueryURL = queryURL
	c.SampledQueryURL = sampledURL
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"otlpGrpcEndpoint": c.OTLPGRPCEndpoint, "otlpHttpEndpoint": c.OTLPHTTPEndpoint,
		"jaegerThriftEndpoint": c.JaegerThriftEndpoint, "queryUrl": c.QueryURL, "sampledQueryUrl": c.SampledQueryURL,
	})
}

// newQuery runs Jaeger Query over one keyspace and returns its URL.
func newQuery(ctx *pulumi.Context, name, role, keyspace string, args Args, cqlHost string,
	meta func(string, labels.Set) *metav1.ObjectMetaArgs, host func(string) string, parent pulumi.ResourceOption,
) (pulumi.StringOutput, error) {
	set := labels.Set{Name: "jaeger", Instance: name, Component: role}
	objName := name + "-" + role
	ann := pulumi.StringMap{}
	for k, v := range workload.ScrapeAnnotations(queryAdminPort, "/metrics") {
		ann[k] = pulumi.String(v)
	}
	if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, role+"-deployment"), &appsv1.DeploymentArgs{
		Metadata: meta(objName, set),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.QueryReplicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: ann},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(jaegerUID),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name: pulumi.String("query"), Image: pulumi.String(args.QueryImage),
						Env: envArray(map[string]string{
							"SPAN_STORAGE_TYPE":  "cassandra",
							"CASSANDRA_SERVERS":  cqlHost,
							"CASSANDRA_KEYSPACE": keyspace,
							"CASSANDRA_LOCAL_DC": datacenter,
						}),
						Ports:           corev1.ContainerPortArray{port("http", QueryPort), port("admin", queryAdminPort)},
						ReadinessProbe:  workload.HTTPProbe("/", queryAdminPort, 5, 10),
						LivenessProbe:   workload.HTTPProbe("/", queryAdminPort, 10, 30),
						Resources:       args.QueryResources.Args(),
						SecurityContext: workload.RestrictedContainer(),
					}},
				},
			},
		},
	}, parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	svc, err := corev1.NewService(ctx, conventions.Child(name, role+"-service"), &corev1.ServiceArgs{
		Metadata: meta(objName, set),
		Spec:     &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{svcPort("http", QueryPort)}},
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.Sprintf("http://%s:%d", svc.Metadata.Name().Elem().ApplyT(host).(pulumi.StringOutput), QueryPort), nil
}
