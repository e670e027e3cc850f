package stacks

import (
	"github.com/klearkarma/observability/internal/check"
)

// GrafanaConfig: with a url, Grafana objects are managed through its API
// (needs the grafanaAuth secret).
type GrafanaConfig struct {
	URL       string `json:"url" doc:"Grafana's root URL. Set: folders, datasources and dashboards go through Grafana's API (needs the grafanaAuth secret). Empty: provisioning files only. An http(s) URL."`
	AdminUser string `json:"adminUser" doc:"Login of the in-cluster Grafana admin; not empty."`
	// IngressHost, when set, exposes Grafana through an Ingress.
	IngressHost  string `json:"ingressHost" doc:"Host name that exposes Grafana through an Ingress; empty: no Ingress."`
	IngressClass string `json:"ingressClass" doc:"IngressClass of that Ingress."`
}

// validateGrafana checks Grafana's settings.
func validateGrafana(ps *check.Problems, c *Config) {
	if c.Grafana.AdminUser == "" {
		ps.Add("grafana.adminUser", "is empty", `set the admin login, such as "admin"`)
	}
	check.HostName(ps, "grafana.ingressHost", c.Grafana.IngressHost, "grafana.klearkarma.com")
	if c.Grafana.URL != "" {
		check.HTTPURL(ps, "grafana.url", c.Grafana.URL, "the root URL https://grafana.klearkarma.com", "or leave it empty")
	}
}
