package stacks

import (
	"fmt"

	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/workload"
)

// KubernetesConfig chooses where the kubernetes provider sends objects.
type KubernetesConfig struct {
	// RenderDir, when set, renders YAML manifests to this directory (relative
	// to the project) instead of talking to a cluster.
	RenderDir  string `json:"renderDir" doc:"Renders every Kubernetes object as YAML into this directory (relative to the project) instead of a cluster; not with kubeconfig/context."`
	Kubeconfig string `json:"kubeconfig" doc:"Kubeconfig file of the target cluster; empty: the default one."`
	Context    string `json:"context" doc:"Kubeconfig context of the target cluster; empty: the current one."`
	// Nodes sizes the quota check: DaemonSets (node-exporter, Fluentd) run a pod on every node.
	Nodes int `json:"nodes" doc:"Nodes of the target cluster. DaemonSets (node-exporter, Fluentd) run a pod on each, so the quota check counts them this many times; at least 1."`
}

// NamespacesConfig names the namespaces the platform owns.
type NamespacesConfig struct {
	Monitoring string `json:"monitoring" doc:"Namespace of Prometheus, Thanos, Alertmanager, the exporters and Grafana; a DNS-1123 label."`
	Logging    string `json:"logging" doc:"Namespace of Elasticsearch, Kibana, Logstash and Fluentd; a DNS-1123 label."`
	Tracing    string `json:"tracing" doc:"Namespace of Jaeger and Cassandra; a DNS-1123 label. The three namespaces differ."`
}

// NetworkConfig lists the peers the default-deny policies let through (its
// rules: platform.Network.Check).
type NetworkConfig = platform.Network

// QuotaConfig is one namespace's ResourceQuota (its rules: platform.Quota.Check).
type QuotaConfig = platform.Quota

// LimitRangeConfig is one namespace's container LimitRange (its rules:
// platform.LimitRange.Check).
type LimitRangeConfig = platform.LimitRange

// validatePlatform checks the namespaces, the network peers and the fences
// with the platform component's rules, its fields mapped to these keys.
func validatePlatform(ps *check.Problems, c *Config) {
	check.AtLeast(ps, "kubernetes.nodes", c.Kubernetes.Nodes, 1)
	ns := c.Namespaces
	// The stack names each namespace by its key; the program gives them
	// their purposes (metrics, logs, traces).
	var list []platform.Namespace
	rename := map[string]string{}
	for i, n := range []struct{ key, name string }{{"monitoring", ns.Monitoring}, {"logging", ns.Logging}, {"tracing", ns.Tracing}} {
		list = append(list, platform.Namespace{Name: n.name, Purpose: n.key})
		rename[fmt.Sprintf("namespaces[%d].name", i)] = "namespaces." + n.key
	}
	named := func(f string) string {
		if to, ok := rename[f]; ok {
			f = to
		}
		return full(f)
	}
	ps.Merge("", platform.CheckNamespaces(list, named), rename)
	ps.Merge("network", c.Network.Check(), nil)
	ps.Merge("quota", c.Quota.Check(fullUnder("quota")), nil)
	ps.Merge("limitRange", c.LimitRange.Check(fullUnder("limitRange")), nil)
}

// DataProtectionConfig is the stack's data policy. Prometheus, Alertmanager,
// Elasticsearch and Cassandra keep their data on the volume claims of their
// StatefulSets, which Kubernetes keeps when a StatefulSet is deleted; they
// are lost only with their namespace, which is why namespaces carry it.
type DataProtectionConfig struct {
	Protect bool `json:"protect" doc:"Refuses to delete or replace the data-holding resources (pulumi protect): a destroy fails while they exist. To take a stack down on purpose, set it to false and run up first."`
	Retain  bool `json:"retainOnDelete" doc:"Leaves the data-holding resources in place when the stack deletes them (pulumi retainOnDelete): a destroy removes the workloads and keeps buckets, namespaces and their volumes, which a later up adopts."`
}

// Policy is the policy the components apply.
func (d DataProtectionConfig) Policy() workload.DataPolicy {
	return workload.DataPolicy{Protect: d.Protect, Retain: d.Retain}
}
