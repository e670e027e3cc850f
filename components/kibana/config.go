package kibana

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/encoding"
)

// renderConfig is kibana.yml. Values from Secrets and Outputs come from
// environment variables, which Kibana substitutes, so the file holds no
// secret and changes only with what it decides.
func renderConfig(name string, a Args) (string, error) {
	m := map[string]any{
		"server.name":            name,
		"server.host":            "0.0.0.0",
		"server.port":            Port,
		"path.data":              kibanaHome + "/data",
		"elasticsearch.hosts":    "${" + environmentURL + "}",
		"elasticsearch.username": "kibana_system",
		"elasticsearch.password": "${" + environmentPwd + "}",
		"elasticsearch.ssl.certificateAuthorities": []string{caMountPath + "/" + elasticsearch.CASecretKey},
		"elasticsearch.ssl.verificationMode":       "full",
		// The offline stack has no way out, and the others need none.
		"telemetry.optIn":                    false,
		"telemetry.allowChangingOptInStatus": false,
		"newsfeed.enabled":                   false,
	}
	if u := a.publicURL(); u != "" {
		m["server.publicBaseUrl"] = u
	}
	if a.EncryptionKey != nil {
		for _, k := range []string{"xpack.security.encryptionKey", "xpack.encryptedSavedObjects.encryptionKey", "xpack.reporting.encryptionKey"} {
			m[k] = "${" + environmentKey + "}"
		}
	}
	return encoding.YAML(m)
}

// nodeOptions caps Node's heap under the memory limit, leaving room for
// the rest of the process; Node does not size its heap from the cgroup.
func nodeOptions(limit string) string {
	q, _ := resource.ParseQuantity(limit) // validated in withDefaults
	return fmt.Sprintf("--max-old-space-size=%d", max(256, q.Value()*3/4>>20))
}
