package jaeger

import (
	"fmt"
	"strconv"
)

// The OpenTelemetry Collector's configuration, with the collector's keys;
// the tests run `otelcol-kk validate` (tools/otelcol, the same components at
// the image's release) on every rendering.

type collectorConfig struct {
	Extensions collectorExtensions   `json:"extensions"`
	Receivers  collectorReceivers    `json:"receivers"`
	Processors processors            `json:"processors"`
	Exporters  map[string]otlpExport `json:"exporters"`
	Service    serviceConfig         `json:"service"`
}

// collectorExtensions: health_check, the health extension the contrib
// image has (healthcheckv2 is not in that distribution).
type collectorExtensions struct {
	Health endpoint `json:"health_check"`
}

type collectorReceivers struct {
	OTLP   otlpReceiver   `json:"otlp"`
	Jaeger jaegerReceiver `json:"jaeger"`
}

type jaegerReceiver struct {
	Protocols struct {
		// ThriftHTTP serves POST /api/traces, the seed's Jaeger exporter.
		ThriftHTTP endpoint `json:"thrift_http"`
	} `json:"protocols"`
}

// probabilisticSampler keeps whole traces: every mode decides on the trace
// id alone, so each span of a trace gets its trace's decision, on every
// collector replica. The mode is "proportional", OpenTelemetry's consistent
// probability sampling: the decision compares the trace id's 56 random bits
// (W3C Trace Context level 2) with a threshold, so no seed must agree
// between replicas (hash_seed's FNV hash needs one), it keeps the ratio of
// what arrives whatever the SDKs sampled before, and it records its
// threshold in each kept span's tracestate (ot=th:...), from which the
// sampled tier's counts can be scaled back.
type probabilisticSampler struct {
	Mode               string  `json:"mode"`
	SamplingPercentage float64 `json:"sampling_percentage"`
}

// samplerMode is the probabilistic sampler's mode (see probabilisticSampler).
const samplerMode = "proportional"

// otlpExport is an otlp_grpc exporter to a tier's Jaeger.
type otlpExport struct {
	Endpoint string `json:"endpoint"`
	TLS      struct {
		// Insecure: plain gRPC to the Jaeger pods in the same namespace.
		Insecure bool `json:"insecure"`
	} `json:"tls"`
}

// exporterName is the exporter of a tier: "otlp_grpc/detailed".
func exporterName(t tier) string { return "otlp_grpc/" + t.role }

// pipelineName is the traces pipeline of a tier: "traces/detailed".
func pipelineName(t tier) string { return "traces/" + t.role }

// percentage is the sampler's percentage for a ratio, without float noise
// (0.1 is 10, not 10.000000000000002).
func percentage(ratio float64) float64 {
	p, _ := strconv.ParseFloat(strconv.FormatFloat(ratio*100, 'g', 12, 64), 64)
	return p
}

// collectorConfigFor receives OTLP (gRPC, HTTP) and Jaeger Thrift HTTP and
// runs one pipeline per tier from the same receivers: the detailed one
// forwards every span, the sampled one samples first. jaegerHosts maps a
// tier's role to its Jaeger's host.
func collectorConfigFor(component string, tiers []tier, jaegerHosts map[string]string) collectorConfig {
	c := collectorConfig{
		Extensions: collectorExtensions{Health: endpoint{listen(healthPort)}},
		Receivers: collectorReceivers{OTLP: otlpReceiver{Protocols: otlpProtocols{
			GRPC: &endpoint{listen(OTLPGRPCPort)}, HTTP: &endpoint{listen(OTLPHTTPPort)},
		}}},
		Processors: processors{MemoryLimiter: defaultMemoryLimiter()},
		Exporters:  map[string]otlpExport{},
		Service: serviceConfig{
			Extensions: []string{"health_check"},
			Pipelines:  map[string]pipeline{},
			Telemetry:  ownTelemetry(collectorObject(component)),
		},
	}
	c.Receivers.Jaeger.Protocols.ThriftHTTP = endpoint{listen(JaegerThriftPort)}
	for _, t := range tiers {
		exp := otlpExport{Endpoint: fmt.Sprintf("%s:%d", jaegerHosts[t.role], OTLPGRPCPort)}
		exp.TLS.Insecure = true
		c.Exporters[exporterName(t)] = exp
		procs := []string{"memory_limiter", "batch"}
		if t.ratio < 1 {
			// Sample before batching, so batches hold only kept spans.
			c.Processors.Sampler = &probabilisticSampler{Mode: samplerMode, SamplingPercentage: percentage(t.ratio)}
			procs = []string{"memory_limiter", "probabilistic_sampler", "batch"}
		}
		c.Service.Pipelines[pipelineName(t)] = pipeline{
			Receivers: []string{"otlp", "jaeger"}, Processors: procs, Exporters: []string{exporterName(t)},
		}
	}
	return c
}
