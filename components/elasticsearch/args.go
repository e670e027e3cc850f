package elasticsearch

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/workload"
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
	// Data says how the data-holding children survive a delete (protect,
	// retain on delete); the stack decides.
	Data workload.DataPolicy
}

// maxNameSize keeps the Job names, which add up to 17 characters to the
// instance name, DNS labels.
const maxNameSize = 40

// checkName refuses an instance name that cannot name its objects.
func checkName(name string) error {
	if !check.IsDNSLabel(name) || len(name) > maxNameSize {
		return fmt.Errorf("the name must be a DNS label of at most %d characters (lower-case letters, digits, '-'): it names the Kubernetes objects", maxNameSize)
	}
	return nil
}

// An Elasticsearch cron: seconds minutes hours day-of-month month day-of-week [year].
var cronFields = regexp.MustCompile(`^\S+( \S+){5,6}$`)

func (a *Args) withDefaults() error {
	errs := a.checkNamespaces()
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.MaxMapCount == "" {
		a.MaxMapCount = MaxMapCountInitContainer
	}
	var ps check.Problems
	a.defaultResources(&ps)
	// The stack's rules (Sizing.Check), named as this component's fields.
	sizing := Sizing{
		Replicas: a.Replicas, Heap: a.Heap, MemoryLimit: a.Resources.LimitsMemory, CPULimit: a.Resources.LimitsCPU,
		StorageSize: a.StorageSize, MaxMapCount: a.MaxMapCount,
	}
	ps.Merge("", sizing.Check(), map[string]string{"memoryLimit": "resources.limitsMemory", "cpuLimit": "resources.limitsCpu"})
	for _, p := range ps {
		errs = append(errs, p)
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

// checkNamespaces checks the namespace, Grafana's (defaulting to it) and
// the trust namespaces, each listed once.
func (a *Args) checkNamespaces() []error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("namespace is required: pass the logging namespace the platform created"))
	} else if !check.IsDNSLabel(a.Namespace) {
		errs = append(errs, fmt.Errorf("namespace %q is not a Kubernetes namespace name", a.Namespace))
	}
	if a.GrafanaReaderNamespace == "" {
		a.GrafanaReaderNamespace = a.Namespace
	} else if !check.IsDNSLabel(a.GrafanaReaderNamespace) {
		errs = append(errs, fmt.Errorf("grafanaReaderNamespace %q is not a Kubernetes namespace name: pass the namespace Grafana runs in", a.GrafanaReaderNamespace))
	}
	seen := map[string]bool{a.Namespace: true}
	for _, ns := range a.TrustNamespaces {
		if !check.IsDNSLabel(ns) {
			errs = append(errs, fmt.Errorf("trustNamespaces: %q is not a Kubernetes namespace name", ns))
		} else if seen[ns] {
			errs = append(errs, fmt.Errorf("trustNamespaces: %q is listed twice or is the Elasticsearch namespace, which always gets the CA", ns))
		}
		seen[ns] = true
	}
	return errs
}

// defaultResources fills the requests and limits (1 CPU and 4Gi by
// default, memory requested as it is limited) and checks the requests;
// the limits are the stack's sizing, checked by Sizing.Check.
func (a *Args) defaultResources(ps *check.Problems) {
	r := &a.Resources
	if r.LimitsMemory == "" {
		r.LimitsMemory = "4Gi"
	}
	for _, f := range []struct {
		v   *string
		def string
	}{
		{&r.RequestsCPU, "500m"},
		// Memory is not compressible: request what the JVM and cache will use.
		{&r.RequestsMemory, r.LimitsMemory},
		{&r.LimitsCPU, "1"},
		// The logs volume is an emptyDir, and the image's JVM options keep
		// up to 32 GC log files of 64Mi: 2Gi of GC logs, plus the server's
		// own rolled logs, must fit under the limit or the node evicts
		// Elasticsearch (workload's default limit is 1Gi).
		{&r.RequestsEphemeralStorage, "1Gi"},
		{&r.LimitsEphemeralStorage, "4Gi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
	}
	check.Quantity(ps, "resources.requestsCpu", r.RequestsCPU)
	check.Quantity(ps, "resources.requestsMemory", r.RequestsMemory)
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

// nodeSettings is what the node configuration of instance name depends on.
func (a *Args) nodeSettings(name string) nodeSettings {
	return nodeSettings{
		Name: name, Namespace: a.Namespace,
		HeadlessService: HeadlessServiceName(name), ClientService: ServiceName(name),
		Replicas: a.Replicas, Bootstrapped: a.ClusterBootstrapped,
		MaxMapCount: a.MaxMapCount, Snapshots: a.Snapshots.Type, S3Region: a.Snapshots.S3.Region,
	}
}

// bodySettings is what the setup Job's request bodies depend on, but for
// the S3 bucket's name, which is an output (withBucket).
func (a *Args) bodySettings() bodySettings {
	return bodySettings{
		Retention: a.Retention, Snapshots: a.Snapshots.Type, Schedule: a.Snapshots.Schedule,
		ExpireAfter: a.Snapshots.ExpireAfter, S3BasePath: a.Snapshots.S3.BasePath,
		Replicas: a.Replicas, LogWriter: a.LogWriterPassword != nil, GrafanaReader: a.GrafanaReaderPassword != nil,
		FilesystemPath: snapshotsPath,
	}
}

func withBucket(s bodySettings, bucket string) bodySettings {
	s.S3Bucket = bucket
	return s
}
