package netpol

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// RuleRef names one rule of a policy and the peer of it that matched.
type RuleRef struct {
	Policy    string // namespace/name
	Direction Direction
	Rule      int // index in spec.ingress or spec.egress
	Peer      int // index in the rule's from/to; -1 when that list is empty (every peer)
}

func (r RuleRef) String() string {
	field, peers := "spec.ingress", "from"
	if r.Direction == Egress {
		field, peers = "spec.egress", "to"
	}
	if r.Peer < 0 {
		return fmt.Sprintf("%s %s[%d] (every peer)", r.Policy, field, r.Rule)
	}
	return fmt.Sprintf("%s %s[%d].%s[%d]", r.Policy, field, r.Rule, peers, r.Peer)
}

// Side is the verdict of one direction: the source's egress or the
// destination's ingress.
type Side struct {
	Direction Direction
	Allowed   bool
	// Isolated says some policy of this direction selects the endpoint;
	// Selecting lists them (namespace/name, sorted).
	Isolated  bool
	Selecting []string
	// AllowedBy lists the rules that allow the flow.
	AllowedBy []RuleRef
	// PortMisses lists rules whose peer matched but whose ports did not:
	// the usual cause of a surprising denial.
	PortMisses []RuleRef
	// Reason says all of the above in one sentence.
	Reason string
}

// Verdict says whether a flow is allowed and why. Err is set, and Allowed
// false, when the policies or the endpoints are invalid.
type Verdict struct {
	Allowed bool
	Egress  Side
	Ingress Side
	Err     error
}

func (v Verdict) String() string {
	switch {
	case v.Err != nil:
		return "error: " + v.Err.Error()
	case v.Allowed:
		return "allowed: " + v.Egress.Reason + "; " + v.Ingress.Reason
	default:
		return "denied: " + v.Egress.Reason + "; " + v.Ingress.Reason
	}
}

// Allowed evaluates one flow from -> to on port/proto ("" means TCP) with
// the semantics of the package doc: the source's egress and the
// destination's ingress must both allow it.
func Allowed(policies []networkingv1.NetworkPolicy, from, to Endpoint, port int32, proto corev1.Protocol) Verdict {
	compiled, err := compileAll(policies)
	if err != nil {
		return Verdict{Err: err}
	}
	return evaluate(compiled, from, to, port, proto)
}

func evaluate(policies []compiled, from, to Endpoint, port int32, proto corev1.Protocol) Verdict {
	if proto == "" {
		proto = corev1.ProtocolTCP
	}
	switch proto {
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
	default:
		return Verdict{Err: fmt.Errorf("protocol %q: use TCP, UDP or SCTP", proto)}
	}
	if port < 1 || port > 65535 {
		return Verdict{Err: fmt.Errorf("port %d is outside 1-65535", port)}
	}
	src, err := from.parse()
	if err != nil {
		return Verdict{Err: fmt.Errorf("source: %w", err)}
	}
	dst, err := to.parse()
	if err != nil {
		return Verdict{Err: fmt.Errorf("destination: %w", err)}
	}
	f := flow{src: src, dst: dst, port: port, proto: proto}
	v := Verdict{Egress: f.side(policies, Egress), Ingress: f.side(policies, Ingress)}
	v.Allowed = v.Egress.Allowed && v.Ingress.Allowed
	return v
}

type flow struct {
	src, dst party
	port     int32
	proto    corev1.Protocol
}

// side evaluates one direction: egress of the source towards the
// destination, or ingress of the destination from the source.
func (f flow) side(policies []compiled, d Direction) Side {
	subject, other, verb, prep := f.src, f.dst, "egress from", "to"
	if d == Ingress {
		subject, other, verb, prep = f.dst, f.src, "ingress to", "from"
	}
	s := Side{Direction: d}
	head := fmt.Sprintf("%s %s", verb, subject.describe())
	switch {
	case !subject.IsPod():
		s.Allowed = true
		s.Reason = head + ": not a pod, no NetworkPolicy applies"
		return s
	case subject.HostNetwork:
		s.Allowed = true
		s.Reason = head + ": NetworkPolicy does not isolate hostNetwork pods"
		return s
	}
	for _, c := range policies {
		if (d == Ingress && !c.ingress) || (d == Egress && !c.egress) || !c.selects(subject) {
			continue
		}
		s.Selecting = append(s.Selecting, c.id)
		rules := c.egressRules
		if d == Ingress {
			rules = c.ingressRules
		}
		for i, r := range rules {
			ref, ok := c.peerOf(r, other)
			if !ok {
				continue
			}
			ref.Policy, ref.Direction, ref.Rule = c.id, d, i
			if portMatches(r.ports, f.dst, f.port, f.proto) {
				s.AllowedBy = append(s.AllowedBy, ref)
			} else {
				s.PortMisses = append(s.PortMisses, ref)
			}
		}
	}
	sort.Strings(s.Selecting)
	s.Isolated = len(s.Selecting) > 0
	what := fmt.Sprintf("%s/%d %s %s", f.proto, f.port, prep, other.describe())
	switch {
	case !s.Isolated:
		s.Allowed = true
		s.Reason = head + ": no policy selects it: default allow"
	case len(s.AllowedBy) > 0:
		s.Allowed = true
		s.Reason = fmt.Sprintf("%s: selected by [%s]; %s allowed by %s",
			head, strings.Join(s.Selecting, ", "), what, joinRefs(s.AllowedBy))
	default:
		s.Reason = fmt.Sprintf("%s: selected by [%s]; no rule allows %s", head, strings.Join(s.Selecting, ", "), what)
		if len(s.PortMisses) > 0 {
			s.Reason += fmt.Sprintf(" (the peer matches but the ports do not in %s)", joinRefs(s.PortMisses))
		}
	}
	return s
}

// peerOf finds the first peer of r matching x; Peer is -1 for a rule
// without peers, which matches everyone.
func (c compiled) peerOf(r rule, x party) (RuleRef, bool) {
	if len(r.peers) == 0 {
		return RuleRef{Peer: -1}, true
	}
	for j, p := range r.peers {
		if c.matches(p, x) {
			return RuleRef{Peer: j}, true
		}
	}
	return RuleRef{}, false
}

func joinRefs(refs []RuleRef) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.String()
	}
	return strings.Join(out, ", ")
}
