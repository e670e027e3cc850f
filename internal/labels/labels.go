// Package labels builds the app.kubernetes.io/* label set every Kubernetes
// object of the program carries. Selectors are the same set minus version,
// so an upgrade never orphans pods from their controller.
package labels

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// Set describes one workload or object.
type Set struct {
	Name      string // app.kubernetes.io/name, e.g. "prometheus"
	Instance  string // app.kubernetes.io/instance, e.g. the component's Pulumi name
	Component string // app.kubernetes.io/component, e.g. "server"
	Version   string // app.kubernetes.io/version; left out of selectors
}

// Map returns all labels as a plain map (empty values are left out).
func (s Set) Map() map[string]string {
	m := s.SelectorMap()
	if s.Version != "" {
		m["app.kubernetes.io/version"] = s.Version
	}
	m["app.kubernetes.io/managed-by"] = conventions.ManagedBy
	return m
}

// SelectorMap returns the labels that select pods: the set minus version and managed-by.
func (s Set) SelectorMap() map[string]string {
	m := map[string]string{"app.kubernetes.io/part-of": conventions.PartOf}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("app.kubernetes.io/name", s.Name)
	put("app.kubernetes.io/instance", s.Instance)
	put("app.kubernetes.io/component", s.Component)
	return m
}

// Labels returns Map as a pulumi.StringMap.
func (s Set) Labels() pulumi.StringMap { return pulumi.ToStringMap(s.Map()) }

// Selector returns SelectorMap as a pulumi.StringMap.
func (s Set) Selector() pulumi.StringMap { return pulumi.ToStringMap(s.SelectorMap()) }

// With returns the labels plus extra ones (extra wins on conflict).
func (s Set) With(extra map[string]string) pulumi.StringMap {
	m := s.Map()
	for k, v := range extra {
		m[k] = v
	}
	return pulumi.ToStringMap(m)
}
