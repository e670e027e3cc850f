// Package esclient holds what every Elasticsearch client component (Fluentd,
// Logstash) checks the same way: the Service host it dials, the data
// streams it writes, how it authenticates and which Secret keys it reads.
// It creates no resources.
package esclient

import (
	"errors"
	"fmt"
	"regexp"

	"k8s.io/apimachinery/pkg/util/validation"
)

// DefaultPort is Elasticsearch's HTTP port.
const DefaultPort = 9200

// CheckHost validates the host a client dials: a DNS name without scheme
// or port (the Service's, which the server certificate carries).
func CheckHost(host string) []error {
	switch {
	case host == "":
		return []error{errors.New("elasticsearch.host is required: pass the Elasticsearch HTTP Service's DNS name")}
	case len(validation.IsDNS1123Subdomain(host)) > 0:
		return []error{fmt.Errorf("elasticsearch.host %q is not a DNS name: pass a host name without scheme or port", host)}
	}
	return nil
}

// CheckPort defaults an unset port to DefaultPort and validates it.
func CheckPort(port *int) []error {
	if *port == 0 {
		*port = DefaultPort
	}
	if *port < 1 || *port > 65535 {
		return []error{fmt.Errorf("elasticsearch.port %d is not a TCP port", *port)}
	}
	return nil
}

// dataStream is Elasticsearch's <type>-<dataset>-<namespace> for logs: lower
// case, no '-' inside dataset or namespace.
var dataStream = regexp.MustCompile(`^(logs)-([a-z0-9_.]+)-([a-z0-9_.]+)$`)

// SplitDataStream splits a data stream name into the type, dataset and
// namespace Elasticsearch builds it from; ok is false when it is not one.
func SplitDataStream(name string) (typ, dataset, namespace string, ok bool) {
	m := dataStream.FindStringSubmatch(name)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// CheckDataStreams validates the two streams a writer routes to: each a
// logs data stream name, and two different ones.
func CheckDataStreams(app, audit string) []error {
	var errs []error
	for _, s := range []struct{ key, v string }{{"appDataStream", app}, {"auditDataStream", audit}} {
		if _, _, _, ok := SplitDataStream(s.v); !ok {
			errs = append(errs, fmt.Errorf("%s %q is not a data stream name: use logs-<dataset>-<namespace> in lower case, e.g. logs-klearkarma.app-default", s.key, s.v))
		}
	}
	if app != "" && app == audit {
		errs = append(errs, fmt.Errorf("appDataStream and auditDataStream are both %q: audit events need their own stream for their own retention", app))
	}
	return errs
}

// CheckCredentials validates how a client authenticates: a Secret holding
// username and password, or a username with a password; exactly one.
func CheckCredentials(hasSecret, hasPassword bool, username string) []error {
	switch {
	case hasSecret && hasPassword:
		return []error{errors.New("elasticsearch credentials are given twice: pass either credentialsSecretName or username and password")}
	case !hasSecret && !hasPassword:
		return []error{errors.New("elasticsearch credentials are missing: pass credentialsSecretName, or username and the password secret")}
	case hasPassword && username == "":
		return []error{errors.New("elasticsearch.username is required with a password")}
	case hasSecret && username != "":
		return []error{errors.New("elasticsearch.username is set with credentialsSecretName: the Secret's username key is used; drop username")}
	}
	return nil
}

// DefaultKeys fills the Secret keys a client reads when they are empty:
// ca.crt for the CA, username and password for the credentials.
func DefaultKeys(caKey, usernameKey, passwordKey *string) {
	for _, k := range []struct {
		p *string
		v string
	}{{caKey, "ca.crt"}, {usernameKey, "username"}, {passwordKey, "password"}} {
		if *k.p == "" {
			*k.p = k.v
		}
	}
}
