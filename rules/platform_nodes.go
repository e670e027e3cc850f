package rules

import (
	"fmt"
	"time"
)

// nodeExposed are the node metrics the node alerts read beyond those in
// exposed and platformExposed, with where each was checked: node_exporter
// v1.10.2's collector/timex.go (the module, from the Go proxy; the timex
// collector is enabled by default and components/exporters does not turn it
// off) and kube-state-metrics v2.17.0's docs/metrics/cluster/node-metrics.md
// and internal/store/node.go at the tag (the module is not on the proxy).
var nodeExposed = []Metric{
	{
		Name: "node_timex_offset_seconds", Type: Gauge, Source: SourceNodeExporter,
		Help: "Offset of the node's clock from its reference clock, as the kernel's adjtimex(2) reports it.",
	},
	{
		Name: "node_timex_sync_status", Type: Gauge, Source: SourceNodeExporter,
		Help: "1 when the kernel considers the clock synchronised to a reliable server (the STA_UNSYNC bit is clear), 0 otherwise.",
	},
	{
		Name: "node_timex_maxerror_seconds", Type: Gauge, Source: SourceNodeExporter,
		Help: "The kernel's maximum error of the clock; it grows while nothing disciplines the clock and stands at 16s when the clock is unsynchronised.",
	},
	{
		// One series per condition and status (true, false, unknown), the
		// one that holds at 1; the node controller's Ready and the
		// kubelet's pressure conditions among them.
		Name: "kube_node_status_condition", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "1 for the status (true, false, unknown) each condition of a node is in, 0 for the others.",
		Labels: []string{"condition", "node", "status"},
	},
}

// nodeConditionAlerts read the node conditions from kube-state-metrics: the
// control plane's view of a node, which node-exporter on the node itself
// cannot give (a node that stops reporting is NotReady, not silent).
var nodeConditionAlerts = []alertingRule{
	{
		// 15 minutes: a kubelet restart or a short network partition flips
		// Ready for a minute or two; pods on the node are evicted after 5.
		alert:       "KubeNodeNotReady",
		expr:        `kube_node_status_condition{condition="Ready", status="true"} == 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Node is not ready",
		description: "Node {{ $labels.node }} has not been Ready for 15 minutes: its kubelet stopped reporting or reports itself unhealthy, and its pods are being evicted to other nodes.",
	},
	nodePressure("KubeNodeMemoryPressure", "MemoryPressure", "memory",
		"the kubelet evicts pods from it to reclaim memory and admits no new BestEffort pods"),
	nodePressure("KubeNodeDiskPressure", "DiskPressure", "disk space or inodes",
		"the kubelet deletes unused images and evicts pods from it, and admits no new pods"),
	nodePressure("KubeNodePIDPressure", "PIDPressure", "process IDs",
		"the kubelet evicts pods from it, and admits no new pods"),
}

// nodePressure is the alert on one of the kubelet's eviction signals: the
// condition is true while an eviction threshold is crossed. 10 minutes: the
// kubelet often relieves the pressure itself within a few.
func nodePressure(alert, condition, resource, effect string) alertingRule {
	return alertingRule{
		alert:       alert,
		expr:        fmt.Sprintf(`kube_node_status_condition{condition=%q, status="true"} == 1`, condition),
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Node has " + condition,
		description: fmt.Sprintf("Node {{ $labels.node }} has been short of %s (condition %s) for 10 minutes: %s.", resource, condition, effect),
	}
}

// nodeClockAlerts watch the nodes' clocks: skewed clocks break TLS
// validity checks, token expiry and the ordering of logs and traces across
// nodes.
var nodeClockAlerts = []alertingRule{
	{
		// Beyond 50ms and not converging: a clock that NTP is slewing back
		// moves towards 0, which the deriv() excludes.
		alert: "NodeClockSkewDetected",
		expr: lines(
			`(`,
			`  node_timex_offset_seconds > 0.05`,
			`    and`,
			`  deriv(node_timex_offset_seconds[5m]) >= 0`,
			`)`,
			`  or`,
			`(`,
			`  node_timex_offset_seconds < -0.05`,
			`    and`,
			`  deriv(node_timex_offset_seconds[5m]) <= 0`,
			`)`,
		),
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Node clock is skewed",
		description: "The clock of {{ $labels.instance }} is {{ $value | humanizeDuration }} off its reference (threshold 50ms) and has not been converging for 10 minutes; check its NTP (chrony) service.",
	},
	{
		// sync_status alone drops to 0 for a moment at every NTP restart;
		// a maxerror of 16s is the kernel's own "unsynchronised".
		alert: "NodeClockNotSynchronising",
		expr: lines(
			`min_over_time(node_timex_sync_status[5m]) == 0`,
			`  and`,
			`node_timex_maxerror_seconds >= 16`,
		),
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Node clock is not synchronising",
		description: "The clock of {{ $labels.instance }} has not been synchronised to a time server for 10 minutes; it drifts until its NTP (chrony) service can reach one.",
	},
}
