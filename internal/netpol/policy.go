package netpol

import (
	"errors"
	"fmt"
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Direction is the side of a flow a policy rule governs.
type Direction string

const (
	Ingress Direction = "ingress"
	Egress  Direction = "egress"
)

// compiled is a NetworkPolicy checked once, selectors parsed and policyTypes
// defaulted.
type compiled struct {
	id           string // namespace/name
	namespace    string
	podSelector  labels.Selector
	ingress      bool
	egress       bool
	ingressRules []rule
	egressRules  []rule
}

type rule struct {
	peers []peer // nil: every peer
	ports []networkingv1.NetworkPolicyPort
}

type peer struct {
	// ipBlock peers
	cidr   netip.Prefix
	except []netip.Prefix
	isIP   bool
	// selector peers: a nil namespaceSelector means the policy's namespace,
	// a nil podSelector every pod.
	namespaceSelector labels.Selector
	podSelector       labels.Selector
}

// Validate reports every way the policies are invalid for the evaluator
// (most would also be refused by the API server), each naming the policy
// and the field.
func Validate(policies []networkingv1.NetworkPolicy) error {
	_, err := compileAll(policies)
	return err
}

func compileAll(policies []networkingv1.NetworkPolicy) ([]compiled, error) {
	out := make([]compiled, 0, len(policies))
	var errs []error
	seen := map[string]bool{}
	for i := range policies {
		c, err := compile(&policies[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[c.id] {
			errs = append(errs, fmt.Errorf("networkpolicy %s appears twice: a render directory holds each object once, so two copies mean a stale or merged render", c.id))
			continue
		}
		seen[c.id] = true
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}

func compile(np *networkingv1.NetworkPolicy) (compiled, error) {
	c := compiled{id: np.Namespace + "/" + np.Name, namespace: np.Namespace}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("networkpolicy %s: "+format, append([]any{c.id}, args...)...))
	}
	if np.Namespace == "" {
		fail("metadata.namespace is empty: a policy selects pods of its own namespace, so the render must set it")
	}
	if np.Name == "" {
		fail("metadata.name is empty")
	}
	sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	if err != nil {
		fail("spec.podSelector: %v", err)
	}
	c.podSelector = sel

	if len(np.Spec.PolicyTypes) == 0 {
		c.ingress, c.egress = true, len(np.Spec.Egress) > 0
	}
	for i, t := range np.Spec.PolicyTypes {
		switch t {
		case networkingv1.PolicyTypeIngress:
			c.ingress = true
		case networkingv1.PolicyTypeEgress:
			c.egress = true
		default:
			fail("spec.policyTypes[%d] is %q: use Ingress or Egress", i, t)
		}
	}

	for i, r := range np.Spec.Ingress {
		cr, rerrs := compileRule(fmt.Sprintf("spec.ingress[%d]", i), "from", r.From, r.Ports)
		for _, e := range rerrs {
			fail("%v", e)
		}
		c.ingressRules = append(c.ingressRules, cr)
	}
	for i, r := range np.Spec.Egress {
		cr, rerrs := compileRule(fmt.Sprintf("spec.egress[%d]", i), "to", r.To, r.Ports)
		for _, e := range rerrs {
			fail("%v", e)
		}
		c.egressRules = append(c.egressRules, cr)
	}
	return c, errors.Join(errs...)
}

func compileRule(path, peersField string, peers []networkingv1.NetworkPolicyPeer, ports []networkingv1.NetworkPolicyPort) (rule, []error) {
	var errs []error
	r := rule{ports: ports}
	for j, p := range peers {
		at := fmt.Sprintf("%s.%s[%d]", path, peersField, j)
		cp, err := compilePeer(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
		}
		r.peers = append(r.peers, cp)
	}
	for j, p := range ports {
		if err := checkPort(p); err != nil {
			errs = append(errs, fmt.Errorf("%s.ports[%d]: %w", path, j, err))
		}
	}
	return r, errs
}

func compilePeer(p networkingv1.NetworkPolicyPeer) (peer, error) {
	if p.IPBlock != nil {
		if p.PodSelector != nil || p.NamespaceSelector != nil {
			return peer{}, errors.New("ipBlock cannot be combined with podSelector or namespaceSelector: make them separate peers")
		}
		cidr, err := netip.ParsePrefix(p.IPBlock.CIDR)
		if err != nil {
			return peer{}, fmt.Errorf("ipBlock.cidr %q: %w", p.IPBlock.CIDR, err)
		}
		out := peer{isIP: true, cidr: cidr.Masked()}
		for k, ex := range p.IPBlock.Except {
			e, err := netip.ParsePrefix(ex)
			if err != nil {
				return peer{}, fmt.Errorf("ipBlock.except[%d] %q: %w", k, ex, err)
			}
			e = e.Masked()
			if e.Bits() < out.cidr.Bits() || !out.cidr.Contains(e.Addr()) {
				return peer{}, fmt.Errorf("ipBlock.except[%d] %q is not inside cidr %q", k, ex, p.IPBlock.CIDR)
			}
			out.except = append(out.except, e)
		}
		return out, nil
	}
	if p.PodSelector == nil && p.NamespaceSelector == nil {
		return peer{}, errors.New("a peer needs podSelector, namespaceSelector or ipBlock; to allow every peer, leave the from/to list empty")
	}
	var out peer
	if p.PodSelector != nil {
		s, err := metav1.LabelSelectorAsSelector(p.PodSelector)
		if err != nil {
			return peer{}, fmt.Errorf("podSelector: %w", err)
		}
		out.podSelector = s
	}
	if p.NamespaceSelector != nil {
		s, err := metav1.LabelSelectorAsSelector(p.NamespaceSelector)
		if err != nil {
			return peer{}, fmt.Errorf("namespaceSelector: %w", err)
		}
		out.namespaceSelector = s
	}
	return out, nil
}

func checkPort(p networkingv1.NetworkPolicyPort) error {
	if p.Protocol != nil {
		switch *p.Protocol {
		case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		default:
			return fmt.Errorf("protocol %q: use TCP, UDP or SCTP", *p.Protocol)
		}
	}
	if p.Port == nil {
		if p.EndPort != nil {
			return errors.New("endPort needs port")
		}
		return nil
	}
	if p.Port.Type == intstr.String {
		if p.Port.StrVal == "" {
			return errors.New("port is an empty name")
		}
		if p.EndPort != nil {
			return fmt.Errorf("endPort needs a numeric port, not the name %q", p.Port.StrVal)
		}
		return nil
	}
	if p.Port.IntVal < 1 || p.Port.IntVal > 65535 {
		return fmt.Errorf("port %d is outside 1-65535", p.Port.IntVal)
	}
	if p.EndPort != nil && (*p.EndPort < p.Port.IntVal || *p.EndPort > 65535) {
		return fmt.Errorf("endPort %d must be between port %d and 65535", *p.EndPort, p.Port.IntVal)
	}
	return nil
}

// selects reports whether c selects the pod x.
func (c compiled) selects(x party) bool {
	return x.selectable && x.Namespace == c.namespace && c.podSelector.Matches(labels.Set(x.Labels))
}

// matches reports whether the peer p of a rule in c's namespace matches x.
func (c compiled) matches(p peer, x party) bool {
	if p.isIP {
		return p.matchesIP(x)
	}
	if !x.selectable {
		return false
	}
	if p.namespaceSelector == nil {
		if x.Namespace != c.namespace {
			return false
		}
	} else if !p.namespaceSelector.Matches(x.nsLabels) {
		return false
	}
	return p.podSelector == nil || p.podSelector.Matches(labels.Set(x.Labels))
}

func (p peer) matchesIP(x party) bool {
	switch {
	case x.addr.IsValid():
		if !p.cidr.Contains(x.addr) {
			return false
		}
		for _, e := range p.except {
			if e.Contains(x.addr) {
				return false
			}
		}
		return true
	case x.prefix.IsValid():
		// Every address of the range must be allowed.
		if p.cidr.Bits() > x.prefix.Bits() || !p.cidr.Contains(x.prefix.Addr()) {
			return false
		}
		for _, e := range p.except {
			if e.Overlaps(x.prefix) {
				return false
			}
		}
		return true
	default:
		return false // a pod without an IP
	}
}

// portMatches reports whether one of ports admits port/proto towards dst.
func portMatches(ports []networkingv1.NetworkPolicyPort, dst party, port int32, proto corev1.Protocol) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		want := corev1.ProtocolTCP
		if p.Protocol != nil {
			want = *p.Protocol
		}
		if want != proto {
			continue
		}
		switch {
		case p.Port == nil:
			return true
		case p.Port.Type == intstr.String:
			if cp, ok := dst.containerPort(p.Port.StrVal); ok && cp.Port == port && cp.Protocol == proto {
				return true
			}
		case p.EndPort != nil:
			if p.Port.IntVal <= port && port <= *p.EndPort {
				return true
			}
		default:
			if p.Port.IntVal == port {
				return true
			}
		}
	}
	return false
}
