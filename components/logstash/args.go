package logstash

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/workload"
)

// Args configure Logstash.
type Args struct {
	// Namespace it runs in (required); it must hold the Secrets named in
	// Elasticsearch.
	Namespace string
	// Replicas defaults to 1; each has its own queue volume.
	Replicas int
	// Elasticsearch is where both data streams live.
	Elasticsearch Elasticsearch
	// AppDataStream and AuditDataStream are the data streams (required), in
	// the logs-<dataset>-<namespace> form Logstash's data stream settings
	// are built from; use the same names as Fluentd.
	AppDataStream   string
	AuditDataStream string
	// QueueMaxBytes caps the persistent queue (default 1Gi); StorageSize is
	// each replica's volume (default 2Gi) and must be larger.
	QueueMaxBytes    string
	StorageSize      string
	StorageClassName string
	// HeapSize is the JVM heap (default 512Mi), below the memory limit.
	HeapSize string
	// Image defaults to DefaultImage.
	Image string
	// Resources default to 250m/1Gi requested, 2 CPUs/1Gi limit.
	Resources workload.Resources
}

// Elasticsearch is the cluster Logstash writes to.
type Elasticsearch struct {
	// Host is the HTTP Service's DNS name (required); it must be in the
	// certificate. Port defaults to 9200.
	Host string
	Port int
	// CASecretName names the Secret with the CA certificate that signed
	// the HTTP certificate (required); CASecretKey defaults to "ca.crt".
	CASecretName pulumi.StringInput
	CASecretKey  string
	// Credentials come from an existing Secret (CredentialsSecretName with
	// UsernameKey and PasswordKey, default "username" and "password") or
	// from Username and a secret Password, stored in a Secret of the
	// component's own. Exactly one of the two is required.
	CredentialsSecretName    pulumi.StringInput
	UsernameKey, PasswordKey string
	Username                 string
	Password                 pulumi.StringInput
}

// Sizing is what a stack decides about Logstash: how many replicas. The
// stack configuration uses it as its `logstash` key, and New checks the
// same value from Args, so the rule exists once (Check).
type Sizing struct {
	Replicas int `json:"replicas" doc:"Logstash pods for log sources outside the cluster; at least 1."`
}

// Check states the sizing rules; fields are named as the json tags.
func (s Sizing) Check() check.Problems {
	var ps check.Problems
	check.AtLeast(&ps, "replicas", s.Replicas, 1)
	return ps
}

// maxNameSize keeps the pods' controller-revision-hash label (the name and
// 11 characters) a label value.
const maxNameSize = 52

// checkName refuses an instance name that cannot name its objects.
func checkName(name string) error {
	if !check.IsDNSLabel(name) || len(name) > maxNameSize {
		return fmt.Errorf("the name must be a DNS label of at most %d characters: it names the Kubernetes objects", maxNameSize)
	}
	return nil
}

func (a *Args) withDefaults() error {
	var errs []error
	if !check.IsDNSLabel(a.Namespace) {
		errs = append(errs, fmt.Errorf("namespace %q is not a DNS label: pass the logs namespace the platform created", a.Namespace))
	}
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	for _, p := range (Sizing{Replicas: a.Replicas}).Check() {
		errs = append(errs, p)
	}
	errs = append(errs, a.Elasticsearch.withDefaults()...)
	errs = append(errs, esclient.CheckDataStreams(a.AppDataStream, a.AuditDataStream)...)
	def := func(v *string, dv string) {
		if *v == "" {
			*v = dv
		}
	}
	def(&a.QueueMaxBytes, "1Gi")
	def(&a.StorageSize, "2Gi")
	def(&a.HeapSize, "512Mi")
	def(&a.Image, DefaultImage)
	r := &a.Resources
	def(&r.RequestsCPU, "250m")
	def(&r.RequestsMemory, "1Gi")
	def(&r.LimitsCPU, "2")
	def(&r.LimitsMemory, "1Gi")
	q := map[string]resource.Quantity{}
	for _, f := range []struct{ key, v string }{
		{"queueMaxBytes", a.QueueMaxBytes}, {"storageSize", a.StorageSize}, {"heapSize", a.HeapSize},
		{"resources.requestsCpu", r.RequestsCPU}, {"resources.requestsMemory", r.RequestsMemory},
		{"resources.limitsCpu", r.LimitsCPU}, {"resources.limitsMemory", r.LimitsMemory},
	} {
		v, err := resource.ParseQuantity(f.v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not a Kubernetes quantity: use a value such as 1Gi", f.key, f.v))
			continue
		}
		q[f.key] = v
	}
	if qb, ok := q["queueMaxBytes"]; ok && qb.Value() < 1<<20 {
		errs = append(errs, fmt.Errorf("queueMaxBytes %q is below 1Mi: the persistent queue needs at least one page", a.QueueMaxBytes))
	}
	if qb, ok := q["queueMaxBytes"]; ok {
		if st, ok := q["storageSize"]; ok && st.Cmp(qb) <= 0 {
			errs = append(errs, fmt.Errorf("storageSize %s is not larger than queueMaxBytes %s: the volume also holds Logstash's other data; make it larger", a.StorageSize, a.QueueMaxBytes))
		}
	}
	if h, ok := q["heapSize"]; ok {
		if h.Value() < 256<<20 {
			errs = append(errs, fmt.Errorf("heapSize %s is below 256Mi, too small for Logstash to start", a.HeapSize))
		}
		if lim, ok := q["resources.limitsMemory"]; ok && h.Cmp(lim) >= 0 {
			errs = append(errs, fmt.Errorf("heapSize %s is not below the memory limit %s: the JVM needs memory besides its heap; raise the limit or lower the heap", a.HeapSize, r.LimitsMemory))
		}
	}
	return errors.Join(errs...)
}

func (e *Elasticsearch) withDefaults() []error {
	errs := esclient.CheckHost(e.Host)
	errs = append(errs, esclient.CheckPort(&e.Port)...)
	if e.CASecretName == nil {
		errs = append(errs, errors.New("elasticsearch.caSecretName is required: pass the Secret holding the CA that signed Elasticsearch's HTTP certificate"))
	}
	errs = append(errs, esclient.CheckCredentials(e.CredentialsSecretName != nil, e.Password != nil, e.Username)...)
	esclient.DefaultKeys(&e.CASecretKey, &e.UsernameKey, &e.PasswordKey)
	return errs
}
