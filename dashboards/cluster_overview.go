package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

const titleClusterOverview = "Klear Karma - Cluster Overview"

// Pods that should be ready: a completed pod (a Job's) reads not ready for
// ever, and a failed one is the Job alert's.
const podsNotReady = `kube_pod_status_ready{condition="false"} and on (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running|Unknown"} == 1)`

// clusterOverview is the cluster the platform and the applications run on:
// nodes, the workloads' health per namespace and where capacity runs out,
// with the infrastructure alerts' thresholds drawn in. It took over the
// cluster half of the former "Alerting and Infrastructure" dashboard; the
// monitoring half is the metrics pipeline's.
func clusterOverview(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(conventions.DashboardClusterOverview, titleClusterOverview, "infrastructure", "cluster").
		Description("Nodes, workloads per namespace and the capacity left (CPU, memory, node disks, persistent volumes). Owned by the infrastructure team.").
		Time("now-6h", "now").
		Refresh(refreshOperational)
	return withPanels(b, clusterStatsRow(o), clusterNodesRow(o), clusterDisksRow(o), clusterWorkloadsRow(o), clusterContainersRow(o)).Build()
}

// clusterStatsRow is whether anything needs looking at now.
func clusterStatsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		valueStat(o, 1, "Nodes Ready",
			"Nodes whose Ready condition is true (kube-state-metrics).",
			grid(0, 0, 6, 4), unitShort,
			series(`sum(kube_node_status_condition{condition="Ready", status="true"})`, "Ready")).
			Decimals(0),
		problemStat(o, 2, "Nodes Not Ready",
			"Nodes whose Ready condition is false or unknown: their pods are evicted after the toleration runs out.",
			grid(6, 0, 6, 4),
			series(`sum(kube_node_status_condition{condition="Ready", status!="true"}) or vector(0)`, "Not ready")),
		problemStat(o, 3, "Pods Not Ready",
			"Pending or running pods that are not ready (completed Job pods left out): they receive no traffic from their Services.",
			grid(12, 0, 6, 4),
			series(`sum(`+podsNotReady+`) or vector(0)`, "Not ready")),
		problemStat(o, 4, "Containers Crash Looping",
			"Containers waiting in CrashLoopBackOff. KubePodCrashLooping warns after 15 minutes.",
			grid(18, 0, 6, 4),
			series(`sum(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}) or vector(0)`, "Crash looping")),
	}
}

// clusterNodesRow is CPU and memory per node (node-exporter's instance is
// the node's name).
func clusterNodesRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		ratioPanel(o, 5, "Node CPU Utilisation",
			"Share of each node's CPU time not idle, over 5 minutes.",
			grid(0, 4, 12, 8),
			series(`1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))`, "{{instance}}")),
		// The ratio NodeMemoryPressure watches, as used memory.
		alertLine(ratioPanel(o, 6, "Node Memory Utilisation",
			"Share of each node's memory not available to new workloads without swapping. NodeMemoryPressure warns above 95%.",
			grid(12, 4, 12, 8),
			series(`1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes`, "{{instance}}")),
			thresholds(green, step{0.95, red})),
	}
}

// clusterDisksRow is the node disks and the persistent volumes.
func clusterDisksRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		// The ratio DiskSpaceLow watches, as used space: it pages below 10%
		// free.
		alertLine(ratioPanel(o, 7, "Node Root Filesystem Used",
			"Share of each node's root filesystem in use. DiskSpaceLow pages above 90%; NodeFilesystemPredictedFull pages when the trend fills it within 4 hours.",
			grid(0, 12, 12, 8),
			series(`1 - node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"}`, "{{instance}}")),
			thresholds(green, step{0.9, red})),
		// kubelet_volume_stats_* come from the kubelet's own /metrics.
		alertLine(ratioPanel(o, 8, "Persistent Volume Claims Used",
			"Share of each persistent volume claim in use (Prometheus, Alertmanager, Elasticsearch, Cassandra and the other stateful workloads).",
			grid(12, 12, 12, 8),
			series(`1 - max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes) / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)`, "{{namespace}}/{{persistentvolumeclaim}}")),
			thresholds(green, step{0.8, yellow}, step{0.9, red})),
	}
}

// clusterWorkloadsRow is the workloads' health, per namespace.
func clusterWorkloadsRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 9, "Pods Not Ready by Namespace",
			"Pending or running pods that are not ready, per namespace.",
			grid(0, 20, 8, 8),
			series(`sum by (namespace) (`+podsNotReady+`)`, "{{namespace}}")).
			Decimals(0),
		countPanel(o, 10, "Containers Crash Looping by Namespace",
			"Containers waiting in CrashLoopBackOff, per namespace.",
			grid(8, 20, 8, 8),
			series(`sum by (namespace) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"})`, "{{namespace}}")).
			Decimals(0),
		countPanel(o, 11, "Container Restarts by Namespace",
			"Container restarts in the trailing hour, per namespace.",
			grid(16, 20, 8, 8),
			series(`sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h]))`, "{{namespace}}")),
	}
}

// clusterContainersRow is what the containers use.
func clusterContainersRow(o Options) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		countPanel(o, 12, "Container CPU by Namespace",
			"CPU cores used by containers, per namespace, over 5 minutes.",
			grid(0, 28, 12, 8),
			series(`sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", container!="POD"}[5m]))`, "{{namespace}}")).
			AxisLabel("cores"),
		// The same expression as HighMemoryUsage without its threshold: the
		// working set is what the OOM killer compares with the limit, and
		// containers without a limit (limit 0) are left out.
		alertLine(seriesPanel(o, 13, "Container Memory: Working Set / Limit (top 10)",
			"The 10 containers closest to their memory limit. HighMemoryUsage warns above 90%; the container is OOM-killed at 100%.",
			grid(12, 28, 12, 8), unitPercentUnit,
			series(`topk(10, max by (namespace, pod, container) (container_memory_working_set_bytes{container!="", container!="POD"}) / max by (namespace, pod, container) (container_spec_memory_limit_bytes{container!="", container!="POD"} > 0))`, "{{namespace}}/{{pod}}/{{container}}")).
			Min(0),
			thresholds(green, step{0.9, red})),
	}
}
