package stacks

import (
	"github.com/klearkarma/observability/components/grafana"
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

// Ingress is the component's Ingress this config asks for; nil without an
// ingress host.
func (g GrafanaConfig) Ingress() *grafana.Ingress {
	if g.IngressHost == "" {
		return nil
	}
	return &grafana.Ingress{Host: g.IngressHost, ClassName: g.IngressClass}
}

// validateGrafana checks Grafana's settings; the Ingress rules are the
// component's (grafana.Ingress.Check). The URL is the API provider's, which
// no component takes, so its rule is here.
func validateGrafana(ps *check.Problems, c *Config) {
	if c.Grafana.AdminUser == "" {
		ps.Add("grafana.adminUser", "is empty", `set the admin login, such as "admin"`)
	}
	if in := c.Grafana.Ingress(); in != nil {
		ps.Merge("grafana", in.Check(), map[string]string{"host": "ingressHost", "className": "ingressClass"})
	}
	if c.Grafana.URL != "" {
		check.HTTPURL(ps, "grafana.url", c.Grafana.URL, "the root URL https://grafana.klearkarma.com", "or leave it empty")
	}
}
