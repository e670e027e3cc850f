package netpol

import (
	"fmt"
	"maps"
	"net/netip"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// NamespaceNameLabel is the label the API server puts on every namespace;
// policies that select namespaces by name use it.
const NamespaceNameLabel = "kubernetes.io/metadata.name"

// ContainerPort is a named port of a pod: what a named port in a policy
// resolves to.
type ContainerPort struct {
	Port     int32
	Protocol corev1.Protocol // "" means TCP, as in a pod spec
}

// Endpoint is one side of a flow. With Namespace set it is a pod; without,
// it is an address outside the pod network (a node, a cloud service, the
// internet) and IP is required.
type Endpoint struct {
	// Name is shown in verdicts; String makes one up when it is empty.
	Name string

	// Namespace, NamespaceLabels, Labels, Ports and HostNetwork describe a
	// pod. NamespaceLabels need not repeat kubernetes.io/metadata.name.
	Namespace       string
	NamespaceLabels map[string]string
	Labels          map[string]string
	Ports           map[string]ContainerPort
	// HostNetwork pods are reached at their node's IP, which IP must hold.
	HostNetwork bool

	// IP is the pod's IP (optional: without one no ipBlock matches it), the
	// node IP of a hostNetwork pod, or the address or CIDR of an external
	// endpoint (a CIDR stands for every address in it).
	IP string
}

// External is an endpoint outside the pod network at ipOrCIDR, such as a
// node IP ("10.0.0.5") or "any address on the internet" ("0.0.0.0/0").
func External(name, ipOrCIDR string) Endpoint {
	return Endpoint{Name: name, IP: ipOrCIDR}
}

// WithIP returns e with IP set: a pod's IP, or its node's IP when it is on
// the host network.
func (e Endpoint) WithIP(ip string) Endpoint {
	e.IP = ip
	return e
}

// IsPod reports whether e is a pod (on the host network or not).
func (e Endpoint) IsPod() bool { return e.Namespace != "" }

func (e Endpoint) String() string {
	if e.Name != "" {
		return e.Name
	}
	if !e.IsPod() {
		return e.IP
	}
	keys := make([]string, 0, len(e.Labels))
	for k := range e.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + e.Labels[k]
	}
	return e.Namespace + "/{" + strings.Join(pairs, ",") + "}"
}

// describe names e with what matters to a policy, for verdicts.
func (e Endpoint) describe() string {
	switch {
	case !e.IsPod():
		if e.Name != "" && e.Name != e.IP {
			return fmt.Sprintf("%s (external %s)", e.Name, e.IP)
		}
		return "external " + e.IP
	case e.HostNetwork:
		return fmt.Sprintf("%s (hostNetwork pod, node IP %s)", e, e.IP)
	default:
		return e.String()
	}
}

// party is an Endpoint checked and parsed once per evaluation.
type party struct {
	Endpoint
	// selectable: a pod that policies select and pod/namespace selectors
	// match; false for external endpoints and hostNetwork pods.
	selectable bool
	nsLabels   labels.Set
	addr       netip.Addr   // valid when IP is one address
	prefix     netip.Prefix // valid when IP is a CIDR (external only)
}

func (e Endpoint) parse() (party, error) {
	p := party{Endpoint: e, selectable: e.IsPod() && !e.HostNetwork}
	if e.IsPod() {
		p.nsLabels = labels.Set{}
		maps.Copy(p.nsLabels, e.NamespaceLabels)
		p.nsLabels[NamespaceNameLabel] = e.Namespace
	}
	for name, cp := range e.Ports {
		if cp.Port < 1 || cp.Port > 65535 {
			return p, fmt.Errorf("endpoint %q: container port %q is %d, outside 1-65535", e.String(), name, cp.Port)
		}
	}
	switch {
	case e.IP == "" && !e.IsPod():
		return p, fmt.Errorf("endpoint %q is neither a pod nor an address: set Namespace for a pod or IP for an external endpoint", e.String())
	case e.IP == "" && e.HostNetwork:
		return p, fmt.Errorf("endpoint %q is a hostNetwork pod, reached at its node's IP: set IP to the node IP (WithIP)", e.String())
	case e.IP == "":
		return p, nil
	case strings.Contains(e.IP, "/"):
		if e.IsPod() {
			return p, fmt.Errorf("endpoint %q: a pod has one IP, not the CIDR %q", e.String(), e.IP)
		}
		pre, err := netip.ParsePrefix(e.IP)
		if err != nil {
			return p, fmt.Errorf("endpoint %q: IP %q is neither an address nor a CIDR: %w", e.String(), e.IP, err)
		}
		p.prefix = pre.Masked()
	default:
		a, err := netip.ParseAddr(e.IP)
		if err != nil {
			return p, fmt.Errorf("endpoint %q: IP %q is not an address: %w", e.String(), e.IP, err)
		}
		p.addr = a.Unmap()
	}
	return p, nil
}

// containerPort resolves a named port of p: only a pod that policies see has
// ports a policy can name.
func (p party) containerPort(name string) (ContainerPort, bool) {
	if !p.selectable {
		return ContainerPort{}, false
	}
	cp, ok := p.Ports[name]
	if ok && cp.Protocol == "" {
		cp.Protocol = corev1.ProtocolTCP
	}
	return cp, ok
}
