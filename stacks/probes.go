package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// ProbesConfig lists the applications whose health endpoints the blackbox
// exporter probes (its rules: blackbox.CheckTargets). No targets: no
// exporter and no probe job.
type ProbesConfig struct {
	Replicas int               `json:"replicas" doc:"Blackbox exporter replicas; at least 1. Deployed only when targets is not empty."`
	Targets  []blackbox.Target `json:"targets" doc:"Applications to probe, each {service, team, url, endpoints}: service is its name (the service label, DNS-1123, unique); team (backend, infrastructure, payments or product) receives its EndpointDown and EndpointDegraded alerts; url is the base URL the exporter reaches it at (http(s)://host[:port][/prefix]), in-cluster in one of network.applicationNamespaces or outside on one of network.externalEgressPorts; endpoints are any of /live, /ready, /health, /health/detailed, empty for all four."`
}

// validateProbes checks the probes list; each problem names its entry
// (probes.targets[1].team).
func validateProbes(ps *check.Problems, c *Config) {
	check.AtLeast(ps, "probes.replicas", c.Probes.Replicas, 1)
	for _, p := range blackbox.CheckTargets(c.Probes.Targets) {
		p.Field = "probes.targets" + p.Field
		*ps = append(*ps, p)
	}
	for i, t := range c.Probes.Targets {
		checkProbeReachable(ps, fmt.Sprintf("probes.targets[%d].url", i), t, c)
	}
}

// checkProbeReachable holds a probe URL to the blackbox exporter's network
// policy (components/platform): it reaches Services in the application
// namespaces on any port and hosts outside the cluster only on
// network.externalEgressPorts, so any other URL would read as EndpointDown
// forever.
func checkProbeReachable(ps *check.Problems, key string, t blackbox.Target, c *Config) {
	r, ok := t.Reach()
	if !ok {
		return // blackbox.CheckTargets reports it
	}
	switch {
	case r.Namespace != "":
		if !slices.Contains(c.Network.ApplicationNamespaces, r.Namespace) {
			ps.Add(key, fmt.Sprintf("names a Service in namespace %q, which the blackbox exporter's network policy does not reach", r.Namespace),
				fmt.Sprintf("add %q to %s, or probe a Service in one of %s", r.Namespace, full("network.applicationNamespaces"), strings.Join(c.Network.ApplicationNamespaces, ", ")))
		}
	case r.Bare:
		ps.Add(key, fmt.Sprintf("host %q is a bare name, which resolves only in the exporter's own namespace", r.Host),
			"use the Service's full name, <service>.<namespace>.svc."+conventions.ClusterDomain)
	case !slices.Contains(c.Network.ExternalEgressPorts, r.Port):
		ps.Add(key, fmt.Sprintf("reaches %s outside the cluster on port %d, which %s does not open", r.Host, r.Port, full("network.externalEgressPorts")),
			fmt.Sprintf("probe it over https (443), or add %d to %s", r.Port, full("network.externalEgressPorts")))
	}
}
