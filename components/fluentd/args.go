package fluentd

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/workload"
)

// Args configure the collector.
type Args struct {
	// Namespace the DaemonSet runs in (required). It must admit privileged
	// pods and hold the Secrets named in Elasticsearch.
	Namespace string
	// Elasticsearch is where both data streams live.
	Elasticsearch Elasticsearch
	// AppDataStream and AuditDataStream name the data streams (required),
	// in Elasticsearch's logs-<dataset>-<namespace> scheme, so Logstash
	// can write the same streams, e.g. "logs-klearkarma.app-default".
	AppDataStream   string
	AuditDataStream string
	// AppRetention and AuditRetention name the index template and
	// lifecycle policy the retention job creates for each stream. The
	// plugin creates its own (a priority-0 template and a policy without a
	// delete phase) only when neither the stream nor a template of that
	// name exists; naming the job's objects here keeps it from doing so.
	// Empty fields keep the plugin's defaults, "<stream>_template" and
	// "<stream>_policy".
	AppRetention, AuditRetention Retention
	// Buffer tunes both outputs' file buffers; zero fields take the seed's
	// values (see DefaultBuffer).
	Buffer BufferSettings
	// Image defaults to DefaultImage.
	Image string
	// Resources default to 100m/256Mi requested, 1 CPU/512Mi limit.
	Resources workload.Resources
	// PriorityClassName, if set, keeps the collector scheduled on full nodes
	// (e.g. "system-node-critical").
	PriorityClassName string
}

// Elasticsearch is the cluster the collector writes to.
type Elasticsearch struct {
	// Host is the HTTP Service's DNS name (required), e.g.
	// "elasticsearch-http.logging.svc"; it must be in the certificate.
	Host string
	// Port defaults to 9200; Scheme to "https".
	Port   int
	Scheme string
	// CASecretName names the Secret with the CA certificate that signed
	// the HTTP certificate (required with https); CASecretKey is its key,
	// "ca.crt" by default.
	CASecretName pulumi.StringInput
	CASecretKey  string
	// Credentials come from an existing Secret (CredentialsSecretName with
	// UsernameKey and PasswordKey, default "username" and "password") or
	// from Username and a secret Password, which the component stores in
	// a Secret of its own. Exactly one of the two is required.
	CredentialsSecretName    pulumi.StringInput
	UsernameKey, PasswordKey string
	Username                 string
	Password                 pulumi.StringInput
}

// Retention names a data stream's index template and lifecycle policy.
type Retention struct {
	IndexTemplate string
	ILMPolicy     string
}

// BufferSettings are the file buffer settings shared by both outputs.
type BufferSettings struct {
	FlushMode        string
	FlushInterval    string
	FlushThreadCount int
	RetryType        string
	RetryMaxInterval string
	// RetryMaxTimes > 0 drops a chunk after that many retries; zero retries
	// forever, as the seed does.
	RetryMaxTimes    int
	ChunkLimitSize   string
	QueueLimitLength int
	OverflowAction   string
}

// DefaultBuffer is the seed's buffer: interval flushes every 5s on two
// threads, exponential backoff capped at 30s and retried forever, 2M
// chunks, at most 8 queued, and back-pressure (block) when full.
var DefaultBuffer = BufferSettings{
	FlushMode:        "interval",
	FlushInterval:    "5s",
	FlushThreadCount: 2,
	RetryType:        "exponential_backoff",
	RetryMaxInterval: "30",
	ChunkLimitSize:   "2M",
	QueueLimitLength: 8,
	OverflowAction:   "block",
}

var (
	fluentTime = regexp.MustCompile(`^\d+(\.\d+)?[smhd]?$`)
	fluentSize = regexp.MustCompile(`^\d+(\.\d+)?[kKmMgGtT]?$`)
	objectName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	oneOf      = func(v string, allowed ...string) bool { return v == "" || slices.Contains(allowed, v) }
)

// maxNameSize keeps the names a DaemonSet derives valid: its pods get
// "-xxxxx", and the state directory adds the namespace.
const maxNameSize = 50

// checkName refuses an instance name that cannot name its objects.
func checkName(name string) error {
	if !check.IsDNSLabel(name) || len(name) > maxNameSize {
		return fmt.Errorf("the name must be a DNS label of at most %d characters: it names the Kubernetes objects and the node's state directory", maxNameSize)
	}
	return nil
}

func (a *Args) withDefaults() error {
	var errs []error
	if !check.IsDNSLabel(a.Namespace) {
		errs = append(errs, fmt.Errorf("namespace %q is not a DNS label: pass the logs namespace the platform created", a.Namespace))
	}
	errs = append(errs, a.Elasticsearch.withDefaults()...)
	errs = append(errs, esclient.CheckDataStreams(a.AppDataStream, a.AuditDataStream)...)
	for _, r := range []struct {
		key string
		v   string
	}{
		{"appRetention.indexTemplate", a.AppRetention.IndexTemplate}, {"appRetention.ilmPolicy", a.AppRetention.ILMPolicy},
		{"auditRetention.indexTemplate", a.AuditRetention.IndexTemplate}, {"auditRetention.ilmPolicy", a.AuditRetention.ILMPolicy},
	} {
		if r.v != "" && !objectName.MatchString(r.v) {
			errs = append(errs, fmt.Errorf("%s %q is not an Elasticsearch object name: use lower case letters, digits, '-', '_' or '.'", r.key, r.v))
		}
	}
	errs = append(errs, a.Buffer.withDefaults()...)
	if a.Image == "" {
		a.Image = DefaultImage
	}
	errs = append(errs, defaultResources(&a.Resources)...)
	return errors.Join(errs...)
}

// defaultResources fills unset requests and limits (100m/256Mi requested,
// 1 CPU/512Mi limit) and checks each is a quantity.
func defaultResources(r *workload.Resources) []error {
	var ps check.Problems
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "100m"},
		{"resources.requestsMemory", &r.RequestsMemory, "256Mi"},
		{"resources.limitsCpu", &r.LimitsCPU, "1"},
		{"resources.limitsMemory", &r.LimitsMemory, "512Mi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		check.Quantity(&ps, f.key, *f.v)
	}
	var errs []error
	for _, p := range ps {
		errs = append(errs, p)
	}
	return errs
}

func (e *Elasticsearch) withDefaults() []error {
	errs := esclient.CheckHost(e.Host)
	errs = append(errs, esclient.CheckPort(&e.Port)...)
	if e.Scheme == "" {
		e.Scheme = "https"
	}
	switch e.Scheme {
	case "https":
		if e.CASecretName == nil {
			errs = append(errs, errors.New("elasticsearch.caSecretName is required with https: pass the Secret holding the CA that signed Elasticsearch's HTTP certificate"))
		}
	case "http":
		if e.CASecretName != nil {
			errs = append(errs, errors.New("elasticsearch.caSecretName is set but the scheme is http: use https, or drop the CA"))
		}
	default:
		errs = append(errs, fmt.Errorf("elasticsearch.scheme %q must be https or http", e.Scheme))
	}
	errs = append(errs, esclient.CheckCredentials(e.CredentialsSecretName != nil, e.Password != nil, e.Username)...)
	esclient.DefaultKeys(&e.CASecretKey, &e.UsernameKey, &e.PasswordKey)
	return errs
}

func (b *BufferSettings) withDefaults() []error {
	d := DefaultBuffer
	def := func(v *string, dv string) {
		if *v == "" {
			*v = dv
		}
	}
	def(&b.FlushMode, d.FlushMode)
	def(&b.FlushInterval, d.FlushInterval)
	def(&b.RetryType, d.RetryType)
	def(&b.RetryMaxInterval, d.RetryMaxInterval)
	def(&b.ChunkLimitSize, d.ChunkLimitSize)
	def(&b.OverflowAction, d.OverflowAction)
	if b.FlushThreadCount == 0 {
		b.FlushThreadCount = d.FlushThreadCount
	}
	if b.QueueLimitLength == 0 {
		b.QueueLimitLength = d.QueueLimitLength
	}
	var errs []error
	if !oneOf(b.FlushMode, "default", "lazy", "interval", "immediate") {
		errs = append(errs, fmt.Errorf("buffer.flushMode %q must be default, lazy, interval or immediate", b.FlushMode))
	}
	if !oneOf(b.RetryType, "exponential_backoff", "periodic") {
		errs = append(errs, fmt.Errorf("buffer.retryType %q must be exponential_backoff or periodic", b.RetryType))
	}
	if !oneOf(b.OverflowAction, "throw_exception", "block", "drop_oldest_chunk") {
		errs = append(errs, fmt.Errorf("buffer.overflowAction %q must be throw_exception, block or drop_oldest_chunk", b.OverflowAction))
	}
	for _, t := range []struct{ key, v string }{{"buffer.flushInterval", b.FlushInterval}, {"buffer.retryMaxInterval", b.RetryMaxInterval}} {
		if !fluentTime.MatchString(t.v) {
			errs = append(errs, fmt.Errorf("%s %q is not a Fluentd duration: use a value such as 5s or 30", t.key, t.v))
		}
	}
	if !fluentSize.MatchString(b.ChunkLimitSize) {
		errs = append(errs, fmt.Errorf("buffer.chunkLimitSize %q is not a Fluentd size: use a value such as 2M", b.ChunkLimitSize))
	}
	for _, n := range []struct {
		key string
		v   int
	}{{"buffer.flushThreadCount", b.FlushThreadCount}, {"buffer.queueLimitLength", b.QueueLimitLength}, {"buffer.retryMaxTimes", b.RetryMaxTimes + 1}} {
		if n.v < 1 {
			errs = append(errs, fmt.Errorf("%s must be positive", n.key))
		}
	}
	return errs
}
