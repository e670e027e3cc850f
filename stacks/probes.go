package stacks

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
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
		checkProbeReachable(ps, fmt.Sprintf("probes.targets[%d].url", i), t.URL, c)
	}
}

// checkProbeReachable holds a probe URL to the metrics namespace's network
// policies (components/platform): its pods reach the application
// namespaces on any port and the outside only on network.externalEgressPorts,
// so any other URL would read as EndpointDown forever.
func checkProbeReachable(ps *check.Problems, key, raw string, c *Config) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return // blackbox.CheckTargets reports it
	}
	host := strings.TrimSuffix(u.Hostname(), "."+conventions.ClusterDomain)
	if labels := strings.Split(host, "."); len(labels) == 3 && labels[2] == "svc" {
		ns := labels[1]
		if !slices.Contains(c.Network.ApplicationNamespaces, ns) {
			ps.Add(key, fmt.Sprintf("names a Service in namespace %q, which the metrics namespace's network policies do not reach", ns),
				fmt.Sprintf("add %q to %s, or probe a Service in one of %s", ns, full("network.applicationNamespaces"), strings.Join(c.Network.ApplicationNamespaces, ", ")))
		}
		return
	}
	if net.ParseIP(host) == nil && !strings.Contains(host, ".") {
		ps.Add(key, fmt.Sprintf("host %q is a bare name, which resolves only in the exporter's own namespace", u.Hostname()),
			"use the Service's full name, <service>.<namespace>.svc."+conventions.ClusterDomain)
		return
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	n, _ := strconv.Atoi(port)
	if !slices.Contains(c.Network.ExternalEgressPorts, n) {
		ps.Add(key, fmt.Sprintf("reaches %s outside the cluster on port %s, which %s does not open", u.Hostname(), port, full("network.externalEgressPorts")),
			fmt.Sprintf("probe it over https (443), or add %s to %s", port, full("network.externalEgressPorts")))
	}
}
