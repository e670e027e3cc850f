package jaeger

import "fmt"

// OtelConfigKey is the OpenTelemetry Collector's configuration file name.
const OtelConfigKey = "config.yaml"

// otelCollectorConfig is the subset of the OpenTelemetry Collector's
// configuration this component writes; encoding.YAML sorts map keys, so the
// same tiers always render the same bytes.
type otelCollectorConfig struct {
	Extensions map[string]any `json:"extensions"`
	Receivers  map[string]any `json:"receivers"`
	Processors map[string]any `json:"processors"`
	Exporters  map[string]any `json:"exporters"`
	Service    otelService    `json:"service"`
}

type otelService struct {
	Extensions []string                `json:"extensions"`
	Pipelines  map[string]otelPipeline `json:"pipelines"`
}

type otelPipeline struct {
	Receivers  []string `json:"receivers"`
	Processors []string `json:"processors"`
	Exporters  []string `json:"exporters"`
}

type endpoint struct {
	Endpoint string `json:"endpoint"`
}

type otlpExporter struct {
	Endpoint string         `json:"endpoint"`
	TLS      map[string]any `json:"tls"`
}

// otelConfig receives OTLP and the Jaeger exporter's thrift_http, and sends
// every span to each tier's Jaeger collector (role -> service host). The
// sampled collector downsamples; the gateway itself never drops spans.
func otelConfig(collectors map[string]string) otelCollectorConfig {
	exporters := map[string]any{}
	names := []string{}
	for _, role := range []string{"detailed", "sampled"} {
		host, ok := collectors[role]
		if !ok {
			continue
		}
		n := "otlp/" + role
		names = append(names, n)
		// In-cluster traffic inside the traces namespace, no TLS.
		exporters[n] = otlpExporter{Endpoint: fmt.Sprintf("%s:%d", host, OTLPGRPCPort), TLS: map[string]any{"insecure": true}}
	}
	return otelCollectorConfig{
		Extensions: map[string]any{"health_check": endpoint{Endpoint: fmt.Sprintf("0.0.0.0:%d", otelHealthPort)}},
		Receivers: map[string]any{
			"otlp": map[string]any{"protocols": map[string]any{
				"grpc": endpoint{Endpoint: fmt.Sprintf("0.0.0.0:%d", OTLPGRPCPort)},
				"http": endpoint{Endpoint: fmt.Sprintf("0.0.0.0:%d", OTLPHTTPPort)},
			}},
			"jaeger": map[string]any{"protocols": map[string]any{
				"thrift_http": endpoint{Endpoint: fmt.Sprintf("0.0.0.0:%d", JaegerThriftPort)},
			}},
		},
		Processors: map[string]any{
			// Refuse data before the pod is OOM-killed; clients retry.
			"memory_limiter": map[string]any{"check_interval": "1s", "limit_percentage": 80, "spike_limit_percentage": 25},
			"batch":          map[string]any{},
		},
		Exporters: exporters,
		Service: otelService{
			Extensions: []string{"health_check"},
			Pipelines: map[string]otelPipeline{"traces": {
				Receivers: []string{"otlp", "jaeger"}, Processors: []string{"memory_limiter", "batch"}, Exporters: names,
			}},
		},
	}
}
