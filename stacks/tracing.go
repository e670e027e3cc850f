package stacks

import (
	"fmt"

	"github.com/klearkarma/observability/internal/check"
)

// TracingConfig sizes tracing. Retention comes from retention.traces: the
// detailed tier keeps every span, the sampled tier SampledRatio of traces.
type TracingConfig struct {
	// CassandraReplicas is 1 or 3+: two nodes cannot keep a quorum.
	CassandraReplicas    int    `json:"cassandraReplicas" doc:"Cassandra nodes: 1 (no HA) or 3 or more."`
	CassandraStorageSize string `json:"cassandraStorageSize" doc:"Volume of each Cassandra node."`
	// SampledRatio is the fraction of traces kept for retention.traces.sampled, in (0, 1].
	SampledRatio float64 `json:"sampledRatio" doc:"Fraction of traces (chosen by trace id, whole traces) kept for retention.traces.sampled; in (0, 1]."`
	// CollectorReplicas applies to the OpenTelemetry Collector and each Jaeger collector.
	CollectorReplicas int `json:"collectorReplicas" doc:"Replicas of each trace collector; at least 1."`
}

// validateTracing checks the tracing path's sizing.
func validateTracing(ps *check.Problems, c *Config) {
	tr := c.Tracing
	check.AtLeast(ps, "tracing.cassandraReplicas", tr.CassandraReplicas, 1)
	check.Quorum(ps, "tracing.cassandraReplicas", tr.CassandraReplicas, "Cassandra nodes")
	check.Quantity(ps, "tracing.cassandraStorageSize", tr.CassandraStorageSize)
	if tr.SampledRatio <= 0 || tr.SampledRatio > 1 {
		ps.Add("tracing.sampledRatio", fmt.Sprintf("%g is not a fraction in (0, 1]", tr.SampledRatio),
			"use e.g. 0.1 to keep one trace in ten for retention.traces.sampled")
	}
	check.AtLeast(ps, "tracing.collectorReplicas", tr.CollectorReplicas, 1)
}
