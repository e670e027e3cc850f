package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

// applicationOverview is the seed's "Klear Karma - Application Overview":
// the same six panels, ids, units, thresholds and grid positions. Queries read
// the recording rules where one exists (the alerts read the same series), and
// follow the catalog where the seed named metrics nobody exposed.
func applicationOverview(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardApplicationOverview, "Klear Karma - Application Overview", "overview").
		Description("Traffic, errors, latency and database performance of the Klear Karma API. Owned by the backend team.").
		Time("now-1h", "now").
		Refresh(refreshOperational)
	return withPanels(b, overviewStatsRow(o), overviewTrafficRow(o), overviewHealthRow(o)).Build()
}

// overviewStatsRow is the seed's four headline numbers.
func overviewStatsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		thresholdStat(o, 1, "Request Rate",
			"HTTP requests per second over 5 minutes, all services (recording rule namespace_service:http_requests:rate5m).",
			grid(0, 0, 6, 8), unitRequestsPerSecond, thresholds(green, step{100, yellow}, step{500, red}),
			series(`sum(namespace_service:http_requests:rate5m)`, "Requests/sec")),
		// No value without traffic rather than the seed's 0/0 = NaN; traffic
		// without any 5xx gives 0 (the 5xx recording rule is 0 then).
		thresholdStat(o, 2, "Error Rate",
			"Share of HTTP requests answered with a 5xx status over 5 minutes, all services. HighErrorRate pages per service above 5%.",
			grid(6, 0, 6, 8), unitPercentUnit, thresholds(green, step{0.01, yellow}, step{0.05, red}),
			series(`sum(namespace_service:http_requests_5xx:rate5m) / (sum(namespace_service:http_requests:rate5m) > 0)`, "Error Rate")),
		// The bucket rates are summed across services before the quantile,
		// as the seed did with the raw histogram.
		thresholdStat(o, 3, "Response Time (95th percentile)",
			"95th percentile HTTP response time over 5 minutes, all services. HighResponseTime warns per service above 2s.",
			grid(12, 0, 6, 8), unitSeconds, thresholds(green, step{1, yellow}, step{2, red}),
			series(`histogram_quantile(0.95, sum by (le) (namespace_service_le:http_request_duration_seconds_bucket:rate5m))`, "95th percentile")),
		// max: active_sessions comes from the shared session store, every
		// replica reports the same value, so the seed's sum counted it once
		// per pod.
		valueStat(o, 4, "Active Users",
			"Sessions active in the last 5 minutes, from the shared session store (max across replicas, which all report the same value).",
			grid(18, 0, 6, 8), unitShort,
			series(`max by (namespace) (active_sessions)`, "{{namespace}}")),
	}
}

// overviewTrafficRow is traffic per endpoint and the database's latency.
func overviewTrafficRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// The counter, not a recording rule: none keeps endpoint.
		seriesPanel(o, 5, "Request Rate by Endpoint",
			"HTTP requests per second over 5 minutes, per route template (\"unmatched\" when no route matched).",
			grid(0, 8, 12, 8), unitRequestsPerSecond,
			series(`sum by (endpoint) (rate(http_requests_total[5m]))`, "{{endpoint}}")),
		seriesPanel(o, 6, "Database Query Performance",
			"95th and 50th percentile database query duration over 5 minutes, per query type.",
			grid(12, 8, 12, 8), unitSeconds,
			series(`histogram_quantile(0.95, sum by (le, query_type) (rate(database_query_duration_seconds_bucket[5m])))`, "{{query_type}} - 95th percentile"),
			series(`histogram_quantile(0.5, sum by (le, query_type) (rate(database_query_duration_seconds_bucket[5m])))`, "{{query_type}} - 50th percentile")),
	}
}

// overviewHealthRow shows the blackbox probes of the stack's probes list.
// /health/detailed is probed by two modules (available, healthy), the other
// endpoints by one; the share that passes is 1 when everything passes, 0.5
// only for a degraded /health/detailed, 0 when down.
func overviewHealthRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		thresholdStat(o, 7, "Health Endpoints",
			"The strategy's /live, /ready, /health and /health/detailed of each probed service, from the blackbox exporter: UP, DEGRADED (/health/detailed says degraded) or DOWN. EndpointDown pages the service's team after 2 minutes down; EndpointDegraded warns after 10 minutes degraded.",
			grid(0, 16, 24, 6), unitShort, thresholds(red, step{0.5, yellow}, step{1, green}),
			series(`avg by (service, endpoint) (probe_success{job="blackbox"})`, "{{service}} {{endpoint}}")).
			Mappings(valueText(map[string]dashboard.ValueMappingResult{
				"0":   mapped("DOWN", red),
				"0.5": mapped("DEGRADED", yellow),
				"1":   mapped("UP", green),
			})),
	}
}
