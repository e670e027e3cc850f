package stacks

import (
	"time"

	"github.com/klearkarma/observability/internal/check"
)

// RetentionConfig is the retention policy. Values are Prometheus durations
// (s, m, h, d, w, y); months are written as days (15 months = 456d).
type RetentionConfig struct {
	Metrics MetricsRetention `json:"metrics" doc:"Metrics retention."`
	Logs    LogsRetention    `json:"logs" doc:"Logs retention."`
	Traces  TracesRetention  `json:"traces" doc:"Traces retention."`
}

// MetricsRetention: raw (and 5m-downsampled) blocks, and 1h-downsampled blocks.
type MetricsRetention struct {
	Detailed   Duration `json:"detailed" doc:"Raw and 5m-downsampled metrics (15 months = 456d); at least 40h (the Thanos compactor needs it)."`
	Aggregated Duration `json:"aggregated" doc:"1h-downsampled metrics (5 years = 1825d); at least detailed."`
}

// LogsRetention: application and audit logs.
type LogsRetention struct {
	Application Duration `json:"application" doc:"Application logs; at least 1d (daily rollover); with AWS, a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ... days)."`
	Audit       Duration `json:"audit" doc:"Audit logs (7 years = 2557d); at least application; with AWS, a CloudWatch Logs retention."`
}

// TracesRetention: all spans, and the sampled subset kept longer.
type TracesRetention struct {
	Detailed Duration `json:"detailed" doc:"Every span."`
	Sampled  Duration `json:"sampled" doc:"The sampled traces (tracing.sampledRatio of them); at least detailed."`
}

// logRollover is the log data streams' rollover age (the Elasticsearch
// component's default); a retention under it would never delete on time.
const logRollover = 24 * time.Hour

// validateRetention checks the retention policy: every value parses, and
// each long tier is at least as long as its detailed one.
func validateRetention(ps *check.Problems, c *Config) {
	r := c.Retention
	md := checkDuration(ps, "retention.metrics.detailed", r.Metrics.Detailed)
	ma := checkDuration(ps, "retention.metrics.aggregated", r.Metrics.Aggregated)
	la := checkDuration(ps, "retention.logs.application", r.Logs.Application)
	lu := checkDuration(ps, "retention.logs.audit", r.Logs.Audit)
	td := checkDuration(ps, "retention.traces.detailed", r.Traces.Detailed)
	ts := checkDuration(ps, "retention.traces.sampled", r.Traces.Sampled)
	longer(ps, "retention.metrics.aggregated", ma, "retention.metrics.detailed", md)
	longer(ps, "retention.logs.audit", lu, "retention.logs.application", la)
	longer(ps, "retention.traces.sampled", ts, "retention.traces.detailed", td)
	for _, l := range []struct {
		key string
		d   time.Duration
	}{{"retention.logs.application", la}, {"retention.logs.audit", lu}} {
		if l.d > 0 && l.d < logRollover {
			ps.Add(l.key, "is shorter than the daily rollover of the log data streams",
				"keep logs at least 1d: indices roll over daily and are deleted a retention after rollover")
		}
	}
	// The Thanos compactor's floor on retention.metrics.detailed is its
	// own rule (thanos.Retention.Check, mapped in validateMetrics).
}
