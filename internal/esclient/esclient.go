// Package esclient holds what every Elasticsearch client component (Fluentd,
// Logstash) checks the same way: how it authenticates and which Secret keys
// it reads. It creates no resources.
package esclient

import "errors"

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
