package stacks

import (
	"github.com/klearkarma/observability/components/jaeger"
	"github.com/klearkarma/observability/internal/check"
)

// TracingConfig sizes tracing (its rules: jaeger.Sizing.Check). Retention
// comes from retention.traces: the detailed tier keeps every span, the
// sampled tier SampledRatio of the traces.
type TracingConfig = jaeger.Sizing

// validateTracing checks the tracing path's sizing.
func validateTracing(ps *check.Problems, c *Config) {
	ps.Merge("tracing", c.Tracing.Check(), nil)
}
