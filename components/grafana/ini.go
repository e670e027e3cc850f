package grafana

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// renderINI writes grafana.ini: what differs from Grafana's defaults for a
// locked-down, offline-capable server. Credentials never go here; they come
// from the admin Secret through the environment.
func renderINI(in *Ingress) string {
	sections := map[string]map[string]string{
		"analytics": {
			// The offline stack has no Internet, and no stack should phone home.
			"reporting_enabled": "false", "check_for_updates": "false", "check_for_plugin_updates": "false",
		},
		"auth.anonymous": {"enabled": "false"},
		"log":            {"mode": "console"},
		"news":           {"news_feed_enabled": "false"},
		"paths": {
			"data": dataDir, "plugins": dataDir + "/plugins", "logs": dataDir + "/log", "provisioning": provisioningDir,
		},
		"security": {"disable_gravatar": "true", "cookie_secure": "false"},
		"server":   {"http_port": fmt.Sprint(HTTPPort)},
		"users":    {"allow_sign_up": "false"},
	}
	if in != nil {
		sections["server"]["domain"] = in.Host
		sections["server"]["root_url"] = externalURL(in)
		if in.TLSSecretName != "" {
			sections["security"]["cookie_secure"] = "true"
		}
	}
	var b strings.Builder
	for i, name := range slices.Sorted(maps.Keys(sections)) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[%s]\n", name)
		for _, k := range slices.Sorted(maps.Keys(sections[name])) {
			fmt.Fprintf(&b, "%s = %s\n", k, sections[name][k])
		}
	}
	return b.String()
}

// externalURL is Grafana's root URL behind the Ingress ("" without one).
func externalURL(in *Ingress) string {
	if in == nil {
		return ""
	}
	scheme := "http"
	if in.TLSSecretName != "" {
		scheme = "https"
	}
	return scheme + "://" + in.Host + "/"
}
