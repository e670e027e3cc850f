package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/rules"
)

const titleAlertingPipeline = "Klear Karma - Alerting Pipeline"

// firing are the alerts that fire, the Watchdog left out: it always fires.
const firing = `ALERTS{alertstate="firing", alertname!="` + rules.WatchdogAlert + `"}`

// alertingPipeline is the path of an alert: the rules fire (ALERTS),
// Prometheus queues and sends them to every Alertmanager, the replicas
// gossip, and each notification goes out through an integration (PagerDuty,
// Slack, email, the dead man's switch's webhook). The former "Alerting and
// Infrastructure" dashboard had none of this: its rule evaluation panels
// moved to the metrics pipeline, its cluster panels to the cluster overview.
func alertingPipeline(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardAlertingPipeline, titleAlertingPipeline, "infrastructure", "alerting").
		Description("Firing alerts, the Watchdog, Prometheus' notification queue, Alertmanager's cluster and its notifications per integration. Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, alertingStatsRow(o), alertingAlertsRow(o), alertingNotificationsRow(o), alertingDeliveryRow(o)).Build()
}

// alertingStatsRow is whether an alert would reach someone now.
func alertingStatsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// The Watchdog is what the dead man's switch hears: SILENT here
		// means the switch pages soon.
		flagStat(o, 1, "Watchdog",
			"FIRING while the Watchdog alert fires, as it always should: the rules are evaluated and the dead man's switch gets its heartbeat. SILENT means Prometheus or its rule evaluation is broken.",
			grid(0, 0, 4, 4), state{"SILENT", red}, state{"FIRING", green},
			series(`max(ALERTS{alertname="`+rules.WatchdogAlert+`", alertstate="firing"}) or vector(0)`, "Watchdog")),
		thresholdStat(o, 2, "Alerts Firing",
			"Alerts firing now, the Watchdog left out.",
			grid(4, 0, 4, 4), unitShort, thresholds(green, step{1, yellow}),
			series(`count(`+firing+`) or vector(0)`, "Firing")).
			Decimals(0),
		problemStat(o, 3, "Failed Notifications (1h)",
			"Notifications Alertmanager failed to deliver in the last hour, all integrations. AlertmanagerNotificationsFailing pages above 1% over 5 minutes.",
			grid(8, 0, 4, 4),
			series(`sum(increase(alertmanager_notifications_failed_total[1h]))`, "Failed")),
		problemStat(o, 4, "Alerts Dropped by Prometheus (1h)",
			"Alerts Prometheus dropped in the last hour instead of delivering them to Alertmanager (PrometheusNotificationsDropped).",
			grid(12, 0, 4, 4),
			series(`sum(increase(prometheus_notifications_dropped_total[1h]))`, "Dropped")),
		// min: the Prometheus that sees the fewest decides.
		valueStat(o, 5, "Alertmanagers Discovered",
			"Alertmanagers the Prometheus that sees the fewest sends alerts to; it should be every replica.",
			grid(16, 0, 4, 4), unitShort,
			series(`min(prometheus_notifications_alertmanagers_discovered)`, "Discovered")).
			Decimals(0),
		flagStat(o, 6, "Alertmanager Configuration",
			"FAILED when an Alertmanager could not load its last configuration and routes with the previous one (AlertmanagerConfigReloadFailed).",
			grid(20, 0, 4, 4), state{"FAILED", red}, state{"LOADED", green},
			series(`min(alertmanager_config_last_reload_successful)`, "Configuration")),
	}
}

// alertingAlertsRow is what fires and what Alertmanager holds.
func alertingAlertsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 7, "Firing Alerts by Team and Severity",
			"Alerts firing, per team and severity (the labels the route tree sends on), the Watchdog left out.",
			grid(0, 4, 12, 8),
			series(`count by (team, severity) (`+firing+`)`, "{{team}} {{severity}}")).
			Decimals(0),
		// max: Prometheus sends every alert to every replica, so each holds
		// them all.
		countPanel(o, 8, "Alerts in Alertmanager by State",
			"Alerts Alertmanager holds: active (notified), suppressed (silenced or inhibited), unprocessed (not yet routed). Highest replica shown.",
			grid(12, 4, 12, 8),
			series(`max by (state) (alertmanager_alerts)`, "{{state}}")).
			Decimals(0),
	}
}

// alertingNotificationsRow is Alertmanager's notifications per integration.
func alertingNotificationsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		seriesPanel(o, 9, "Notifications by Integration",
			"Notifications attempted per second, per integration (pagerduty, slack, email, webhook: the dead man's switch), over 5 minutes.",
			grid(0, 12, 8, 8), unitOpsPerSecond,
			series(`sum by (integration) (rate(alertmanager_notifications_total[5m]))`, "{{integration}}")).
			Min(0),
		alertLine(ratioPanel(o, 10, "Notification Failures by Integration",
			"Share of each integration's notifications that failed over 5 minutes. AlertmanagerNotificationsFailing pages above 1%.",
			grid(8, 12, 8, 8),
			series(`sum by (integration) (rate(alertmanager_notifications_failed_total[5m])) / (sum by (integration) (rate(alertmanager_notifications_total[5m])) > 0)`, "{{integration}}")),
			thresholds(green, step{0.01, red})),
		seriesPanel(o, 11, "Notification Latency (99th percentile)",
			"99th percentile time to send a notification, per integration, over 5 minutes.",
			grid(16, 12, 8, 8), unitSeconds,
			series(`histogram_quantile(0.99, sum by (le, integration) (rate(alertmanager_notification_latency_seconds_bucket[5m])))`, "{{integration}}")).
			Min(0),
	}
}

// alertingDeliveryRow is the way from Prometheus to Alertmanager, and the
// Alertmanager cluster.
func alertingDeliveryRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// The ratio PrometheusNotificationQueueRunningFull watches.
		alertLine(ratioPanel(o, 12, "Prometheus Notification Queue",
			"How full each Prometheus' queue of alerts to Alertmanager is. PrometheusNotificationQueueRunningFull warns above 90%; a full queue drops alerts.",
			grid(0, 20, 8, 8),
			series(`max by (namespace, pod) (prometheus_notifications_queue_length) / max by (namespace, pod) (prometheus_notifications_queue_capacity)`, "{{pod}}")),
			thresholds(green, step{0.9, red})),
		seriesPanel(o, 13, "Alerts Sent to Alertmanager",
			"Alerts Prometheus sent per second, and those that failed or were dropped, over 5 minutes.",
			grid(8, 20, 8, 8), unitOpsPerSecond,
			series(`sum by (pod) (rate(prometheus_notifications_sent_total[5m]))`, "sent {{pod}}"),
			series(`sum by (pod) (rate(prometheus_notifications_errors_total[5m]))`, "errors {{pod}}"),
			series(`sum by (pod) (rate(prometheus_notifications_dropped_total[5m]))`, "dropped {{pod}}")).
			Min(0),
		// AlertmanagerClusterMembersMismatch compares each replica's view
		// with the number of replicas reporting.
		countPanel(o, 14, "Alertmanager Cluster Members",
			"Members of the gossip cluster each Alertmanager sees, itself included, and the replicas reporting. A replica that sees fewer is cut off, and notifications go out once per part.",
			grid(16, 20, 8, 8),
			series(`max by (pod) (alertmanager_cluster_members)`, "seen by {{pod}}"),
			series(`count(alertmanager_cluster_members)`, "replicas reporting")).
			Decimals(0),
	}
}
