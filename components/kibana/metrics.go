package kibana

import (
	"fmt"

	"github.com/prometheus-community/json_exporter/config"

	"github.com/klearkarma/observability/internal/jsonprobe"
)

// StatusProbe is what the json_exporter sidecar makes of Kibana's status
// API (GET /api/status): the overall level (available, degraded,
// unavailable, critical) as the label of a series whose value is 1.
// Kibana 8.9 and later answer a request without credentials with the
// redacted body, {"status":{"overall":{"level":...}}}, the level of its
// core services (Elasticsearch, saved objects), and with 503 once that
// level is unavailable or critical; the sidecar reads the body of a 503
// too, so such a Kibana is KibanaDegraded with its level, and KibanaDown
// means no answer at all. (status.allowAnonymous would give anyone who
// reaches Kibana the full status, plugins, version and metrics: left off.)
func StatusProbe() jsonprobe.Probe {
	return jsonprobe.Probe{
		Module: "kibana",
		Target: fmt.Sprintf("http://localhost:%d/api/status", Port),
		Metrics: []config.Metric{{
			Name: "kibana_status", Type: config.ObjectScrape, ValueType: config.ValueTypeGauge,
			Path:   "{.status.overall}",
			Labels: map[string]string{"level": "{.level}"},
			Values: map[string]string{"overall": "1"},
			Help:   "1, labelled with Kibana's overall status level: available, degraded, unavailable or critical.",
		}},
		ValidStatusCodes: []int{200, 503},
	}
}
