package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

// alertingInfrastructure shows whether the monitoring itself works (targets
// scraped, rules evaluated, Thanos healthy) and the resources the
// infrastructure alerts watch, with their thresholds drawn in.
//
// There is no panel of firing alerts: the catalog does not declare ALERTS,
// and CheckQuery rejects what the catalog does not declare.
func alertingInfrastructure(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardAlertingInfrastructure, "Klear Karma - Alerting and Infrastructure", "infrastructure", "alerting").
		Description("Health of the monitoring pipeline (scrapes, rule evaluation, Thanos) and of the cluster's containers, nodes and volumes. Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, pipelineRow(o), scrapesAndMemoryRow(o), cpuRow(o), capacityRow(o)).Build()
}

// pipelineRow is whether the monitoring itself works: scrapes, rule
// evaluation, the Thanos sidecars and the compactor.
func pipelineRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// `or vector(0)`: with every target up, count() has no series and
		// the panel would read "No data" instead of 0.
		statPanel(o, 1, "Scrape Targets Down",
			"Scrape targets whose last scrape failed. Their alerts cannot fire.",
			grid(0, 0, 6, 4)).
			Unit(unitShort).
			Decimals(0).
			ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
			Thresholds(thresholds(green, step{1, red})).
			WithTarget(promQuery(o, "A",
				`count(up == 0) or vector(0)`,
				"Targets down")),
		statPanel(o, 2, "Rule Evaluation Failures (1h)",
			"Prometheus rule evaluations that failed in the last hour. A failing alerting rule stays silent.",
			grid(6, 0, 6, 4)).
			Unit(unitShort).
			Decimals(0).
			ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
			Thresholds(thresholds(green, step{1, red})).
			WithTarget(promQuery(o, "A",
				`sum(increase(prometheus_rule_evaluation_failures_total[1h]))`,
				"Failures")),
		// min: one sidecar that lost its Prometheus is enough to show DOWN.
		statPanel(o, 3, "Thanos Sidecar Reaches Prometheus",
			"Whether every Thanos sidecar can reach its Prometheus (worst sidecar shown). Without it, recent data is missing from Thanos Query.",
			grid(12, 0, 6, 4)).
			ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
			Thresholds(thresholds(red, step{1, green})).
			Mappings(valueText(map[string]dashboard.ValueMappingResult{
				"0": mapped("DOWN", red),
				"1": mapped("UP", green),
			})).
			GraphMode(common.BigValueGraphModeNone).
			WithTarget(promQuery(o, "A",
				`min(thanos_sidecar_prometheus_up)`,
				"Sidecar")),
		statPanel(o, 4, "Thanos Compactor",
			"HALTED when the compactor stopped on an error: it needs an operator, and retention and downsampling stop until then.",
			grid(18, 0, 6, 4)).
			ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
			Thresholds(thresholds(green, step{1, red})).
			Mappings(valueText(map[string]dashboard.ValueMappingResult{
				"0": mapped("OK", green),
				"1": mapped("HALTED", red),
			})).
			GraphMode(common.BigValueGraphModeNone).
			WithTarget(promQuery(o, "A",
				`max(thanos_compact_halted)`,
				"Compactor")),
	}
}

// scrapesAndMemoryRow is scrape health per job and the containers closest
// to their memory limit.
func scrapesAndMemoryRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		timeseriesPanel(o, 5, "Scrape Targets Up by Job",
			"Share of each job's targets whose last scrape succeeded.",
			grid(0, 4, 12, 8)).
			Unit(unitPercentUnit).
			Min(0).
			Max(1).
			WithTarget(promQuery(o, "A",
				`avg by (job) (up)`,
				"{{job}}")),
		// The same expression as HighMemoryUsage without its threshold: the
		// working set is what the OOM killer compares with the limit, and
		// containers without a limit (limit 0) are left out.
		timeseriesPanel(o, 6, "Container Memory: Working Set / Limit (top 10)",
			"The 10 containers closest to their memory limit. HighMemoryUsage warns above 90%; the container is OOM-killed at 100%.",
			grid(12, 4, 12, 8)).
			Unit(unitPercentUnit).
			Min(0).
			Thresholds(thresholds(green, step{0.9, red})).
			ThresholdsStyle(thresholdLine()).
			WithTarget(promQuery(o, "A",
				`topk(10, max by (namespace, pod, container) (container_memory_working_set_bytes{container!="", container!="POD"}) / max by (namespace, pod, container) (container_spec_memory_limit_bytes{container!="", container!="POD"} > 0))`,
				"{{namespace}}/{{pod}}/{{container}}")),
	}
}

// cpuRow is CPU use, per node and per namespace.
func cpuRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		timeseriesPanel(o, 7, "Node CPU Utilisation",
			"Share of each node's CPU time not idle, over 5 minutes.",
			grid(0, 12, 12, 8)).
			Unit(unitPercentUnit).
			Min(0).
			Max(1).
			WithTarget(promQuery(o, "A",
				`1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))`,
				"{{instance}}")),
		timeseriesPanel(o, 8, "Container CPU by Namespace",
			"CPU cores used by containers, per namespace, over 5 minutes.",
			grid(12, 12, 12, 8)).
			Unit(unitShort).
			Min(0).
			AxisLabel("cores").
			WithTarget(promQuery(o, "A",
				`sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", container!="POD"}[5m]))`,
				"{{namespace}}")),
	}
}

// capacityRow is the free space and memory the disk and node alerts watch.
func capacityRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// The same ratio as DiskSpaceLow, which pages below 10% free.
		timeseriesPanel(o, 9, "Root Filesystem Free",
			"Share of each node's root filesystem that is free. DiskSpaceLow pages below 10%.",
			grid(0, 20, 8, 8)).
			Unit(unitPercentUnit).
			Min(0).
			Max(1).
			Thresholds(thresholds(red, step{0.1, green})).
			ThresholdsStyle(thresholdLine()).
			WithTarget(promQuery(o, "A",
				`node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"}`,
				"{{instance}}")),
		timeseriesPanel(o, 10, "Persistent Volume Free",
			"Share of each persistent volume claim that is free (Prometheus, Alertmanager and other stateful workloads).",
			grid(8, 20, 8, 8)).
			Unit(unitPercentUnit).
			Min(0).
			Max(1).
			Thresholds(thresholds(red, step{0.1, green})).
			ThresholdsStyle(thresholdLine()).
			WithTarget(promQuery(o, "A",
				`max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes) / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)`,
				"{{namespace}}/{{persistentvolumeclaim}}")),
		timeseriesPanel(o, 11, "Node Memory Utilisation",
			"Share of each node's memory not available to new workloads without swapping.",
			grid(16, 20, 8, 8)).
			Unit(unitPercentUnit).
			Min(0).
			Max(1).
			WithTarget(promQuery(o, "A",
				`1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes`,
				"{{instance}}")),
	}
}
