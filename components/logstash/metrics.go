package logstash

import (
	"fmt"

	"github.com/prometheus-community/json_exporter/config"

	"github.com/klearkarma/observability/internal/jsonprobe"
)

// PipelineID is the id of the one pipeline each instance runs (Logstash's
// default, "main": there is no pipelines.yml).
const PipelineID = "main"

// The ids of the elasticsearch outputs (buildPipeline).
const (
	OutputAudit = "out_es_audit"
	OutputApp   = "out_es_app"
)

// StatsProbe is what the json_exporter sidecar makes of Logstash's node
// stats API (GET /_node/stats on the API port, which the pod's probes use
// too). Logstash creates a counter the first time it moves, so a series
// of a plugin that never failed is absent until it does; the exporter then
// skips it (and logs that the path matched nothing).
func StatsProbe() jsonprobe.Probe {
	pipeline := "{.pipelines." + PipelineID
	static := map[string]string{"pipeline": PipelineID}
	value := func(name, path string, t config.ValueType, help string) config.Metric {
		return config.Metric{Name: name, Path: pipeline + path + "}", Labels: static, Type: config.ValueScrape, ValueType: t, Help: help}
	}
	return jsonprobe.Probe{
		Module: "logstash",
		Target: fmt.Sprintf("http://localhost:%d/_node/stats", APIPort),
		Metrics: []config.Metric{
			value("logstash_pipeline_events_in_total", ".events.in", config.ValueTypeCounter, "Events the pipeline's inputs received."),
			value("logstash_pipeline_events_out_total", ".events.out", config.ValueTypeCounter, "Events the pipeline's outputs sent."),
			value("logstash_pipeline_queue_bytes", ".queue.queue_size_in_bytes", config.ValueTypeGauge, "Bytes the pipeline's persisted queue uses on disk."),
			value("logstash_pipeline_queue_max_bytes", ".queue.max_queue_size_in_bytes", config.ValueTypeGauge, "The persisted queue's limit (queue.max_bytes): when full, inputs stop accepting events."),
			value("logstash_pipeline_queue_events", ".queue.events_count", config.ValueTypeGauge, "Events waiting in the pipeline's queue."),
			{
				// One series per elasticsearch output, by its plugin id.
				Name: "logstash_output", Type: config.ObjectScrape, ValueType: config.ValueTypeCounter,
				Path:   pipeline + `.plugins.outputs[?(@.name=="elasticsearch")]}`,
				Labels: map[string]string{"pipeline": PipelineID, "plugin_id": "{.id}"},
				Values: map[string]string{
					"events_out_total":                       "{.events.out}",
					"bulk_request_failures_total":            "{.bulk_requests.failures}",
					"bulk_requests_with_errors_total":        "{.bulk_requests.with_errors}",
					"documents_non_retryable_failures_total": "{.documents.non_retryable_failures}",
				},
				Help: "Counters of the pipeline's elasticsearch outputs: events sent, bulk requests that failed (no answer) or came back with errors, documents Elasticsearch refused for good.",
			},
			{Name: "logstash_jvm_heap_used_percent", Path: "{.jvm.mem.heap_used_percent}", Type: config.ValueScrape, ValueType: config.ValueTypeGauge, Help: "JVM heap in use, in percent (the API's unit)."},
		},
	}
}
