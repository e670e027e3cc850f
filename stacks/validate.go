package stacks

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/klearkarma/observability/internal/check"
)

// validate checks ranges, formats and consistency of a decoded Config, one
// section at a time. A component's own rules live in the component (each
// section calls them and maps their fields to config keys); what is here
// is what only the stack knows: how the sections fit together.
func validate(ps *check.Problems, c *Config) {
	check.DNSLabel(ps, "environment", c.Environment, true)
	check.DNSLabel(ps, "cluster", c.Cluster, true)
	validateKubernetes(ps, c)
	validatePlatform(ps, c)
	validateRetention(ps, c)
	validateMetrics(ps, c)
	validateTracing(ps, c)
	validateLogs(ps, c)
	validateAWS(ps, c)
	validateNotifications(ps, c)
	validateGrafana(ps, c)
	validateProbes(ps, c)
}

func validateKubernetes(ps *check.Problems, c *Config) {
	k := c.Kubernetes
	if k.RenderDir == "" {
		return
	}
	if filepath.IsAbs(k.RenderDir) || strings.HasPrefix(filepath.Clean(k.RenderDir), "..") {
		ps.Add("kubernetes.renderDir", fmt.Sprintf("%q must be a path inside the project", k.RenderDir),
			"use a relative path such as rendered/local, so the state does not depend on where the repo is checked out")
	}
	if k.Context != "" || k.Kubeconfig != "" {
		ps.Add("kubernetes.renderDir", "is set together with kubeconfig/context",
			"set renderDir to render offline, or kubeconfig/context to deploy to a cluster, not both")
	}
}

// checkDuration reports a duration that did not parse and returns it (0 when bad).
func checkDuration(ps *check.Problems, key string, d Duration) time.Duration {
	if d.Err() != nil {
		ps.Add(key, fmt.Sprintf("%q is not a duration (%v)", d.String(), d.Err()), `use a Prometheus duration such as "90d", "456d" (15 months) or "5y"`)
		return 0
	}
	return d.Std()
}

// longer requires long >= short, both set.
func longer(ps *check.Problems, longKey string, long time.Duration, shortKey string, short time.Duration) {
	if long > 0 && short > 0 && long < short {
		ps.Add(longKey, fmt.Sprintf("is shorter than %s", full(shortKey)),
			fmt.Sprintf("keep %s at least as long as %s", full(longKey), full(shortKey)))
	}
}

// full names a key with its namespace, as users type it.
func full(key string) string { return Namespace + ":" + key }

// fullUnder names a field of a config section with its namespace.
func fullUnder(section string) func(string) string {
	return func(field string) string { return full(section + "." + field) }
}
