package jaeger

import (
	"fmt"
	"time"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Jaeger"

// Keyspaces of the two retention tiers: the names the Jaeger v1 deployment
// used, so an upgrade reads the traces already stored.
const (
	DetailedKeyspace = "jaeger_detailed"
	SampledKeyspace  = "jaeger_sampled"
)

// Ports applications and Grafana use.
const (
	OTLPGRPCPort     = 4317
	OTLPHTTPPort     = 4318
	JaegerThriftPort = 14268
	QueryPort        = 16686
)

// Sizing is what a stack decides about tracing. The stack configuration
// uses it as its `tracing` key and New checks the same values, so these
// rules exist once (Check). Retention comes from Args.
type Sizing struct {
	// CassandraReplicas is 1 or 3+: two nodes cannot keep a quorum of RF 3.
	CassandraReplicas    int    `json:"cassandraReplicas" doc:"Cassandra nodes: 1 (no HA) or 3 or more."`
	CassandraStorageSize string `json:"cassandraStorageSize" doc:"Volume of each Cassandra node."`
	// SampledRatio is the fraction of traces kept in the sampled tier.
	SampledRatio float64 `json:"sampledRatio" doc:"Fraction of traces (chosen by trace id, whole traces) kept for retention.traces.sampled; in (0, 1]."`
	// CollectorReplicas applies to the OpenTelemetry Collector and to each
	// tier's Jaeger.
	CollectorReplicas int `json:"collectorReplicas" doc:"Replicas of the OpenTelemetry Collector and of each tier's Jaeger; at least 1."`
}

// minSampledRatio is the probabilistic sampler's smallest probability
// (2^-56); below it the sampler refuses its configuration.
const minSampledRatio = 1.0 / (1 << 56)

// Check states the sizing rules; fields are named as the json tags.
func (s Sizing) Check() check.Problems {
	var ps check.Problems
	check.AtLeast(&ps, "cassandraReplicas", s.CassandraReplicas, 1)
	check.Quorum(&ps, "cassandraReplicas", s.CassandraReplicas, "Cassandra nodes")
	check.Quantity(&ps, "cassandraStorageSize", s.CassandraStorageSize)
	if !(s.SampledRatio >= minSampledRatio && s.SampledRatio <= 1) {
		ps.Add("sampledRatio", fmt.Sprintf("%g is not a fraction in (0, 1]", s.SampledRatio),
			"use e.g. 0.1 to keep one trace in ten for retention.traces.sampled")
	}
	check.AtLeast(&ps, "collectorReplicas", s.CollectorReplicas, 1)
	return ps
}

// Args configure tracing.
type Args struct {
	Namespace string
	// DetailedRetention is how long every span is kept; SampledRetention how
	// long the sampled traces are kept (at least DetailedRetention). Both
	// become Cassandra TTLs, in whole seconds.
	DetailedRetention time.Duration
	SampledRetention  time.Duration
	// Sizing's zero values mean 1 Cassandra node of 20Gi, a ratio of 0.1
	// and 1 replica.
	Sizing

	// Images default to the pins (internal/pins).
	CassandraImage, JaegerImage, CollectorImage string
	// Resources default to sizes for a small cluster.
	CassandraResources, JaegerResources, CollectorResources workload.Resources

	// CassandraExporterImage and CassandraExporterResources are the
	// metrics sidecar of each Cassandra node (cassandraexporter.go).
	CassandraExporterImage     string
	CassandraExporterResources workload.Resources
}

// maxTTL is Cassandra's largest default_time_to_live (20 years).
const maxTTL = 630720000 * time.Second

func (a *Args) withDefaults() error {
	zero := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	str := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	zero(&a.CassandraReplicas, 1)
	zero(&a.CollectorReplicas, 1)
	str(&a.CassandraStorageSize, "20Gi")
	if a.SampledRatio == 0 {
		a.SampledRatio = 0.1
	}
	str(&a.CassandraImage, pins.CassandraImage)
	str(&a.JaegerImage, pins.Jaeger.Image())
	str(&a.CollectorImage, pins.OTelCollectorImage)
	res := func(p *workload.Resources, v workload.Resources) {
		if *p == (workload.Resources{}) {
			*p = v
		}
	}
	// Ephemeral storage covers Cassandra's logs and scratch directories
	// (emptyDir volumes under a read-only root) and /tmp of the others.
	res(&a.CassandraResources, workload.Resources{RequestsCPU: "500m", RequestsMemory: "2Gi", LimitsCPU: "2", LimitsMemory: "3Gi",
		RequestsEphemeralStorage: "1Gi", LimitsEphemeralStorage: "2Gi"})
	res(&a.JaegerResources, workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "1Gi",
		RequestsEphemeralStorage: "64Mi", LimitsEphemeralStorage: "256Mi"})
	res(&a.CollectorResources, workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "1Gi",
		RequestsEphemeralStorage: "64Mi", LimitsEphemeralStorage: "256Mi"})
	str(&a.CassandraExporterImage, pins.CassandraExporterImage)
	// A JVM with a 96m heap (JVM_OPTS), metaspace and threads; /tmp holds
	// the effective config and the JVM's perf data.
	res(&a.CassandraExporterResources, workload.Resources{RequestsCPU: "50m", RequestsMemory: "192Mi", LimitsCPU: "500m", LimitsMemory: "256Mi",
		RequestsEphemeralStorage: "16Mi", LimitsEphemeralStorage: "64Mi"})
	return a.Check().Err()
}

// Check states every rule of Args; fields are named as Args' fields, and
// the sizing's as its json tags.
func (a Args) Check() check.Problems {
	var ps check.Problems
	check.DNSLabel(&ps, "namespace", a.Namespace, true)
	if a.DetailedRetention < time.Hour {
		ps.Add("detailedRetention", fmt.Sprintf("%s is under 1h", a.DetailedRetention), "set the retention of all spans, e.g. 720h (30 days)")
	}
	if a.SampledRetention < a.DetailedRetention {
		ps.Add("sampledRetention", fmt.Sprintf("%s is shorter than detailed retention %s", a.SampledRetention, a.DetailedRetention),
			"keep the sampled tier at least as long as the detailed one")
	}
	for _, r := range []struct {
		field string
		d     time.Duration
	}{{"detailedRetention", a.DetailedRetention}, {"sampledRetention", a.SampledRetention}} {
		if r.d > maxTTL {
			ps.Add(r.field, fmt.Sprintf("%s is above Cassandra's largest TTL (20 years)", r.d), "keep traces at most 20 years (7300d)")
		}
	}
	ps = append(ps, a.Sizing.Check()...)
	return ps
}
