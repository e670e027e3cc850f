package platform

import (
	"fmt"

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

// checkFences is the quota and LimitRange rules as one error.
func checkFences(q Quota, l LimitRange) error {
	var ps check.Problems
	ps.Merge("quota", q.Check(func(f string) string { return "quota." + f }), nil)
	ps.Merge("limitRange", l.Check(func(f string) string { return "limitRange." + f }), nil)
	if err := ps.Err(); err != nil {
		return fmt.Errorf("fences: %w", err)
	}
	return nil
}
