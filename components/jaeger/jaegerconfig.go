package jaeger

import (
	"fmt"

	"github.com/klearkarma/observability/internal/encoding"
)

// ConfigKey is the file name of every configuration this package renders.
const ConfigKey = "config.yaml"

// Ports inside the pods.
const (
	queryGRPCPort = 16685
	healthPort    = 13133
	metricsPort   = 8888
	cqlPort       = 9042
	intraNodePort = 7000
)

// storageName is the name of the one trace backend in a Jaeger config.
const storageName = "traces"

// The types below are the part of the Jaeger v2 (OpenTelemetry Collector)
// configuration this package writes, with Jaeger's own keys. Jaeger's Go
// types are internal to its module, so the tests run `jaeger validate` at
// the pinned release on every rendering instead.

type jaegerConfig struct {
	Service    serviceConfig    `json:"service"`
	Extensions jaegerExtensions `json:"extensions"`
	Receivers  jaegerReceivers  `json:"receivers"`
	Processors processors       `json:"processors"`
	Exporters  jaegerExporters  `json:"exporters"`
}

type serviceConfig struct {
	Extensions []string            `json:"extensions"`
	Pipelines  map[string]pipeline `json:"pipelines"`
	Telemetry  telemetry           `json:"telemetry"`
}

type pipeline struct {
	Receivers  []string `json:"receivers"`
	Processors []string `json:"processors"`
	Exporters  []string `json:"exporters"`
}

// telemetry is the collector's own metrics and logs.
type telemetry struct {
	Resource map[string]string `json:"resource,omitempty"`
	Metrics  telemetryMetrics  `json:"metrics"`
	Logs     telemetryLogs     `json:"logs"`
}

type telemetryMetrics struct {
	Level   string          `json:"level"`
	Readers []metricsReader `json:"readers,omitempty"`
}

type metricsReader struct {
	Pull struct {
		Exporter struct {
			Prometheus promEndpoint `json:"prometheus"`
		} `json:"exporter"`
	} `json:"pull"`
}

type promEndpoint struct {
	Host string `json:"host"`
	Port int    `json:"port"`
}

type telemetryLogs struct {
	Level string `json:"level"`
}

type endpoint struct {
	Endpoint string `json:"endpoint"`
}

type jaegerExtensions struct {
	Health  healthCheckV2 `json:"healthcheckv2"`
	Query   jaegerQuery   `json:"jaeger_query"`
	Storage jaegerStorage `json:"jaeger_storage"`
}

// healthCheckV2 answers /status on its HTTP endpoint with the pipelines'
// and extensions' aggregated health.
type healthCheckV2 struct {
	UseV2 bool     `json:"use_v2"`
	HTTP  endpoint `json:"http"`
}

type jaegerQuery struct {
	// EnableTracing stays false: Jaeger's default traces its own queries
	// to localhost:4317, its own OTLP receiver, which would store them in
	// the tier (unsampled, in the sampled tier too).
	EnableTracing bool `json:"enable_tracing"`
	Storage       struct {
		Traces string `json:"traces"`
	} `json:"storage"`
	HTTP endpoint `json:"http"`
	GRPC endpoint `json:"grpc"`
}

type jaegerStorage struct {
	Backends map[string]traceBackend `json:"backends"`
}

// traceBackend sets exactly one storage; the live test swaps Cassandra for
// memory, which is all it changes besides addresses.
type traceBackend struct {
	Cassandra *cassandraBackend `json:"cassandra,omitempty"`
	Memory    *memoryBackend    `json:"memory,omitempty"`
}

type cassandraBackend struct {
	Schema struct {
		Keyspace string `json:"keyspace"`
		// Create stays false: the schema Job owns the schema (see schema.go).
		Create bool `json:"create"`
	} `json:"schema"`
	Connection cassandraConnection `json:"connection"`
}

type cassandraConnection struct {
	Servers []string `json:"servers"`
	Port    int      `json:"port"`
	LocalDC string   `json:"local_dc"`
	// TLS.Insecure: the ring speaks plain CQL inside the namespace, fenced
	// by its network policies (as in the v1 deployment).
	TLS struct {
		Insecure bool `json:"insecure"`
	} `json:"tls"`
}

type memoryBackend struct {
	MaxTraces int `json:"max_traces"`
}

type jaegerReceivers struct {
	OTLP otlpReceiver `json:"otlp"`
}

type otlpReceiver struct {
	Protocols otlpProtocols `json:"protocols"`
}

type otlpProtocols struct {
	GRPC *endpoint `json:"grpc,omitempty"`
	HTTP *endpoint `json:"http,omitempty"`
}

// processors are the ones both configs use.
type processors struct {
	MemoryLimiter memoryLimiter `json:"memory_limiter"`
	Batch         struct{}      `json:"batch"`
	// Sampler is the collector's sampled pipeline's; Jaeger has none.
	Sampler *probabilisticSampler `json:"probabilistic_sampler,omitempty"`
}

// memoryLimiter refuses data before the pod reaches its memory limit;
// senders retry.
type memoryLimiter struct {
	CheckInterval        string `json:"check_interval"`
	LimitPercentage      int    `json:"limit_percentage"`
	SpikeLimitPercentage int    `json:"spike_limit_percentage"`
}

func defaultMemoryLimiter() memoryLimiter {
	return memoryLimiter{CheckInterval: "1s", LimitPercentage: 80, SpikeLimitPercentage: 25}
}

type jaegerExporters struct {
	Storage struct {
		TraceStorage string `json:"trace_storage"`
	} `json:"jaeger_storage_exporter"`
}

// listen is an address every pod interface answers on.
func listen(port int) string { return fmt.Sprintf("0.0.0.0:%d", port) }

// ownTelemetry exposes the process's metrics for the annotation-based
// Prometheus job (the default address is localhost only).
func ownTelemetry(service string) telemetry {
	r := metricsReader{}
	r.Pull.Exporter.Prometheus = promEndpoint{Host: "0.0.0.0", Port: metricsPort}
	return telemetry{
		Resource: map[string]string{"service.name": service},
		Metrics:  telemetryMetrics{Level: "detailed", Readers: []metricsReader{r}},
		Logs:     telemetryLogs{Level: "info"},
	}
}

// tierConfig is one tier's Jaeger: OTLP in from the collector, spans into
// the tier's keyspace, and the query API and UI over the same keyspace.
func tierConfig(component string, t tier, cassandraHost string) jaegerConfig {
	c := jaegerConfig{
		Service: serviceConfig{
			Extensions: []string{"jaeger_storage", "jaeger_query", "healthcheckv2"},
			Pipelines: map[string]pipeline{"traces": {
				Receivers: []string{"otlp"}, Processors: []string{"memory_limiter", "batch"}, Exporters: []string{"jaeger_storage_exporter"},
			}},
			Telemetry: ownTelemetry(t.object(component)),
		},
		Receivers:  jaegerReceivers{OTLP: otlpReceiver{Protocols: otlpProtocols{GRPC: &endpoint{listen(OTLPGRPCPort)}}}},
		Processors: processors{MemoryLimiter: defaultMemoryLimiter()},
	}
	c.Extensions.Health = healthCheckV2{UseV2: true, HTTP: endpoint{listen(healthPort)}}
	c.Extensions.Query.Storage.Traces = storageName
	c.Extensions.Query.HTTP = endpoint{listen(QueryPort)}
	c.Extensions.Query.GRPC = endpoint{listen(queryGRPCPort)}
	cass := &cassandraBackend{Connection: cassandraConnection{Servers: []string{cassandraHost}, Port: cqlPort, LocalDC: datacenter}}
	cass.Schema.Keyspace = t.keyspace
	cass.Connection.TLS.Insecure = true
	c.Extensions.Storage.Backends = map[string]traceBackend{storageName: {Cassandra: cass}}
	c.Exporters.Storage.TraceStorage = storageName
	return c
}

// render is the configuration file's bytes.
func render(cfg any) (string, error) { return encoding.YAML(cfg) }
