package netpol_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/klearkarma/observability/internal/netpol"
)

// The cluster of the tests: two platform namespaces, one application
// namespace, a hostNetwork node exporter and the internet.
var (
	platformNS = map[string]string{"platform": "true"}

	prometheus = netpol.Endpoint{
		Name: "prometheus", Namespace: "monitoring", NamespaceLabels: platformNS,
		Labels: map[string]string{"app": "prometheus"},
		Ports:  map[string]netpol.ContainerPort{"web": {Port: 9090}},
		IP:     "10.1.0.10",
	}
	grafana = netpol.Endpoint{
		Name: "grafana", Namespace: "monitoring", NamespaceLabels: platformNS,
		Labels: map[string]string{"app": "grafana"},
		Ports:  map[string]netpol.ContainerPort{"http": {Port: 3000}},
	}
	elasticsearch = netpol.Endpoint{
		Name: "elasticsearch", Namespace: "logging", NamespaceLabels: platformNS,
		Labels: map[string]string{"app": "elasticsearch"},
		Ports:  map[string]netpol.ContainerPort{"http": {Port: 9200}, "transport": {Port: 9300}},
	}
	kibana = netpol.Endpoint{
		Name: "kibana", Namespace: "logging", NamespaceLabels: platformNS,
		Labels: map[string]string{"app": "kibana"},
		Ports:  map[string]netpol.ContainerPort{"http": {Port: 5601}},
	}
	coredns = netpol.Endpoint{
		Name: "coredns", Namespace: "kube-system",
		Labels: map[string]string{"k8s-app": "kube-dns"},
		Ports:  map[string]netpol.ContainerPort{"dns": {Port: 53, Protocol: corev1.ProtocolUDP}, "dns-tcp": {Port: 53}},
	}
	shop = netpol.Endpoint{
		Name: "shop", Namespace: "apps", NamespaceLabels: map[string]string{"team": "a"},
		Labels: map[string]string{"app": "shop"},
		Ports:  map[string]netpol.ContainerPort{"metrics": {Port: 8080}},
	}
	cart = netpol.Endpoint{
		Name: "cart", Namespace: "apps", NamespaceLabels: map[string]string{"team": "a"},
		Labels: map[string]string{"app": "cart"},
	}
	nodeExporter = netpol.Endpoint{
		Name: "node-exporter", Namespace: "monitoring", NamespaceLabels: platformNS,
		Labels: map[string]string{"app": "node-exporter"}, HostNetwork: true,
		Ports: map[string]netpol.ContainerPort{"metrics": {Port: 9100}},
		IP:    "10.0.0.5",
	}
	s3       = netpol.External("s3", "52.216.8.1")
	internet = netpol.External("the internet", "0.0.0.0/0")
)

// Builders keep each case's policy readable as the YAML it stands for.

func policy(ns, name string, sel metav1.LabelSelector, types ...networkingv1.PolicyType) networkingv1.NetworkPolicy {
	return networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       networkingv1.NetworkPolicySpec{PodSelector: sel, PolicyTypes: types},
	}
}

func withIngress(np networkingv1.NetworkPolicy, rules ...networkingv1.NetworkPolicyIngressRule) networkingv1.NetworkPolicy {
	np.Spec.Ingress = append(np.Spec.Ingress, rules...)
	return np
}

func withEgress(np networkingv1.NetworkPolicy, rules ...networkingv1.NetworkPolicyEgressRule) networkingv1.NetworkPolicy {
	np.Spec.Egress = append(np.Spec.Egress, rules...)
	return np
}

func from(ports []networkingv1.NetworkPolicyPort, peers ...networkingv1.NetworkPolicyPeer) networkingv1.NetworkPolicyIngressRule {
	return networkingv1.NetworkPolicyIngressRule{Ports: ports, From: peers}
}

func to(ports []networkingv1.NetworkPolicyPort, peers ...networkingv1.NetworkPolicyPeer) networkingv1.NetworkPolicyEgressRule {
	return networkingv1.NetworkPolicyEgressRule{Ports: ports, To: peers}
}

func sel(kv ...string) metav1.LabelSelector {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return metav1.LabelSelector{MatchLabels: m}
}

func selp(kv ...string) *metav1.LabelSelector { s := sel(kv...); return &s }

var all = metav1.LabelSelector{}

func pods(kv ...string) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{PodSelector: selp(kv...)}
}

func namespaces(kv ...string) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{NamespaceSelector: selp(kv...)}
}

func cidr(block string, except ...string) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: block, Except: except}}
}

func port(proto corev1.Protocol, p int32) networkingv1.NetworkPolicyPort {
	pp := intstr.FromInt32(p)
	out := networkingv1.NetworkPolicyPort{Port: &pp}
	if proto != "" {
		out.Protocol = &proto
	}
	return out
}

func named(proto corev1.Protocol, name string) networkingv1.NetworkPolicyPort {
	pp := intstr.FromString(name)
	out := networkingv1.NetworkPolicyPort{Port: &pp}
	if proto != "" {
		out.Protocol = &proto
	}
	return out
}

func portRange(p, end int32) networkingv1.NetworkPolicyPort {
	out := port("", p)
	out.EndPort = &end
	return out
}

func ports(p ...networkingv1.NetworkPolicyPort) []networkingv1.NetworkPolicyPort { return p }

const (
	tcp  = corev1.ProtocolTCP
	udp  = corev1.ProtocolUDP
	sctp = corev1.ProtocolSCTP
)

var (
	both       = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}
	egressOnly = []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
)

type probe struct {
	from, to netpol.Endpoint
	port     int32
	proto    corev1.Protocol
	want     bool
}

func TestAllowed(t *testing.T) {
	denyIngressLogging := policy("logging", "default-deny", all)
	cases := map[string]struct {
		policies []networkingv1.NetworkPolicy
		probes   []probe
	}{
		"without any policy every flow is allowed": {
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: s3, to: grafana, port: 3000, want: true},
				{from: shop, to: internet, port: 443, want: true},
			},
		},
		"a deny-all policy without policyTypes isolates its namespace's pods for ingress only": {
			policies: []networkingv1.NetworkPolicy{denyIngressLogging},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
				{from: elasticsearch, to: prometheus, port: 9090, want: true},
				{from: elasticsearch, to: s3, port: 443, want: true},
			},
		},
		"a policy isolates only the pods its podSelector matches": {
			policies: []networkingv1.NetworkPolicy{policy("logging", "deny-kibana", sel("app", "kibana"))},
			probes: []probe{
				{from: prometheus, to: kibana, port: 5601, want: false},
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
			},
		},
		"a policy selects pods of its own namespace only": {
			policies: []networkingv1.NetworkPolicy{policy("monitoring", "deny-all", all)},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: elasticsearch, to: prometheus, port: 9090, want: false},
			},
		},
		"explicit Ingress and Egress without rules deny both ways": {
			policies: []networkingv1.NetworkPolicy{policy("logging", "deny-all", all, both...)},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
				{from: elasticsearch, to: prometheus, port: 9090, want: false},
				{from: elasticsearch, to: kibana, port: 5601, want: false},
			},
		},
		"policyTypes default to Egress too when the policy has egress rules": {
			policies: []networkingv1.NetworkPolicy{withEgress(policy("logging", "egress-to-monitoring", all), to(nil, namespaces("kubernetes.io/metadata.name", "monitoring")))},
			probes: []probe{
				{from: elasticsearch, to: prometheus, port: 9090, want: true},
				{from: elasticsearch, to: shop, port: 8080, want: false},
				// Ingress is isolated as well (default) and has no rule.
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
			},
		},
		"an Egress-only policy leaves ingress open, even with ingress rules written": {
			policies: []networkingv1.NetworkPolicy{withIngress(policy("logging", "deny-egress", all, egressOnly...), from(nil, pods("app", "nobody")))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: elasticsearch, to: prometheus, port: 9090, want: false},
			},
		},
		"a podSelector peer alone means pods of the policy's namespace": {
			policies: []networkingv1.NetworkPolicy{withIngress(policy("logging", "from-kibana-and-prometheus", sel("app", "elasticsearch")), from(nil, pods("app", "kibana"), pods("app", "prometheus")))},
			probes: []probe{
				{from: kibana, to: elasticsearch, port: 9200, want: true},
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
			},
		},
		"a namespaceSelector peer alone means every pod of the matching namespaces": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(nil, namespaces("platform", "true")))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: grafana, to: elasticsearch, port: 9200, want: true},
				{from: shop, to: elasticsearch, port: 9200, want: false},
			},
		},
		"namespaces are selectable by the kubernetes.io/metadata.name label the API server adds": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(nil, networkingv1.NetworkPolicyPeer{NamespaceSelector: &metav1.LabelSelector{
				MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "kubernetes.io/metadata.name", Operator: metav1.LabelSelectorOpIn, Values: []string{"apps", "kube-system"}}},
			}}))},
			probes: []probe{
				{from: shop, to: elasticsearch, port: 9200, want: true},
				{from: coredns, to: elasticsearch, port: 9200, want: true},
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
			},
		},
		"namespaceSelector and podSelector in one peer are an AND": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(nil, networkingv1.NetworkPolicyPeer{NamespaceSelector: selp("team", "a"), PodSelector: selp("app", "shop")}))},
			probes: []probe{
				{from: shop, to: elasticsearch, port: 9200, want: true},
				{from: cart, to: elasticsearch, port: 9200, want: false},
				{from: kibana, to: elasticsearch, port: 9200, want: false},
			},
		},
		"namespaceSelector and podSelector in two peers are an OR": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(nil, namespaces("team", "a"), pods("app", "kibana")))},
			probes: []probe{
				{from: shop, to: elasticsearch, port: 9200, want: true},
				{from: cart, to: elasticsearch, port: 9200, want: true},
				{from: kibana, to: elasticsearch, port: 9200, want: true},
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
			},
		},
		"an empty namespaceSelector with a podSelector picks those pods in every namespace": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(nil, networkingv1.NetworkPolicyPeer{NamespaceSelector: &metav1.LabelSelector{}, PodSelector: selp("app", "prometheus")}))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: grafana, to: elasticsearch, port: 9200, want: false},
			},
		},
		"matchExpressions select with set operators": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(nil, networkingv1.NetworkPolicyPeer{NamespaceSelector: &metav1.LabelSelector{}, PodSelector: &metav1.LabelSelector{
				MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"shop", "grafana"}}},
			}}))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: cart, to: elasticsearch, port: 9200, want: true},
				{from: shop, to: elasticsearch, port: 9200, want: false},
				{from: grafana, to: elasticsearch, port: 9200, want: false},
			},
		},
		"an empty rule allows every peer on every port, external ones too": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, networkingv1.NetworkPolicyIngressRule{})},
			probes: []probe{
				{from: shop, to: elasticsearch, port: 9300, want: true},
				{from: s3, to: elasticsearch, port: 1234, proto: udp, want: true},
			},
		},
		"a rule with ports and no peers allows every peer on those ports only": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(ports(port("", 9200))))},
			probes: []probe{
				{from: shop, to: elasticsearch, port: 9200, want: true},
				{from: s3, to: elasticsearch, port: 9200, want: true},
				{from: shop, to: elasticsearch, port: 9300, want: false},
			},
		},
		"an ipBlock matches external addresses minus its excepts": {
			policies: []networkingv1.NetworkPolicy{withEgress(policy("monitoring", "https-out", all, egressOnly...), to(ports(port(tcp, 443)), cidr("0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12")))},
			probes: []probe{
				{from: prometheus, to: s3, port: 443, want: true},
				{from: prometheus, to: netpol.External("node", "10.0.0.5"), port: 443, want: false},
				{from: prometheus, to: netpol.External("vpc endpoint", "172.20.1.1"), port: 443, want: false},
				{from: prometheus, to: s3, port: 80, want: false},
			},
		},
		"an ipBlock matches a pod by the IP the test gives it, and never a pod without one": {
			policies: []networkingv1.NetworkPolicy{withIngress(policy("logging", "from-pod-cidr", all), from(nil, cidr("10.1.0.0/16", "10.1.0.128/25")))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: prometheus.WithIP("10.1.0.200"), to: elasticsearch, port: 9200, want: false},
				{from: grafana, to: elasticsearch, port: 9200, want: false},
			},
		},
		"an external CIDR is allowed only when one ipBlock holds all of it": {
			policies: []networkingv1.NetworkPolicy{
				withEgress(policy("monitoring", "anywhere", sel("app", "prometheus"), egressOnly...), to(ports(port(tcp, 443)), cidr("0.0.0.0/0"))),
				withEgress(policy("monitoring", "anywhere-but-private", sel("app", "grafana"), egressOnly...), to(ports(port(tcp, 443)), cidr("0.0.0.0/0", "10.0.0.0/8"))),
				withEgress(policy("logging", "aws-only", all, egressOnly...), to(ports(port(tcp, 443)), cidr("52.0.0.0/8"))),
			},
			probes: []probe{
				{from: prometheus, to: internet, port: 443, want: true},
				{from: grafana, to: internet, port: 443, want: false},
				{from: grafana, to: s3, port: 443, want: true},
				{from: elasticsearch, to: internet, port: 443, want: false},
				{from: elasticsearch, to: netpol.External("s3 range", "52.216.0.0/15"), port: 443, want: true},
				{from: elasticsearch, to: netpol.External("52 and 53", "52.0.0.0/7"), port: 443, want: false},
			},
		},
		"a named port on ingress resolves against the destination pod": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(ports(named("", "http")), namespaces("platform", "true")))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: prometheus, to: elasticsearch, port: 9300, want: false},
				{from: prometheus, to: kibana, port: 5601, want: true},
				{from: prometheus, to: kibana, port: 9200, want: false},
			},
		},
		"a named port on egress resolves against the destination pod too": {
			policies: []networkingv1.NetworkPolicy{withEgress(policy("monitoring", "to-http", all, egressOnly...), to(ports(named("", "http")), namespaces("platform", "true")))},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: true},
				{from: prometheus, to: kibana, port: 5601, want: true},
				{from: prometheus, to: kibana, port: 9200, want: false},
				{from: prometheus, to: grafana, port: 3000, want: true},
			},
		},
		"a named port never matches an external destination": {
			policies: []networkingv1.NetworkPolicy{withEgress(policy("monitoring", "to-https", all, egressOnly...), to(ports(named("", "https")), cidr("0.0.0.0/0")))},
			probes: []probe{
				{from: prometheus, to: s3, port: 443, want: false},
			},
		},
		"a named port matches with the protocol of its container port": {
			policies: []networkingv1.NetworkPolicy{
				withIngress(policy("kube-system", "dns", all), from(ports(named(udp, "dns"), named("", "dns-tcp")))),
			},
			probes: []probe{
				{from: prometheus, to: coredns, port: 53, proto: udp, want: true},
				{from: prometheus, to: coredns, port: 53, proto: tcp, want: true},
				{from: prometheus, to: coredns, port: 54, proto: udp, want: false},
			},
		},
		"a named port written without protocol means TCP and misses a UDP container port": {
			policies: []networkingv1.NetworkPolicy{
				withIngress(policy("kube-system", "dns", all), from(ports(named("", "dns")))),
			},
			probes: []probe{
				{from: prometheus, to: coredns, port: 53, proto: udp, want: false},
				{from: prometheus, to: coredns, port: 53, proto: tcp, want: false},
			},
		},
		"endPort makes an inclusive range of numeric ports": {
			policies: []networkingv1.NetworkPolicy{withIngress(denyIngressLogging, from(ports(portRange(9200, 9299))))},
			probes: []probe{
				{from: shop, to: elasticsearch, port: 9199, want: false},
				{from: shop, to: elasticsearch, port: 9200, want: true},
				{from: shop, to: elasticsearch, port: 9299, want: true},
				{from: shop, to: elasticsearch, port: 9300, want: false},
				{from: shop, to: elasticsearch, port: 9250, proto: udp, want: false},
			},
		},
		"a port's protocol defaults to TCP and UDP must be asked for": {
			policies: []networkingv1.NetworkPolicy{
				withEgress(policy("monitoring", "dns", all, egressOnly...), to(ports(port(udp, 53), port("", 5353)))),
			},
			probes: []probe{
				{from: prometheus, to: coredns, port: 53, proto: udp, want: true},
				{from: prometheus, to: coredns, port: 53, proto: tcp, want: false},
				{from: prometheus, to: coredns, port: 5353, want: true},
				{from: prometheus, to: coredns, port: 5353, proto: udp, want: false},
				{from: prometheus, to: coredns, port: 53, proto: sctp, want: false},
			},
		},
		"a port with a protocol and no number allows every port of that protocol": {
			policies: []networkingv1.NetworkPolicy{
				withEgress(policy("monitoring", "any-udp", all, egressOnly...), to([]networkingv1.NetworkPolicyPort{{Protocol: ptr(udp)}})),
			},
			probes: []probe{
				{from: prometheus, to: coredns, port: 53, proto: udp, want: true},
				{from: prometheus, to: s3, port: 4500, proto: udp, want: true},
				{from: prometheus, to: s3, port: 4500, proto: tcp, want: false},
			},
		},
		"two policies selecting one pod allow the union of their rules": {
			policies: []networkingv1.NetworkPolicy{
				withIngress(policy("logging", "from-kibana", sel("app", "elasticsearch")), from(ports(port("", 9200)), pods("app", "kibana"))),
				withIngress(policy("logging", "from-monitoring", all), from(ports(port("", 9200)), namespaces("kubernetes.io/metadata.name", "monitoring"))),
			},
			probes: []probe{
				{from: kibana, to: elasticsearch, port: 9200, want: true},
				{from: grafana, to: elasticsearch, port: 9200, want: true},
				{from: shop, to: elasticsearch, port: 9200, want: false},
				{from: kibana, to: elasticsearch, port: 9300, want: false},
			},
		},
		"egress allowed but ingress denied is denied, and the other way round": {
			policies: []networkingv1.NetworkPolicy{
				withEgress(policy("monitoring", "egress-to-logging", sel("app", "prometheus"), egressOnly...), to(nil, namespaces("kubernetes.io/metadata.name", "logging"))),
				denyIngressLogging,
				withIngress(policy("apps", "from-monitoring", all), from(nil, namespaces("kubernetes.io/metadata.name", "monitoring"))),
			},
			probes: []probe{
				{from: prometheus, to: elasticsearch, port: 9200, want: false},
				{from: prometheus, to: shop, port: 8080, want: false},
				{from: grafana, to: shop, port: 8080, want: true},
			},
		},
		"a hostNetwork destination is its node: only an ipBlock holding the node IP reaches it": {
			policies: []networkingv1.NetworkPolicy{
				withEgress(policy("monitoring", "scrape-by-selector", sel("app", "prometheus"), egressOnly...), to(ports(port("", 9100)), pods("app", "node-exporter"))),
				withEgress(policy("monitoring", "scrape-by-name", sel("app", "grafana"), egressOnly...), to(ports(named("", "metrics")), cidr("10.0.0.0/24"))),
				withEgress(policy("apps", "scrape-by-node-ip", all, egressOnly...), to(ports(port("", 9100)), cidr("10.0.0.0/24"))),
				// Its own policy does not isolate it.
				policy("monitoring", "deny-all", all, both...),
			},
			probes: []probe{
				{from: prometheus, to: nodeExporter, port: 9100, want: false},
				{from: grafana, to: nodeExporter, port: 9100, want: false},
				{from: shop, to: nodeExporter, port: 9100, want: true},
			},
		},
		"a hostNetwork source is its node: only an ipBlock holding the node IP admits it": {
			policies: []networkingv1.NetworkPolicy{
				withIngress(policy("logging", "from-platform", sel("app", "elasticsearch")), from(nil, namespaces("platform", "true"))),
				withIngress(policy("logging", "from-nodes", sel("app", "kibana")), from(nil, cidr("10.0.0.0/24"))),
				policy("monitoring", "deny-all", all, both...),
			},
			probes: []probe{
				{from: nodeExporter, to: elasticsearch, port: 9200, want: false},
				{from: nodeExporter, to: kibana, port: 5601, want: true},
			},
		},
		"an external source reaches an isolated pod only through an ipBlock or an empty from": {
			policies: []networkingv1.NetworkPolicy{
				withIngress(policy("monitoring", "grafana-from-anywhere", sel("app", "grafana")), from(ports(port("", 3000)), cidr("0.0.0.0/0"))),
				withIngress(policy("monitoring", "prometheus-from-all-namespaces", sel("app", "prometheus")), from(nil, namespaces())),
			},
			probes: []probe{
				{from: s3, to: grafana, port: 3000, want: true},
				{from: s3, to: prometheus, port: 9090, want: false},
				{from: shop, to: prometheus, port: 9090, want: true},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, p := range tc.probes {
				v := netpol.Allowed(tc.policies, p.from, p.to, p.port, p.proto)
				require.NoError(t, v.Err)
				assert.Equal(t, p.want, v.Allowed, "%s -> %s %s/%d: %s", p.from, p.to, p.proto, p.port, v)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestVerdictSaysWhy(t *testing.T) {
	fromPlatform := withIngress(policy("logging", "allow-platform", all), from(ports(port("", 9200)), pods("app", "kibana"), namespaces("platform", "true")))
	denyAll := policy("logging", "default-deny-all", all, both...)
	cases := map[string]struct {
		policies   []networkingv1.NetworkPolicy
		from, to   netpol.Endpoint
		port       int32
		wantEgress string
		wantIngres string
		check      func(t *testing.T, v netpol.Verdict)
	}{
		"with no policy both sides say default allow": {
			from: prometheus, to: elasticsearch, port: 9200,
			wantEgress: "egress from prometheus: no policy selects it: default allow",
			wantIngres: "ingress to elasticsearch: no policy selects it: default allow",
		},
		"an allowed side names the selecting policies and the rule and peer that matched": {
			policies: []networkingv1.NetworkPolicy{denyAll, fromPlatform}, from: prometheus, to: elasticsearch, port: 9200,
			wantIngres: "ingress to elasticsearch: selected by [logging/allow-platform, logging/default-deny-all]; TCP/9200 from prometheus allowed by logging/allow-platform spec.ingress[0].from[1]",
			check: func(t *testing.T, v netpol.Verdict) {
				assert.True(t, v.Ingress.Isolated)
				assert.Equal(t, []netpol.RuleRef{{Policy: "logging/allow-platform", Direction: netpol.Ingress, Rule: 0, Peer: 1}}, v.Ingress.AllowedBy)
			},
		},
		"a denied side says no rule allows the flow and points at rules that only miss the port": {
			policies: []networkingv1.NetworkPolicy{denyAll, fromPlatform}, from: prometheus, to: elasticsearch, port: 9300,
			wantIngres: "ingress to elasticsearch: selected by [logging/allow-platform, logging/default-deny-all]; no rule allows TCP/9300 from prometheus (the peer matches but the ports do not in logging/allow-platform spec.ingress[0].from[1])",
			check: func(t *testing.T, v netpol.Verdict) {
				assert.False(t, v.Allowed)
				assert.Contains(t, v.String(), "denied: ")
			},
		},
		"an egress rule without peers is reported as every peer": {
			policies: []networkingv1.NetworkPolicy{withEgress(policy("monitoring", "out", all), to(ports(port("", 443))))},
			from:     prometheus, to: s3, port: 443,
			wantEgress: "egress from prometheus: selected by [monitoring/out]; TCP/443 to s3 (external 52.216.8.1) allowed by monitoring/out spec.egress[0] (every peer)",
			wantIngres: "ingress to s3 (external 52.216.8.1): not a pod, no NetworkPolicy applies",
		},
		"a hostNetwork destination says policies do not isolate it": {
			policies: []networkingv1.NetworkPolicy{policy("monitoring", "deny-all", all, both...)},
			from:     shop, to: nodeExporter, port: 9100,
			wantIngres: "ingress to node-exporter (hostNetwork pod, node IP 10.0.0.5): NetworkPolicy does not isolate hostNetwork pods",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v := netpol.Allowed(tc.policies, tc.from, tc.to, tc.port, "")
			require.NoError(t, v.Err)
			if tc.wantEgress != "" {
				assert.Equal(t, tc.wantEgress, v.Egress.Reason)
			}
			if tc.wantIngres != "" {
				assert.Equal(t, tc.wantIngres, v.Ingress.Reason)
			}
			if tc.check != nil {
				tc.check(t, v)
			}
		})
	}
}

func TestInvalidInputsAreErrorsThatSayTheFix(t *testing.T) {
	valid := policy("logging", "ok", all)
	cases := map[string]struct {
		policies []networkingv1.NetworkPolicy
		from, to netpol.Endpoint
		port     int32
		proto    corev1.Protocol
		wantErr  string
	}{
		"a policy without a namespace": {
			policies: []networkingv1.NetworkPolicy{policy("", "lost", all)},
			wantErr:  "networkpolicy /lost: metadata.namespace is empty",
		},
		"the same policy twice": {
			policies: []networkingv1.NetworkPolicy{valid, valid},
			wantErr:  "networkpolicy logging/ok appears twice",
		},
		"an unknown policy type": {
			policies: []networkingv1.NetworkPolicy{policy("logging", "typo", all, "Egres")},
			wantErr:  `spec.policyTypes[0] is "Egres": use Ingress or Egress`,
		},
		"a selector with an unknown operator": {
			policies: []networkingv1.NetworkPolicy{policy("logging", "bad-op", metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Is", Values: []string{"x"}}}})},
			wantErr:  "spec.podSelector:",
		},
		"an empty peer": {
			policies: []networkingv1.NetworkPolicy{withIngress(valid, from(nil, networkingv1.NetworkPolicyPeer{}))},
			wantErr:  "spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock; to allow every peer, leave the from/to list empty",
		},
		"an ipBlock combined with a selector": {
			policies: []networkingv1.NetworkPolicy{withEgress(valid, to(nil, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8"}, PodSelector: selp()}))},
			wantErr:  "spec.egress[0].to[0]: ipBlock cannot be combined",
		},
		"a CIDR that does not parse": {
			policies: []networkingv1.NetworkPolicy{withEgress(valid, to(nil, cidr("10.0.0.0/33")))},
			wantErr:  `ipBlock.cidr "10.0.0.0/33"`,
		},
		"an except outside its CIDR": {
			policies: []networkingv1.NetworkPolicy{withEgress(valid, to(nil, cidr("10.0.0.0/16", "10.1.0.0/24")))},
			wantErr:  `ipBlock.except[0] "10.1.0.0/24" is not inside cidr "10.0.0.0/16"`,
		},
		"endPort on a named port": {
			policies: []networkingv1.NetworkPolicy{withIngress(valid, from([]networkingv1.NetworkPolicyPort{{Port: ptr(intstr.FromString("http")), EndPort: ptr(int32(9300))}}))},
			wantErr:  `spec.ingress[0].ports[0]: endPort needs a numeric port, not the name "http"`,
		},
		"endPort below port": {
			policies: []networkingv1.NetworkPolicy{withIngress(valid, from(ports(portRange(9300, 9200))))},
			wantErr:  "endPort 9200 must be between port 9300 and 65535",
		},
		"a policy port with an unknown protocol": {
			policies: []networkingv1.NetworkPolicy{withIngress(valid, from(ports(port("ICMP", 1))))},
			wantErr:  `protocol "ICMP": use TCP, UDP or SCTP`,
		},
		"a flow on an unknown protocol": {
			proto: "ICMP", wantErr: `protocol "ICMP": use TCP, UDP or SCTP`,
		},
		"a flow on port zero": {
			port: -1, wantErr: "port 0 is outside 1-65535",
		},
		"a hostNetwork pod without its node IP": {
			from: nodeExporter.WithIP(""), wantErr: "source: endpoint \"node-exporter\" is a hostNetwork pod, reached at its node's IP: set IP to the node IP (WithIP)",
		},
		"an endpoint that is neither pod nor address": {
			to: netpol.Endpoint{Name: "nowhere"}, wantErr: `destination: endpoint "nowhere" is neither a pod nor an address`,
		},
		"a pod given a CIDR": {
			to: elasticsearch.WithIP("10.1.0.0/24"), wantErr: `a pod has one IP, not the CIDR "10.1.0.0/24"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f, d, p := tc.from, tc.to, tc.port
			if f.Name == "" && f.Namespace == "" {
				f = prometheus
			}
			if d.Name == "" && d.Namespace == "" {
				d = elasticsearch
			}
			switch p {
			case 0:
				p = 9200
			case -1:
				p = 0
			}
			v := netpol.Allowed(tc.policies, f, d, p, tc.proto)
			require.Error(t, v.Err)
			assert.False(t, v.Allowed)
			assert.Contains(t, v.Err.Error(), tc.wantErr)
			if tc.policies != nil {
				assert.Error(t, netpol.Validate(tc.policies))
			}
		})
	}
}
