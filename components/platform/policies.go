package platform

import (
	"sort"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type policy struct {
	role       string
	objectName string
	spec       *networkingv1.NetworkPolicySpecArgs
}

var allPods = &metav1.LabelSelectorArgs{}

// networkPolicies is the fence of one namespace: deny everything, allow DNS
// for every pod, then one policy per workload of the namespace with exactly
// its edges (connectivity.go): what may reach it, what it may reach.
func networkPolicies(args Args, ns Namespace) []policy {
	ps := []policy{
		{"default-deny", "default-deny-all", &networkingv1.NetworkPolicySpecArgs{PodSelector: allPods, PolicyTypes: pulumi.ToStringArray([]string{"Ingress", "Egress"})}},
		{"allow-dns", "allow-dns", &networkingv1.NetworkPolicySpecArgs{
			PodSelector: allPods, PolicyTypes: pulumi.ToStringArray([]string{"Egress"}),
			Egress: networkingv1.NetworkPolicyEgressRuleArray{&networkingv1.NetworkPolicyEgressRuleArgs{
				To: networkingv1.NetworkPolicyPeerArray{&networkingv1.NetworkPolicyPeerArgs{
					NamespaceSelector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"kubernetes.io/metadata.name": pulumi.String("kube-system")}},
					PodSelector:       &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"k8s-app": pulumi.String("kube-dns")}},
				}},
				Ports: portArgs([]port{{53, "UDP"}, {53, "TCP"}}),
			}},
		}},
	}
	r := resolver{namespaces: map[string]string{}}
	for _, n := range args.Namespaces {
		r.namespaces[n.Purpose] = n.Name
	}
	edges := args.edges()
	for _, w := range fencedWorkloads {
		if w.purpose == ns.Purpose {
			if p, ok := r.workloadPolicy(w, edges); ok {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// resolver turns the sides of edges into peers as seen from one workload's
// namespace.
type resolver struct {
	// namespaces maps each purpose to its namespace's name.
	namespaces map[string]string
}

// workloadPolicy selects w's pods and lists every edge from or to it whose
// other side this platform has. ok is false when w has none.
func (r resolver) workloadPolicy(w fenced, edges []edge) (policy, bool) {
	var ingress networkingv1.NetworkPolicyIngressRuleArray
	var egress networkingv1.NetworkPolicyEgressRuleArray
	for _, e := range edges {
		if len(e.ports) == 0 && !e.everyPort {
			continue
		}
		if e.from.is(w) {
			if peers, ok := r.peers(e.to, w.purpose); ok {
				egress = append(egress, &networkingv1.NetworkPolicyEgressRuleArgs{To: peers, Ports: portArgs(e.ports)})
			}
		}
		if e.to.is(w) {
			if peers, ok := r.peers(e.from, w.purpose); ok {
				ingress = append(ingress, &networkingv1.NetworkPolicyIngressRuleArgs{From: peers, Ports: portArgs(e.ports)})
			}
		}
	}
	var types []string
	if len(ingress) > 0 {
		types = append(types, "Ingress")
	}
	if len(egress) > 0 {
		types = append(types, "Egress")
	}
	if len(types) == 0 {
		return policy{}, false
	}
	spec := &networkingv1.NetworkPolicySpecArgs{
		PodSelector: &metav1.LabelSelectorArgs{MatchLabels: w.labels().Selector()},
		PolicyTypes: pulumi.ToStringArray(types),
	}
	if len(ingress) > 0 {
		spec.Ingress = ingress
	}
	if len(egress) > 0 {
		spec.Egress = egress
	}
	return policy{role: "allow-" + w.key, objectName: "allow-" + w.key, spec: spec}, true
}

// peers is s as a rule's peers in a policy of the namespace of purpose
// from; ok is false when the platform has no such peer (a workload of a
// namespace it does not create, a list the stack left empty), so the rule
// is left out rather than opened to every peer.
func (r resolver) peers(s side, from string) (networkingv1.NetworkPolicyPeerArray, bool) {
	switch {
	case s.empty():
		return nil, false
	case s.workload != nil:
		ns, ok := r.namespaces[s.workload.purpose]
		if !ok {
			return nil, false
		}
		p := &networkingv1.NetworkPolicyPeerArgs{PodSelector: &metav1.LabelSelectorArgs{MatchLabels: s.workload.labels().Selector()}}
		if s.workload.purpose != from {
			p.NamespaceSelector = &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"kubernetes.io/metadata.name": pulumi.String(ns)}}
		}
		return networkingv1.NetworkPolicyPeerArray{p}, true
	case len(s.namespaces) > 0:
		return networkingv1.NetworkPolicyPeerArray{namespacesIn(s.namespaces)}, true
	default:
		var out networkingv1.NetworkPolicyPeerArray
		for _, c := range s.cidrs {
			out = append(out, &networkingv1.NetworkPolicyPeerArgs{IpBlock: &networkingv1.IPBlockArgs{Cidr: pulumi.String(c)}})
		}
		return out, true
	}
}

func namespacesIn(names []string) *networkingv1.NetworkPolicyPeerArgs {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	return &networkingv1.NetworkPolicyPeerArgs{NamespaceSelector: &metav1.LabelSelectorArgs{
		MatchExpressions: metav1.LabelSelectorRequirementArray{&metav1.LabelSelectorRequirementArgs{
			Key: pulumi.String("kubernetes.io/metadata.name"), Operator: pulumi.String("In"), Values: pulumi.ToStringArray(sorted),
		}},
	}}
}

// portArgs is nil for no ports, which a rule reads as every port: only an
// edge marked everyPort gets there (workloadPolicy drops the others).
func portArgs(ports []port) networkingv1.NetworkPolicyPortArray {
	if len(ports) == 0 {
		return nil
	}
	out := networkingv1.NetworkPolicyPortArray{}
	for _, p := range ports {
		out = append(out, &networkingv1.NetworkPolicyPortArgs{Protocol: pulumi.String(p.protocol), Port: pulumi.Int(p.number)})
	}
	return out
}
