// Package netpol evaluates Kubernetes NetworkPolicies offline, so tests can
// prove "who may talk to whom" against the policies the program renders.
//
// It owns the evaluator (Allowed), the connectivity table a test fills
// (Flow, Check) and the loaders that read the kubernetes provider's render
// directory (LoadObjects, LoadRendered, Namespaces, EndpointsFromWorkloads).
// It must not know the platform's namespaces or policies: the table of the
// platform's flows belongs to the tests of the code that renders them.
//
// # Why our own evaluator
//
// The upstream candidate, the policy engine of github.com/mattfenwick/cyclonus
// (pkg/matcher, v0.5.6), builds against k8s.io v0.37, but it is not fit to be
// a library here: its non-test files import ginkgo and gomega and its kube
// package pulls in client-go's clientset and remotecommand; it panics on
// policies that omit policyTypes (which the API server defaults, and which a
// render may well omit) and on invalid peers or CIDRs; and it merges the
// policies that share a pod selector, so it cannot say which rule of which
// policy allowed a flow. This package implements the same semantics on the
// k8s.io/api/networking/v1 types, with label selectors evaluated by
// apimachinery, and pins them with its own tests.
//
// # Semantics
//
// A policy selects the pods of its own namespace that match its podSelector.
// Its policyTypes default to Ingress, plus Egress when it has egress rules; an
// explicit list is taken as written. A pod is isolated for a direction iff
// some policy of that type selects it; then traffic is allowed iff some rule
// of a selecting policy allows it (policies are a union, never a deny). A flow
// needs both the source's egress and the destination's ingress to allow it.
//
// Peers: podSelector alone means pods of the policy's namespace;
// namespaceSelector alone means every pod of the matching namespaces; both in
// one peer means their AND; peers of one rule are an OR. An empty from/to
// list means every peer, an empty ports list every port. ipBlock matches the
// other side's IP (minus except); a pod matches only when the test gives it an
// IP, as the conformance tests do. Ports default to TCP; a named port
// resolves against the destination pod's container ports, in ingress and in
// egress rules alike; endPort makes a numeric range.
//
// Choices where Kubernetes leaves it to the network plugin, made so a table
// cannot pass by luck:
//   - A hostNetwork pod is its node: policies neither isolate it nor select it
//     with pod or namespace selectors, only an ipBlock that holds its node IP
//     matches it, and named ports do not resolve against it.
//   - An external endpoint given as a CIDR stands for every address in it: a
//     rule allows it only if one ipBlock holds the whole range and no except
//     overlaps it. Coverage by the union of several ipBlocks is not credited;
//     name a single address instead.
//   - Traffic from a pod's own node (kubelet probes) is not exempted: the
//     evaluator does not know which node a pod runs on.
//   - A namespace always carries kubernetes.io/metadata.name=<name>, as the
//     API server sets it.
package netpol
