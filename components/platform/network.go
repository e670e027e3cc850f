package platform

import (
	"fmt"
	"net/netip"

	"github.com/klearkarma/observability/internal/check"
)

// Network is who the platform's pods talk to outside the platform: the
// peers its NetworkPolicies let through. The stack configuration uses this
// type as its network section, so the fields carry its keys and docs.
type Network struct {
	ApplicationNamespaces []string `json:"applicationNamespaces" doc:"Namespaces of the applications: Prometheus scrapes their pods (on the ports they annotate); they send traces to the collector (OTLP 4317 and 4318, Jaeger Thrift 14268) and logs to Logstash (5044, 8080), nothing else."`
	IngressNamespaces     []string `json:"ingressNamespaces" doc:"Namespaces of the ingress controllers in front of the UIs: they reach Grafana (3000), Kibana (5601) and both Jaeger query UIs (16686), nothing else."`
	ExternalEgressPorts   []int    `json:"externalEgressPorts" doc:"TCP ports Alertmanager may reach outside the cluster: HTTPS for PagerDuty and Slack, SMTP submission for email; 1 to 65535. No other pod reaches the internet, except the object storage clients on 443 when the buckets are S3."`
	NodeCIDRs             []string `json:"nodeCidrs" doc:"Address ranges of the cluster's nodes, where Prometheus scrapes the kubelet (10250, cAdvisor) and the host-network node-exporter (9100); at least one CIDR. The default, the private ranges, fits any cluster: narrow it to the node subnets."`
	APIServerCIDRs        []string `json:"apiServerCidrs" doc:"Address ranges of the Kubernetes API server as pods reach it (after the kubernetes Service's address translation), on 443 and 6443: Prometheus's service discovery, kube-state-metrics, Fluentd's metadata filter and the Elasticsearch CA Job; at least one CIDR."`
}

// Check states the network's rules: every namespace a DNS-1123 label, every
// port a TCP port, every range a CIDR in canonical form, and at least one
// range for the nodes and the API server (without them Prometheus would see
// no node and no target). Fields are named as Network's json tags.
func (n Network) Check() check.Problems {
	var ps check.Problems
	for i, ns := range n.ApplicationNamespaces {
		check.DNSLabel(&ps, fmt.Sprintf("applicationNamespaces[%d]", i), ns, true)
	}
	for i, ns := range n.IngressNamespaces {
		check.DNSLabel(&ps, fmt.Sprintf("ingressNamespaces[%d]", i), ns, true)
	}
	for i, p := range n.ExternalEgressPorts {
		if p < 1 || p > 65535 {
			ps.Add(fmt.Sprintf("externalEgressPorts[%d]", i), fmt.Sprintf("%d is not a TCP port", p), "use a port from 1 to 65535")
		}
	}
	checkCIDRs(&ps, "nodeCidrs", n.NodeCIDRs, "list the address ranges of the cluster's nodes, such as 10.0.0.0/16: Prometheus scrapes the kubelet and node-exporter there")
	checkCIDRs(&ps, "apiServerCidrs", n.APIServerCIDRs, "list the address ranges the API server answers on, such as 10.0.0.0/16 (the control plane's addresses, not the kubernetes Service's)")
	return ps
}

// checkCIDRs: at least one range, each parsed as the API server parses an
// ipBlock and written without host bits, so the policy says what it allows.
func checkCIDRs(ps *check.Problems, field string, cidrs []string, fixEmpty string) {
	if len(cidrs) == 0 {
		ps.Add(field, "is empty", fixEmpty)
	}
	for i, c := range cidrs {
		f := fmt.Sprintf("%s[%d]", field, i)
		p, err := netip.ParsePrefix(c)
		switch {
		case err != nil:
			ps.Add(f, fmt.Sprintf("%q is not a CIDR", c), "write an address range as address/bits, such as 10.0.0.0/8")
		case p != p.Masked():
			ps.Add(f, fmt.Sprintf("%q has host bits set", c), fmt.Sprintf("write it as %s", p.Masked()))
		}
	}
}
