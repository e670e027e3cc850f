package kibana

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/workload"
)

// Ingress exposes Kibana through the cluster's ingress controller.
type Ingress struct {
	// Host is the public host name, e.g. kibana.klearkarma.com (required).
	Host string
	// ClassName selects the ingress controller; empty uses the default class.
	ClassName string
	// TLSSecretName, when set, terminates TLS with that certificate Secret
	// and makes the public URL https; without it the URL is http.
	TLSSecretName string
	// Annotations for the ingress controller.
	Annotations map[string]string
}

// Args configure Kibana.
type Args struct {
	// Namespace Kibana runs in (required); the Elasticsearch credentials
	// Secret and CA certificate Secret must be in it.
	Namespace string
	// Replicas default to 1; more need EncryptionKey, so that every
	// instance reads the others' sessions and saved objects.
	Replicas int
	// Image defaults to DefaultImage.
	Image string
	// Resources default to 1Gi of memory.
	Resources workload.Resources

	// ElasticsearchURL is the HTTPS URL of Elasticsearch (required).
	ElasticsearchURL pulumi.StringInput
	// CASecret holds the Elasticsearch CA certificate under
	// elasticsearch.CASecretKey (required).
	CASecret pulumi.StringInput
	// CredentialsSecret holds the kibana_system password under PasswordKey
	// (required).
	CredentialsSecret pulumi.StringInput
	// PasswordKey defaults to elasticsearch.SecretKeyKibanaSystem.
	PasswordKey string
	// EncryptionKey (secret, at least 32 characters) encrypts sessions,
	// saved-object secrets and reports; without it each start makes a new
	// one and logs out every user.
	EncryptionKey pulumi.StringInput

	// Ingress, when set, exposes Kibana.
	Ingress *Ingress
}

// Settings is what a stack decides about Kibana: how many pods, and the
// Ingress that exposes it. The stack configuration uses it as its `kibana`
// key, and New checks the same values from Args, so these rules exist
// once (Check).
type Settings struct {
	Replicas     int    `json:"replicas" doc:"Kibana pods; at least 1 (more than 1 needs the kibanaEncryptionKey secret)."`
	IngressHost  string `json:"ingressHost" doc:"Host name that exposes Kibana through an Ingress; empty: no Ingress."`
	IngressClass string `json:"ingressClass" doc:"IngressClass of that Ingress."`
}

// Check states the rules; fields are named as the json tags. An empty
// host or class is allowed: no Ingress, or the cluster's default class.
func (s Settings) Check() check.Problems {
	var ps check.Problems
	check.AtLeast(&ps, "replicas", s.Replicas, 1)
	check.HostName(&ps, "ingressHost", s.IngressHost, "kibana.klearkarma.com")
	check.DNSLabel(&ps, "ingressClass", s.IngressClass, false)
	return ps
}

// maxNameSize keeps the names a Deployment derives (ReplicaSets, pods)
// valid.
const maxNameSize = 52

// checkName refuses an instance name that cannot name its objects.
func checkName(name string) error {
	if !check.IsDNSLabel(name) || len(name) > maxNameSize {
		return fmt.Errorf("the name must be a DNS label of at most %d characters (lower-case letters, digits, '-'): it names the Kubernetes objects", maxNameSize)
	}
	return nil
}

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("namespace is required: pass the namespace Elasticsearch runs in"))
	}
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	if a.Replicas > 1 && a.EncryptionKey == nil {
		errs = append(errs, fmt.Errorf("replicas is %d but EncryptionKey is not set: instances must share one key; pass the kibanaEncryptionKey secret or run 1 replica", a.Replicas))
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.PasswordKey == "" {
		a.PasswordKey = elasticsearch.SecretKeyKibanaSystem
	}
	if a.ElasticsearchURL == nil {
		errs = append(errs, errors.New("ElasticsearchURL is required: pass the elasticsearch component's URL output"))
	}
	if a.CASecret == nil {
		errs = append(errs, errors.New("CASecret is required: pass the elasticsearch component's CASecret output"))
	}
	if a.CredentialsSecret == nil {
		errs = append(errs, errors.New("CredentialsSecret is required: pass the elasticsearch component's CredentialsSecret output"))
	}
	// The stack's rules (Settings.Check), named as this component's fields.
	s := Settings{Replicas: a.Replicas}
	if in := a.Ingress; in != nil {
		if in.Host == "" {
			errs = append(errs, errors.New("ingress.host is required: set the public host name, or pass no Ingress"))
		}
		s.IngressHost, s.IngressClass = in.Host, in.ClassName
	}
	var ps check.Problems
	ps.Merge("", s.Check(), map[string]string{"ingressHost": "ingress.host", "ingressClass": "ingress.className"})
	defaultResources(&ps, &a.Resources)
	for _, p := range ps {
		errs = append(errs, p)
	}
	return errors.Join(errs...)
}

// defaultResources fills unset requests and limits (100m and 1Gi
// requested, 1 CPU and 1Gi limit) and checks each is a quantity.
func defaultResources(ps *check.Problems, r *workload.Resources) {
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "100m"},
		{"resources.requestsMemory", &r.RequestsMemory, "1Gi"},
		{"resources.limitsCpu", &r.LimitsCPU, "1"},
		{"resources.limitsMemory", &r.LimitsMemory, "1Gi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		check.Quantity(ps, f.key, *f.v)
	}
}

func (a *Args) publicURL() string {
	if a.Ingress == nil {
		return ""
	}
	scheme := "http"
	if a.Ingress.TLSSecretName != "" {
		scheme = "https"
	}
	return scheme + "://" + a.Ingress.Host
}
