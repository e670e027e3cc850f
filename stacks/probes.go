package stacks

import (
	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/check"
)

// ProbesConfig lists the applications whose health endpoints the blackbox
// exporter probes (its rules: blackbox.CheckTargets). No targets: no
// exporter and no probe job.
type ProbesConfig struct {
	Replicas int               `json:"replicas" doc:"Blackbox exporter replicas; at least 1. Deployed only when targets is not empty."`
	Targets  []blackbox.Target `json:"targets" doc:"Applications to probe, each {service, team, url, endpoints}: service is its name (the service label, DNS-1123, unique); team (backend, infrastructure, payments or product) receives its EndpointDown and EndpointDegraded alerts; url is the base URL the exporter reaches it at (http(s)://host[:port][/prefix]); endpoints are any of /live, /ready, /health, /health/detailed, empty for all four."`
}

// validateProbes checks the probes list; each problem names its entry
// (probes.targets[1].team).
func validateProbes(ps *check.Problems, c *Config) {
	check.AtLeast(ps, "probes.replicas", c.Probes.Replicas, 1)
	for _, p := range blackbox.CheckTargets(c.Probes.Targets) {
		p.Field = "probes.targets" + p.Field
		*ps = append(*ps, p)
	}
}
