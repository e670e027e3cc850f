package platform

import (
	"fmt"
	"slices"

	"github.com/klearkarma/observability/internal/check"
)

// Check states the quota's rules; fields are named as Quota's json tags.
// named spells a field for the fix (the stack config prefixes its key).
func (q Quota) Check(named func(string) string) check.Problems {
	var ps check.Problems
	reqCPU := check.Quantity(&ps, "requestsCpu", q.RequestsCPU)
	limCPU := check.Quantity(&ps, "limitsCpu", q.LimitsCPU)
	reqMem := check.Quantity(&ps, "requestsMemory", q.RequestsMemory)
	limMem := check.Quantity(&ps, "limitsMemory", q.LimitsMemory)
	check.Quantity(&ps, "requestsStorage", q.RequestsStorage)
	check.NotAbove(&ps, "requestsCpu", reqCPU, "limitsCpu", limCPU, named)
	check.NotAbove(&ps, "requestsMemory", reqMem, "limitsMemory", limMem, named)
	check.AtLeast(&ps, "pods", q.Pods, 1)
	check.AtLeast(&ps, "persistentVolumeClaims", q.PersistentVolumeClaims, 0)
	return ps
}

// Check states the LimitRange's rules: request <= default <= max, for CPU
// and memory; fields are named as LimitRange's json tags.
func (l LimitRange) Check(named func(string) string) check.Problems {
	var ps check.Problems
	drCPU := check.Quantity(&ps, "defaultRequestCpu", l.DefaultRequestCPU)
	dCPU := check.Quantity(&ps, "defaultCpu", l.DefaultCPU)
	mCPU := check.Quantity(&ps, "maxCpu", l.MaxCPU)
	drMem := check.Quantity(&ps, "defaultRequestMemory", l.DefaultRequestMemory)
	dMem := check.Quantity(&ps, "defaultMemory", l.DefaultMemory)
	mMem := check.Quantity(&ps, "maxMemory", l.MaxMemory)
	check.NotAbove(&ps, "defaultRequestCpu", drCPU, "defaultCpu", dCPU, named)
	check.NotAbove(&ps, "defaultCpu", dCPU, "maxCpu", mCPU, named)
	check.NotAbove(&ps, "defaultRequestMemory", drMem, "defaultMemory", dMem, named)
	check.NotAbove(&ps, "defaultMemory", dMem, "maxMemory", mMem, named)
	return ps
}

// podSecurityLevels are the Pod Security Standards.
var podSecurityLevels = []string{"restricted", "baseline", "privileged"}

// CheckNamespaces states the namespaces' rules: at least one; each with a
// DNS-1123 name and a purpose, neither used twice, and a Pod Security
// Standard (empty is restricted). Fields are "namespaces[i].name",
// "namespaces[i].purpose" and "namespaces[i].podSecurity"; named spells a
// field in the messages (the stack configuration names its own keys).
func CheckNamespaces(namespaces []Namespace, named func(string) string) check.Problems {
	var ps check.Problems
	if len(namespaces) == 0 {
		ps.Add("namespaces", "has no namespace", "list at least one namespace with its purpose")
	}
	names, purposes := map[string]string{}, map[string]string{}
	for i, n := range namespaces {
		field := func(f string) string { return fmt.Sprintf("namespaces[%d].%s", i, f) }
		check.DNSLabel(&ps, field("name"), n.Name, true)
		if other, dup := names[n.Name]; dup && n.Name != "" {
			ps.Add(field("name"), fmt.Sprintf("%q is also the name of %s", n.Name, named(other)), "give each observability namespace its own name")
		}
		names[n.Name] = field("name")
		if n.Purpose == "" {
			ps.Add(field("purpose"), "is not set", "say what the namespace holds, such as metrics")
		} else if other, dup := purposes[n.Purpose]; dup {
			ps.Add(field("purpose"), fmt.Sprintf("%q is used twice (also by %s): it names the children", n.Purpose, named(other)), "give each namespace its own purpose")
		}
		purposes[n.Purpose] = field("purpose")
		if n.PodSecurity != "" && !slices.Contains(podSecurityLevels, n.PodSecurity) {
			ps.Add(field("podSecurity"), fmt.Sprintf("%q is not a Pod Security Standard", n.PodSecurity), "use restricted, baseline or privileged")
		}
	}
	return ps
}

// withDefaults fills each namespace's pod security level and checks
// everything at once.
func (a *Args) withDefaults() error {
	var ps check.Problems
	ps = append(ps, CheckNamespaces(a.Namespaces, func(f string) string { return f })...)
	ps.Merge("network", a.Network.Check(), nil)
	ps.Merge("quota", a.Quota.Check(func(f string) string { return "quota." + f }), nil)
	ps.Merge("limitRange", a.LimitRange.Check(func(f string) string { return "limitRange." + f }), nil)
	for i := range a.Namespaces {
		if a.Namespaces[i].PodSecurity == "" {
			a.Namespaces[i].PodSecurity = "restricted"
		}
	}
	return ps.Err()
}
