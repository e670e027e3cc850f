// Package elasticsearch owns the log store: the Elasticsearch StatefulSet
// with security on, its Services and disruption budget, its TLS material,
// the credentials Secret of the built-in users, and the in-cluster Job that
// applies the log retention (ILM policies, data stream templates, the
// snapshot repository and the nightly snapshot of audit logs). It does not
// own Kibana (components/kibana), the shippers that write logs
// (Fluentd, Logstash), the snapshot bucket (components/bucket) or the
// namespace it runs in, and it never reads stack config.
//
// # TLS
//
// TLS is on for transport and HTTP. Private keys are made and kept inside
// the cluster only; none is in this repository, in Pulumi state or in a
// rendered manifest:
//
//   - The CA Job (<name>-ca-<hash>) runs elasticsearch-certutil once to
//     create a CA (10 years) and stores it in the Secret <name>-ca-keypair
//     through the Kubernetes API. An existing Secret is kept, so the CA
//     survives re-runs; to bring your own CA, create that Secret (keys
//     ca.crt and ca.key) before the first deployment. The Secret is not a
//     Pulumi resource and outlives `pulumi destroy` until its namespace goes.
//   - The Job publishes the CA certificate alone (no key) as the Secret
//     <name>-ca (key ca.crt) in the Elasticsearch namespace and in every
//     Args.TrustNamespaces entry; clients (Kibana, Fluentd, Logstash,
//     Grafana, the setup Job) mount it and verify the server. It is a
//     Secret, not a ConfigMap, because that is what the shippers take.
//   - Every node's init container issues its own certificate (2 years) from
//     the CA at each start, for its pod IP, its stable name behind the
//     headless Service and the client Service's names, into a
//     memory-backed volume. Only that init container mounts the CA key.
//
// Transport verifies the certificate chain only (nodes dial pod IPs); HTTP
// clients verify the chain and the host name.
//
// # Passwords
//
// The elastic password reaches the nodes as ELASTIC_PASSWORD (the image's
// bootstrap password, used only until the security index exists); the setup
// Job sets kibana_system's password and, when given, creates the log
// writer user and Grafana's read-only user. Rotating a password later is done in Elasticsearch first,
// then in the stack's secret; the Job does not change the elastic password.
//
// # Cluster formation
//
// One replica runs single-node discovery. Three or more find each other
// through the headless Service (discovery.seed_hosts) and bootstrap the
// first time with cluster.initial_master_nodes = the pod names. That setting
// only matters to a cluster that has never formed: once it has, set
// Args.ClusterBootstrapped so it is dropped, as Elasticsearch recommends
// (a node that lost its data could otherwise bootstrap a second cluster).
// Two replicas are refused: losing either one stops the cluster.
//
// # vm.max_map_count
//
// Elasticsearch needs vm.max_map_count >= 262144 on the node. MaxMapCount
// chooses how: a privileged init container runs sysctl (the namespace must
// allow privileged pods), or the nodes are already configured ("node": for
// example a sysctl in the node image or a DaemonSet the cluster team runs),
// or mmap is switched off (node.store.allow_mmap: false, for local
// clusters where neither is possible; slower).
package elasticsearch

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Elasticsearch"

// DefaultImage is the Elasticsearch release; the go-elasticsearch typed
// API (v8.19.7 in go.mod) that builds and checks the request bodies is of
// the same release, so keep the two in step. Kibana pins the same version.
const DefaultImage = "docker.elastic.co/elasticsearch/elasticsearch:8.19.7"

// Ports.
const (
	HTTPPort      = 9200
	TransportPort = 9300
)

// Keys of the credentials Secret, the log writer Secret and the CA Secret.
const (
	SecretKeyElastic      = "elastic"
	SecretKeyKibanaSystem = "kibana_system"
	// SecretKeyGrafanaReader is in the credentials Secret only when
	// Args.GrafanaReaderPassword is set: the setup Job reads it there.
	SecretKeyGrafanaReader = "grafana_reader"
	// The log writer Secret uses the keys Fluentd and Logstash read by default.
	LogWriterUsernameKey = "username"
	LogWriterPasswordKey = "password"
	CASecretKey          = "ca.crt"
)

const (
	uid         = 1000 // the image's elasticsearch user
	maxNameSize = 40   // Job names add up to 17 characters and must stay DNS labels
)

// MaxMapCountMode says how the node's vm.max_map_count is met.
type MaxMapCountMode string

// vm.max_map_count modes.
const (
	// MaxMapCountInitContainer runs a privileged init container with sysctl.
	MaxMapCountInitContainer MaxMapCountMode = "init-container"
	// MaxMapCountNode trusts the nodes to be configured already.
	MaxMapCountNode MaxMapCountMode = "node"
	// MaxMapCountNoMmap turns mmap off so the setting is not needed.
	MaxMapCountNoMmap MaxMapCountMode = "no-mmap"
)

// Args configure Elasticsearch.
type Args struct {
	// Namespace the cluster runs in (required).
	Namespace string
	// Replicas of the StatefulSet: 1 (dev, local) or 3 or more (prod); all
	// nodes hold every role. 2 is refused.
	Replicas int
	// ClusterBootstrapped drops cluster.initial_master_nodes once the
	// cluster has formed (see the package documentation).
	ClusterBootstrapped bool
	// StorageSize of each node's data volume, e.g. "100Gi" (required).
	StorageSize string
	// StorageClassName of the data volumes; empty uses the cluster default.
	StorageClassName string
	// Heap is the JVM heap, a Kubernetes quantity such as "2Gi"; at most
	// half of Resources.LimitsMemory (the rest is the filesystem cache).
	Heap string
	// Resources default to 1 CPU and 4Gi (request = limit for memory).
	Resources workload.Resources
	// MaxMapCount defaults to MaxMapCountInitContainer.
	MaxMapCount MaxMapCountMode
	// Image defaults to DefaultImage.
	Image string
	// ClusterDomain defaults to cluster.local.
	ClusterDomain string
	// TrustNamespaces get the CA certificate Secret too, for clients
	// outside the Elasticsearch namespace (e.g. Grafana's).
	TrustNamespaces []string

	// ElasticPassword is the superuser's password (required, secret).
	ElasticPassword pulumi.StringInput
	// KibanaSystemPassword is the password Kibana connects with (required, secret).
	KibanaSystemPassword pulumi.StringInput
	// LogWriterPassword, when set, creates the user LogWriterUser that may
	// only write to the log data streams, for Fluentd and Logstash (secret).
	LogWriterPassword pulumi.StringInput
	// GrafanaReaderPassword, when set, creates the user GrafanaReaderUser
	// that may only read the log data streams, for Grafana (secret).
	GrafanaReaderPassword pulumi.StringInput
	// GrafanaReaderNamespace is where the Secret GrafanaReaderSecretName
	// (user and password) goes: a pod reads Secrets of its own namespace
	// only, so this is Grafana's. Defaults to Namespace.
	GrafanaReaderNamespace string

	Retention Retention
	Snapshots Snapshots
}

// Elasticsearch is the component.
type Elasticsearch struct {
	pulumi.ResourceState

	// URL is the HTTPS endpoint of the client Service. It resolves once the
	// setup Job has applied the templates, so writers never create a data
	// stream before its template exists.
	URL pulumi.StringOutput `pulumi:"url"`
	// ServiceName and Namespace name the client Service (port HTTPPort).
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	Namespace   pulumi.StringOutput `pulumi:"namespace"`
	// Host is the client Service's DNS name, which every node certificate
	// carries; it resolves with URL.
	Host pulumi.StringOutput `pulumi:"host"`
	// CredentialsSecret holds SecretKeyElastic and SecretKeyKibanaSystem.
	CredentialsSecret pulumi.StringOutput `pulumi:"credentialsSecret"`
	// CASecret holds the CA certificate alone (CASecretKey) in the namespace
	// and every trust namespace; it resolves once the CA Job has run.
	CASecret pulumi.StringOutput `pulumi:"caSecret"`
	// ApplicationDataStream and AuditDataStream are where writers send
	// application logs and audit events.
	ApplicationDataStream pulumi.StringOutput `pulumi:"applicationDataStream"`
	AuditDataStream       pulumi.StringOutput `pulumi:"auditDataStream"`
	// LogWriterUser is the writers' user name, and LogWriterSecret holds it
	// and its password (LogWriterUsernameKey, LogWriterPasswordKey); both
	// are "" without LogWriterPassword.
	LogWriterUser   pulumi.StringOutput `pulumi:"logWriterUser"`
	LogWriterSecret pulumi.StringOutput `pulumi:"logWriterSecret"`
	// GrafanaReaderUser is Grafana's read-only user name, and
	// GrafanaReaderSecret, in GrafanaReaderNamespace, holds it and its
	// password (LogWriterUsernameKey, LogWriterPasswordKey); both resolve
	// once the setup Job has created the user, and are "" without
	// GrafanaReaderPassword.
	GrafanaReaderUser   pulumi.StringOutput `pulumi:"grafanaReaderUser"`
	GrafanaReaderSecret pulumi.StringOutput `pulumi:"grafanaReaderSecret"`
	// SetupJob is the name of the Job that applied the current bodies.
	SetupJob pulumi.StringOutput `pulumi:"setupJob"`
}

// ServiceName is the client Service of a component instance, known before
// it exists.
func ServiceName(name string) string { return name }

// Host is the DNS name of the client Service of a component instance in a
// namespace; writers whose configuration is rendered before anything
// registers (Fluentd, Logstash) take it as a plain string.
func Host(name, namespace string) string {
	return conventions.ServiceHost(ServiceName(name), namespace)
}

// HeadlessServiceName is the governing Service of the StatefulSet.
func HeadlessServiceName(name string) string { return name + "-headless" }

// CredentialsSecretName is the Secret of the built-in users' passwords.
func CredentialsSecretName(name string) string { return name + "-credentials" }

// CASecretName is the Secret that carries the CA certificate (no key).
func CASecretName(name string) string { return name + "-ca" }

// LogWriterSecretName is the Secret of the log writer's user and password.
func LogWriterSecretName(name string) string { return name + "-log-writer" }

// GrafanaReaderSecretName is the Secret of Grafana's read-only user and
// password, in Args.GrafanaReaderNamespace.
func GrafanaReaderSecretName(name string) string { return name + "-grafana-reader" }

// caKeypairSecretName is the Secret the CA Job creates; only nodes' init
// containers and the CA Job mount it.
func caKeypairSecretName(name string) string { return name + "-ca-keypair" }

var (
	dnsLabel = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	// An Elasticsearch cron: seconds minutes hours day-of-month month day-of-week [year].
	cronFields = regexp.MustCompile(`^\S+( \S+){5,6}$`)
)

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("namespace is required: pass the logging namespace the platform created"))
	} else if !dnsLabel.MatchString(a.Namespace) {
		errs = append(errs, fmt.Errorf("namespace %q is not a Kubernetes namespace name", a.Namespace))
	}
	if a.GrafanaReaderNamespace == "" {
		a.GrafanaReaderNamespace = a.Namespace
	} else if !dnsLabel.MatchString(a.GrafanaReaderNamespace) {
		errs = append(errs, fmt.Errorf("grafanaReaderNamespace %q is not a Kubernetes namespace name: pass the namespace Grafana runs in", a.GrafanaReaderNamespace))
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.ClusterDomain == "" {
		a.ClusterDomain = "cluster.local"
	}
	var ps check.Problems
	r := &a.Resources
	if r.LimitsMemory == "" {
		r.LimitsMemory = "4Gi"
	}
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "500m"},
		// Memory is not compressible: request what the JVM and cache will use.
		{"resources.requestsMemory", &r.RequestsMemory, r.LimitsMemory},
		{"resources.limitsCpu", &r.LimitsCPU, "1"},
		{"resources.limitsMemory", &r.LimitsMemory, ""},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
	}
	// Limits are the stack's sizing (below); requests are this component's.
	check.Quantity(&ps, "resources.requestsCpu", r.RequestsCPU)
	check.Quantity(&ps, "resources.requestsMemory", r.RequestsMemory)
	if a.MaxMapCount == "" {
		a.MaxMapCount = MaxMapCountInitContainer
	}
	// The stack's rules (Sizing.Check), named as this component's fields.
	sizing := Sizing{
		Replicas: a.Replicas, Heap: a.Heap, MemoryLimit: a.Resources.LimitsMemory, CPULimit: a.Resources.LimitsCPU,
		StorageSize: a.StorageSize, MaxMapCount: a.MaxMapCount,
	}
	ps.Merge("", sizing.Check(), map[string]string{"memoryLimit": "resources.limitsMemory", "cpuLimit": "resources.limitsCpu"})
	for _, p := range ps {
		errs = append(errs, p)
	}
	seen := map[string]bool{a.Namespace: true}
	for _, ns := range a.TrustNamespaces {
		if !dnsLabel.MatchString(ns) {
			errs = append(errs, fmt.Errorf("trustNamespaces: %q is not a Kubernetes namespace name", ns))
		} else if seen[ns] {
			errs = append(errs, fmt.Errorf("trustNamespaces: %q is listed twice or is the Elasticsearch namespace, which always gets the CA", ns))
		}
		seen[ns] = true
	}
	if a.ElasticPassword == nil {
		errs = append(errs, errors.New("ElasticPassword is required with security on: pass the elastic user's password as a secret (pulumi config set --secret)"))
	}
	if a.KibanaSystemPassword == nil {
		errs = append(errs, errors.New("KibanaSystemPassword is required with security on: pass the kibana_system user's password as a secret (pulumi config set --secret)"))
	}
	errs = append(errs, a.Retention.withDefaults()...)
	errs = append(errs, a.Snapshots.withDefaults(a.Retention)...)
	return errors.Join(errs...)
}

func (s *Snapshots) withDefaults(r Retention) []error {
	var errs []error
	if s.Type == "" {
		s.Type = SnapshotsNone
	}
	if s.Schedule == "" {
		s.Schedule = DefaultSnapshotSchedule
	}
	if !cronFields.MatchString(s.Schedule) {
		errs = append(errs, fmt.Errorf("snapshots.schedule %q is not an Elasticsearch cron expression (seconds first): use a value such as %q", s.Schedule, DefaultSnapshotSchedule))
	}
	if s.ExpireAfter == 0 {
		s.ExpireAfter = r.Audit
	}
	if s.ExpireAfter < 0 {
		errs = append(errs, fmt.Errorf("snapshots.expireAfter %s is negative", s.ExpireAfter))
	}
	switch s.Type {
	case SnapshotsNone:
	case SnapshotsS3:
		if s.S3.Bucket == nil {
			errs = append(errs, errors.New("snapshots.s3.bucket is required with S3 snapshots: pass the snapshot bucket's name"))
		}
		if s.S3.Region == "" {
			errs = append(errs, errors.New("snapshots.s3.region is required with S3 snapshots: pass the bucket's region"))
		}
	case SnapshotsFilesystem:
		if q, err := resource.ParseQuantity(s.Filesystem.Size); err != nil || q.Sign() <= 0 {
			errs = append(errs, fmt.Errorf("snapshots.filesystem.size %q is not a positive Kubernetes quantity: use a value such as 20Gi", s.Filesystem.Size))
		}
	default:
		errs = append(errs, fmt.Errorf("snapshots.type %q is not one of %q, %q, %q", s.Type, SnapshotsNone, SnapshotsS3, SnapshotsFilesystem))
	}
	return errs
}

// New creates the Elasticsearch cluster and its setup Job.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Elasticsearch, error) {
	fail := func(err error) (*Elasticsearch, error) { return nil, fmt.Errorf("elasticsearch %q: %w", name, err) }
	var nameErr error
	if !dnsLabel.MatchString(name) || len(name) > maxNameSize {
		nameErr = fmt.Errorf("the name must be a DNS label of at most %d characters (lower-case letters, digits, '-'): it names the Kubernetes objects", maxNameSize)
	}
	if err := errors.Join(nameErr, args.withDefaults()); err != nil {
		return fail(err)
	}

	node := nodeSettings{
		Name: name, Namespace: args.Namespace, ClusterDomain: args.ClusterDomain,
		HeadlessService: HeadlessServiceName(name), ClientService: ServiceName(name),
		Replicas: args.Replicas, Bootstrapped: args.ClusterBootstrapped,
		MaxMapCount: args.MaxMapCount, Snapshots: args.Snapshots.Type, S3Region: args.Snapshots.S3.Region,
	}
	nodeYAML, err := renderNodeConfig(node)
	if err != nil {
		return fail(err)
	}
	configFiles := map[string]string{
		nodeConfigFile:  nodeYAML,
		prepareNodeFile: renderPrepareNode(node),
		readinessFile:   readinessScript,
	}
	bodies := bodySettings{
		Retention: args.Retention, Snapshots: args.Snapshots.Type, Schedule: args.Snapshots.Schedule,
		ExpireAfter: args.Snapshots.ExpireAfter, S3BasePath: args.Snapshots.S3.BasePath,
		Replicas: args.Replicas, LogWriter: args.LogWriterPassword != nil, GrafanaReader: args.GrafanaReaderPassword != nil,
		FilesystemPath: snapshotsPath,
	}
	// Render once now, so a body that cannot be encoded fails before
	// anything is registered; the bucket name is known only later.
	if _, err := renderRequests(withBucket(bodies, "bucket")); err != nil {
		return fail(err)
	}

	c := &Elasticsearch{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role := func(r string) string { return conventions.Child(name, r) }
	version := imageTag(args.Image)
	lbl := labels.Set{Name: "elasticsearch", Instance: name, Component: "storage", Version: version}
	caLbl := labels.Set{Name: "elasticsearch", Instance: name, Component: "ca-bootstrap", Version: version}
	setupLbl := labels.Set{Name: "elasticsearch", Instance: name, Component: "setup", Version: version}
	ns := pulumi.String(args.Namespace)
	meta := func(objName string, set labels.Set) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: set.Labels()}
	}

	secret, err := corev1.NewSecret(ctx, role("credentials"), &corev1.SecretArgs{
		Metadata:   meta(CredentialsSecretName(name), lbl),
		Type:       pulumi.String("Opaque"),
		StringData: args.secrets(),
	}, parent)
	if err != nil {
		return fail(err)
	}
	secretName := secret.Metadata.Name().Elem()
	writerSecret := pulumi.String("").ToStringOutput()
	if args.LogWriterPassword != nil {
		w, err := corev1.NewSecret(ctx, role("log-writer"), &corev1.SecretArgs{
			Metadata: meta(LogWriterSecretName(name), lbl),
			Type:     pulumi.String("Opaque"),
			StringData: pulumi.StringMap{
				LogWriterUsernameKey: pulumi.String(LogWriterUser),
				LogWriterPasswordKey: pulumi.ToSecret(args.LogWriterPassword.ToStringOutput()).(pulumi.StringOutput),
			},
		}, parent)
		if err != nil {
			return fail(err)
		}
		writerSecret = w.Metadata.Name().Elem()
	}
	readerSecret := pulumi.String("").ToStringOutput()
	if args.GrafanaReaderPassword != nil {
		r, err := corev1.NewSecret(ctx, role("grafana-reader"), &corev1.SecretArgs{
			Metadata: &metav1.ObjectMetaArgs{
				Name: pulumi.String(GrafanaReaderSecretName(name)), Namespace: pulumi.String(args.GrafanaReaderNamespace), Labels: lbl.Labels(),
			},
			Type: pulumi.String("Opaque"),
			StringData: pulumi.StringMap{
				LogWriterUsernameKey: pulumi.String(GrafanaReaderUser),
				LogWriterPasswordKey: pulumi.ToSecret(args.GrafanaReaderPassword.ToStringOutput()).(pulumi.StringOutput),
			},
		}, parent)
		if err != nil {
			return fail(err)
		}
		readerSecret = r.Metadata.Name().Elem()
	}

	sa, err := corev1.NewServiceAccount(ctx, role("serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: meta(name, lbl),
		// Elasticsearch never calls the Kubernetes API; the S3 token, when
		// used, is a projected volume of its own.
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return fail(err)
	}

	caJob, err := newCAJob(ctx, name, args, caLbl, parent)
	if err != nil {
		return fail(err)
	}

	cm, err := corev1.NewConfigMap(ctx, role("config"), &corev1.ConfigMapArgs{
		Metadata: meta(name+"-config", lbl),
		Data:     pulumi.ToStringMap(configFiles),
	}, parent)
	if err != nil {
		return fail(err)
	}

	ports := corev1.ServicePortArray{
		&corev1.ServicePortArgs{Name: pulumi.String("https"), Port: pulumi.Int(HTTPPort), TargetPort: pulumi.String("https"), Protocol: pulumi.String("TCP")},
		&corev1.ServicePortArgs{Name: pulumi.String("transport"), Port: pulumi.Int(TransportPort), TargetPort: pulumi.String("transport"), Protocol: pulumi.String("TCP")},
	}
	headless, err := corev1.NewService(ctx, role("headless-service"), &corev1.ServiceArgs{
		Metadata: meta(HeadlessServiceName(name), lbl),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"),
			// Nodes must find each other before any is ready: readiness
			// needs an elected master.
			PublishNotReadyAddresses: pulumi.Bool(true),
			Selector:                 lbl.Selector(),
			Ports:                    ports,
		},
	}, parent)
	if err != nil {
		return fail(err)
	}
	client, err := corev1.NewService(ctx, role("service"), &corev1.ServiceArgs{
		Metadata: meta(ServiceName(name), lbl),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: lbl.Selector(),
			Ports:    ports[:1],
		},
	}, parent)
	if err != nil {
		return fail(err)
	}

	var snapshotClaim pulumi.StringOutput
	if args.Snapshots.Type == SnapshotsFilesystem {
		// Every node writes the repository, so with more than one node the
		// volume is shared (ReadWriteMany).
		mode := "ReadWriteOnce"
		if args.Replicas > 1 {
			mode = "ReadWriteMany"
		}
		pvc, err := corev1.NewPersistentVolumeClaim(ctx, role("snapshots"), &corev1.PersistentVolumeClaimArgs{
			Metadata: meta(name+"-snapshots", lbl),
			Spec: &corev1.PersistentVolumeClaimSpecArgs{
				AccessModes:      pulumi.ToStringArray([]string{mode}),
				StorageClassName: optionalString(args.Snapshots.Filesystem.StorageClassName),
				Resources:        &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(args.Snapshots.Filesystem.Size)}},
			},
		}, parent)
		if err != nil {
			return fail(err)
		}
		snapshotClaim = pvc.Metadata.Name().Elem()
	}

	sts, err := appsv1.NewStatefulSet(ctx, role("statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(name, lbl),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:    pulumi.Int(args.Replicas),
			ServiceName: headless.Metadata.Name().Elem(),
			// Master-eligible nodes must start together to elect a master;
			// one at a time, the first would wait for a quorum forever.
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{
					Labels:      lbl.Labels(),
					Annotations: pulumi.ToStringMap(encoding.ChecksumAnnotation("config", configFiles)),
				},
				Spec: nodePodSpec(name, args, lbl, sa.Metadata.Name().Elem(), cm.Metadata.Name().Elem(), secretName, snapshotClaim),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{dataClaim(args, lbl)},
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{caJob}))
	if err != nil {
		return fail(err)
	}

	// One node has nothing to keep available, and a budget would block
	// node drains forever.
	if args.Replicas > 1 {
		if _, err := policyv1.NewPodDisruptionBudget(ctx, role("pdb"), &policyv1.PodDisruptionBudgetArgs{
			Metadata: meta(name, lbl),
			Spec: &policyv1.PodDisruptionBudgetSpecArgs{
				MaxUnavailable: pulumi.Int(1),
				Selector:       &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{sts})); err != nil {
			return fail(err)
		}
	}

	esURL := fmt.Sprintf("https://%s.%s.svc.%s:%d", ServiceName(name), args.Namespace, args.ClusterDomain, HTTPPort)
	setupJob, err := newSetupJob(ctx, name, args, bodies, esURL, setupLbl, sa.Metadata.Name().Elem(), secretName, writerSecret, caJob, parent, pulumi.DependsOn([]pulumi.Resource{sts}))
	if err != nil {
		return fail(err)
	}

	setupName := setupJob.Metadata.Name().Elem()
	c.ServiceName = client.Metadata.Name().Elem()
	c.Namespace = ns.ToStringOutput()
	c.URL = pulumi.All(c.ServiceName, setupName).ApplyT(func(v []any) string {
		return fmt.Sprintf("https://%s.%s.svc.%s:%d", v[0], args.Namespace, args.ClusterDomain, HTTPPort)
	}).(pulumi.StringOutput)
	c.CredentialsSecret = secretName
	c.Host = c.URL.ApplyT(func(string) string {
		return fmt.Sprintf("%s.%s.svc.%s", ServiceName(name), args.Namespace, args.ClusterDomain)
	}).(pulumi.StringOutput)
	c.CASecret = caJob.Metadata.Name().Elem().ApplyT(func(string) string { return CASecretName(name) }).(pulumi.StringOutput)
	c.ApplicationDataStream = pulumi.String(conventions.ApplicationDataStream).ToStringOutput()
	c.AuditDataStream = pulumi.String(conventions.AuditDataStream).ToStringOutput()
	writer := ""
	if args.LogWriterPassword != nil {
		writer = LogWriterUser
	}
	c.LogWriterUser = setupName.ApplyT(func(string) string { return writer }).(pulumi.StringOutput)
	c.LogWriterSecret = pulumi.All(setupName, writerSecret).ApplyT(func(v []any) string { return v[1].(string) }).(pulumi.StringOutput)
	reader := ""
	if args.GrafanaReaderPassword != nil {
		reader = GrafanaReaderUser
	}
	c.GrafanaReaderUser = setupName.ApplyT(func(string) string { return reader }).(pulumi.StringOutput)
	c.GrafanaReaderSecret = pulumi.All(setupName, readerSecret).ApplyT(func(v []any) string { return v[1].(string) }).(pulumi.StringOutput)
	c.SetupJob = setupName
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url":                   c.URL,
		"serviceName":           c.ServiceName,
		"namespace":             c.Namespace,
		"credentialsSecret":     c.CredentialsSecret,
		"host":                  c.Host,
		"caSecret":              c.CASecret,
		"logWriterSecret":       c.LogWriterSecret,
		"applicationDataStream": c.ApplicationDataStream,
		"auditDataStream":       c.AuditDataStream,
		"logWriterUser":         c.LogWriterUser,
		"grafanaReaderUser":     c.GrafanaReaderUser,
		"grafanaReaderSecret":   c.GrafanaReaderSecret,
		"setupJob":              c.SetupJob,
	})
}

// secrets are the credentials Secret's entries, each a secret Output even
// when it arrived as a plain value.
func (a *Args) secrets() pulumi.StringMap {
	put := func(v pulumi.StringInput) pulumi.StringOutput {
		return pulumi.ToSecret(v.ToStringOutput()).(pulumi.StringOutput)
	}
	m := pulumi.StringMap{
		SecretKeyElastic:      put(a.ElasticPassword),
		SecretKeyKibanaSystem: put(a.KibanaSystemPassword),
	}
	if a.GrafanaReaderPassword != nil {
		m[SecretKeyGrafanaReader] = put(a.GrafanaReaderPassword)
	}
	return m
}

func withBucket(s bodySettings, bucket string) bodySettings {
	s.S3Bucket = bucket
	return s
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

func secretEnv(env, secret pulumi.StringInput, key string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: env, ValueFrom: &corev1.EnvVarSourceArgs{
		SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: secret, Key: pulumi.String(key)},
	}}
}

func fieldEnv(env, path string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
		FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String(path)},
	}}
}

func env(name, value string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(name), Value: pulumi.String(value)}
}

func memoryDir(volume string) *corev1.VolumeArgs {
	return &corev1.VolumeArgs{Name: pulumi.String(volume), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{
		Medium: pulumi.String("Memory"), SizeLimit: pulumi.String("64Mi"),
	}}
}

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
	nodeEnv := corev1.EnvVarArray{
		workload.PodNameEnv(),
		env("ES_JAVA_OPTS", fmt.Sprintf("-Xms%dm -Xmx%dm", heapMi, heapMi)),
		secretEnv(pulumi.String("ELASTIC_PASSWORD"), secret, SecretKeyElastic),
	}
	switch args.Snapshots.Type {
	case SnapshotsFilesystem:
		volumes = append(volumes, &corev1.VolumeArgs{Name: pulumi.String("snapshots"),
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: snapshotClaim}})
		mounts = append(mounts, workload.Mount("snapshots", snapshotsPath, false))
	case SnapshotsS3:
		if args.Snapshots.S3.RoleArn != "" {
			volumes = append(volumes, &corev1.VolumeArgs{Name: pulumi.String("aws-token"), Projected: &corev1.ProjectedVolumeSourceArgs{
				Sources: corev1.VolumeProjectionArray{&corev1.VolumeProjectionArgs{
					ServiceAccountToken: &corev1.ServiceAccountTokenProjectionArgs{
						Audience: pulumi.String("sts.amazonaws.com"), ExpirationSeconds: pulumi.Int(86400), Path: pulumi.String(webIdentityTokenFile),
					},
				}},
			}})
			mounts = append(mounts, workload.Mount("aws-token", webIdentityTokenDir, true))
			nodeEnv = append(nodeEnv,
				env("AWS_ROLE_ARN", args.Snapshots.S3.RoleArn),
				env("AWS_WEB_IDENTITY_TOKEN_FILE", webIdentityTokenDir+"/"+webIdentityTokenFile),
				env("AWS_REGION", args.Snapshots.S3.Region),
				env("AWS_STS_REGIONAL_ENDPOINTS", "regional"),
			)
		}
	}

	initContainers := corev1.ContainerArray{}
	if args.MaxMapCount == MaxMapCountInitContainer {
		initContainers = append(initContainers, &corev1.ContainerArgs{
			Name:    pulumi.String("max-map-count"),
			Image:   pulumi.String(args.Image),
			Command: pulumi.ToStringArray([]string{"sysctl", "-w", "vm.max_map_count=262144"}),
			// sysctl writes the node's kernel setting: root and privileged,
			// for this one command only.
			SecurityContext: &corev1.SecurityContextArgs{
				Privileged: pulumi.Bool(true), RunAsUser: pulumi.Int(0), RunAsNonRoot: pulumi.Bool(false),
			},
			Resources: workload.Resources{RequestsCPU: "10m", RequestsMemory: "16Mi", LimitsCPU: "100m", LimitsMemory: "64Mi"}.Args(),
		})
	}
	initContainers = append(initContainers, &corev1.ContainerArgs{
		Name:    pulumi.String("prepare"),
		Image:   pulumi.String(args.Image),
		Command: pulumi.ToStringArray([]string{"bash", settingsMountPath + "/" + prepareNodeFile}),
		Env:     corev1.EnvVarArray{workload.PodNameEnv(), fieldEnv("POD_IP", "status.podIP")},
		VolumeMounts: corev1.VolumeMountArray{
			workload.Mount("config", configStagePath, false),
			workload.Mount("settings", settingsMountPath, true),
			workload.Mount("ca", caMountPath, true),
			workload.Mount("tmp", "/tmp", false),
		},
		SecurityContext: workload.RestrictedContainer(),
		Resources:       workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "512Mi"}.Args(),
	})

	spec := &corev1.PodSpecArgs{
		ServiceAccountName:           serviceAccount,
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(uid),
		InitContainers:               initContainers,
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:  pulumi.String("elasticsearch"),
			Image: pulumi.String(args.Image),
			Env:   nodeEnv,
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
		}},
		Volumes: volumes,
		// A node flushes and hands its shards over before it stops.
		TerminationGracePeriodSeconds: pulumi.Int(120),
	}
	if args.Replicas > 1 {
		spec.Affinity = workload.SpreadAcrossNodes(lbl.Selector())
	}
	return spec
}

// newCAJob creates the CA Job with its script and the least privilege it
// needs: create Secrets, and read or replace only its own.
func newCAJob(ctx *pulumi.Context, name string, args Args, set labels.Set, parent pulumi.ResourceOption) (*batchv1.Job, error) {
	role := func(r string) string { return conventions.Child(name, r) }
	ns := pulumi.String(args.Namespace)
	jobName := name + "-ca-bootstrap"
	meta := func(objName, namespace string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: pulumi.String(namespace), Labels: set.Labels()}
	}
	labelsJSON, err := json.Marshal(set.Map())
	if err != nil {
		return nil, err
	}
	namespaces := append([]string{args.Namespace}, args.TrustNamespaces...)
	script := map[string]string{bootstrapCAFile: renderBootstrapCA(name, args.Namespace, caKeypairSecretName(name), CASecretName(name), namespaces, string(labelsJSON))}
	cm, err := corev1.NewConfigMap(ctx, role("ca-bootstrap"), &corev1.ConfigMapArgs{
		Metadata: meta(jobName, args.Namespace), Data: pulumi.ToStringMap(script),
	}, parent)
	if err != nil {
		return nil, err
	}
	sa, err := corev1.NewServiceAccount(ctx, role("ca-bootstrap"), &corev1.ServiceAccountArgs{Metadata: meta(jobName, args.Namespace)}, parent)
	if err != nil {
		return nil, err
	}
	rule := func(resource string, verbs []string, names ...string) *rbacv1.PolicyRuleArgs {
		r := &rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{""}), Resources: pulumi.ToStringArray([]string{resource}), Verbs: pulumi.ToStringArray(verbs)}
		if len(names) > 0 {
			r.ResourceNames = pulumi.ToStringArray(names)
		}
		return r
	}
	var bindings []pulumi.Resource
	for i, target := range namespaces {
		// Create cannot be limited to a name; everything else is.
		rules := rbacv1.PolicyRuleArray{
			rule("secrets", []string{"create"}),
			rule("secrets", []string{"get", "update"}, CASecretName(name)),
		}
		suffix := "-" + target
		if i == 0 {
			rules = append(rules, rule("secrets", []string{"get"}, caKeypairSecretName(name)))
			suffix = ""
		}
		r, err := rbacv1.NewRole(ctx, role("ca-bootstrap-role"+suffix), &rbacv1.RoleArgs{Metadata: meta(jobName, target), Rules: rules}, parent)
		if err != nil {
			return nil, err
		}
		b, err := rbacv1.NewRoleBinding(ctx, role("ca-bootstrap-rolebinding"+suffix), &rbacv1.RoleBindingArgs{
			Metadata: meta(jobName, target),
			RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("Role"), Name: r.Metadata.Name().Elem()},
			Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: ns}},
		}, parent)
		if err != nil {
			return nil, err
		}
		bindings = append(bindings, b)
	}
	// The script and image name the Job: a change re-runs it (a Job's pod
	// template cannot change in place), the same ones leave it alone.
	sum := encoding.Checksum(encoding.ChecksumOfMap(script), args.Image)
	return batchv1.NewJob(ctx, role("ca-bootstrap"), &batchv1.JobArgs{
		Metadata: meta(name+"-ca-"+sum[:10], args.Namespace),
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:          pulumi.Int(4),
			ActiveDeadlineSeconds: pulumi.Int(900),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels()},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName: sa.Metadata.Name().Elem(),
					RestartPolicy:      pulumi.String("Never"),
					SecurityContext:    workload.PodSecurity(uid),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name:    pulumi.String("bootstrap-ca"),
						Image:   pulumi.String(args.Image),
						Command: pulumi.ToStringArray([]string{"bash", "/mnt/elasticsearch/bootstrap/" + bootstrapCAFile}),
						VolumeMounts: corev1.VolumeMountArray{
							workload.Mount("script", "/mnt/elasticsearch/bootstrap", true),
							workload.Mount("ca", caMountPath, true),
							workload.Mount("tmp", "/tmp", false),
						},
						SecurityContext: workload.RestrictedContainer(),
						Resources:       workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "512Mi"}.Args(),
					}},
					Volumes: corev1.VolumeArray{
						workload.ConfigMapVolume("script", cm.Metadata.Name().Elem()),
						// Optional: absent on the first run, kept on every later one.
						&corev1.VolumeArgs{Name: pulumi.String("ca"), Secret: &corev1.SecretVolumeSourceArgs{
							SecretName: pulumi.String(caKeypairSecretName(name)), Optional: pulumi.Bool(true), DefaultMode: pulumi.Int(0o440),
						}},
						memoryDir("tmp"),
					},
				},
			},
		},
	}, parent, pulumi.DependsOn(bindings))
}

// newSetupJob creates the setup ConfigMap (bodies and script, no secret)
// and the Job that applies it, named after the bodies' checksum.
func newSetupJob(ctx *pulumi.Context, name string, args Args, bodies bodySettings, esURL string, set labels.Set,
	serviceAccount, secret, writerSecret pulumi.StringOutput, caJob *batchv1.Job, opts ...pulumi.ResourceOption) (*batchv1.Job, error) {
	role := func(r string) string { return conventions.Child(name, r) }
	bucket := pulumi.String("").ToStringOutput()
	if args.Snapshots.Type == SnapshotsS3 {
		bucket = args.Snapshots.S3.Bucket.ToStringOutput()
	}
	files := bucket.ApplyT(func(b string) (map[string]string, error) {
		if args.Snapshots.Type == SnapshotsS3 && b == "" {
			return nil, errors.New("snapshots.s3.bucket resolved to an empty name")
		}
		return renderRequests(withBucket(bodies, b))
	}).(pulumi.StringMapOutput)
	// The bodies, the script and the image name the Job: a change re-runs
	// it (a Job's pod template cannot change in place), the same ones leave
	// it alone.
	jobName := files.ApplyT(func(f map[string]string) string { return setupJobName(name, f, args.Image) }).(pulumi.StringOutput)

	ns := pulumi.String(args.Namespace)
	cm, err := corev1.NewConfigMap(ctx, role("setup"), &corev1.ConfigMapArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(name + "-setup"), Namespace: ns, Labels: set.Labels()},
		Data:     files,
	}, opts...)
	if err != nil {
		return nil, err
	}
	jobEnv := corev1.EnvVarArray{
		env("ES_URL", esURL),
		secretEnv(pulumi.String("ELASTIC_PASSWORD"), secret, SecretKeyElastic),
		secretEnv(pulumi.String("KIBANA_SYSTEM_PASSWORD"), secret, SecretKeyKibanaSystem),
	}
	if args.LogWriterPassword != nil {
		jobEnv = append(jobEnv, secretEnv(pulumi.String("LOG_WRITER_PASSWORD"), writerSecret, LogWriterPasswordKey))
	}
	if args.GrafanaReaderPassword != nil {
		jobEnv = append(jobEnv, secretEnv(pulumi.String("GRAFANA_READER_PASSWORD"), secret, SecretKeyGrafanaReader))
	}
	// The CA Secret exists once the CA Job has run.
	caSecret := caJob.Metadata.Name().Elem().ApplyT(func(string) string { return CASecretName(name) }).(pulumi.StringOutput)
	return batchv1.NewJob(ctx, role("setup"), &batchv1.JobArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: jobName, Namespace: ns, Labels: set.Labels()},
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:          pulumi.Int(4),
			ActiveDeadlineSeconds: pulumi.Int(1800),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels()},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName:           serviceAccount,
					AutomountServiceAccountToken: pulumi.Bool(false),
					RestartPolicy:                pulumi.String("Never"),
					SecurityContext:              workload.PodSecurity(uid),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name:    pulumi.String("setup"),
						Image:   pulumi.String(args.Image),
						Command: pulumi.ToStringArray([]string{"bash", setupMountPath + "/" + setupScriptFile}),
						Env:     jobEnv,
						VolumeMounts: corev1.VolumeMountArray{
							workload.Mount("setup", setupMountPath, true),
							workload.Mount("ca", clientCAMountPath, true),
							workload.Mount("tmp", "/tmp", false),
						},
						SecurityContext: workload.RestrictedContainer(),
						Resources:       workload.Resources{RequestsCPU: "10m", RequestsMemory: "32Mi", LimitsCPU: "200m", LimitsMemory: "128Mi"}.Args(),
					}},
					Volumes: corev1.VolumeArray{
						workload.ConfigMapVolume("setup", cm.Metadata.Name().Elem()),
						workload.SecretVolume("ca", caSecret),
						memoryDir("tmp"),
					},
				},
			},
		},
	}, opts...)
}

// imageTag is the tag of an image reference, for the version label.
func imageTag(image string) string {
	ref := image
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}

func optionalString(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
