package rules

import (
	"fmt"
	"time"

	"github.com/klearkarma/observability/components/elasticsearch"
)

// SourceElasticsearchExporter is the prometheus-community
// elasticsearch_exporter that runs beside the log store
// (components/elasticsearch, internal/pins ElasticsearchExporterImage).
const SourceElasticsearchExporter Source = "elasticsearch-exporter"

// The exporter's `cluster` label is the Elasticsearch cluster's name, not
// the platform's cluster: an alert that kept it would reach Alertmanager
// with it instead of the external label, so every alert below aggregates it
// away.
var (
	esNodeLabels = []string{"cluster", "es_client_node", "es_data_node", "es_ingest_node", "es_master_node", "host", "name"}
	// The exporter labels these with the data path too (`path`), one per
	// node and path.data entry; it is left undeclared so that no query
	// groups by a label the catalog's unbounded-label rule would refuse.
	esFilesystemLabels = append(append([]string{}, esNodeLabels...), "mount")
)

// loggingExposed are the exporter's metrics the logging alerts read, as
// checked in github.com/prometheus-community/elasticsearch_exporter
// v1.11.0 (collector/cluster_health.go, nodes.go, cluster_settings.go,
// ilm.go, slm.go, snapshots.go and metrics.md).
var loggingExposed = []Metric{
	{
		Name: "elasticsearch_cluster_health_status", Type: Gauge, Source: SourceElasticsearchExporter,
		Help:   "1 for the cluster's current health color (green, yellow, red), 0 for the others; absent when the health request fails.",
		Labels: []string{"cluster", "color"},
	},
	{
		Name: "elasticsearch_filesystem_data_available_bytes", Type: Gauge, Source: SourceElasticsearchExporter,
		Help:   "Space available to Elasticsearch on a node's data path (--es.all: every node).",
		Labels: esFilesystemLabels,
	},
	{
		Name: "elasticsearch_filesystem_data_size_bytes", Type: Gauge, Source: SourceElasticsearchExporter,
		Help:   "Size of the block device under a node's data path.",
		Labels: esFilesystemLabels,
	},
	{
		// Emitted only when the setting is a percentage or ratio (the
		// defaults, 90% and 95%, are; the stack sets none).
		Name: "elasticsearch_clustersettings_allocation_watermark_high_ratio", Type: Gauge, Source: SourceElasticsearchExporter,
		Help: "The high disk watermark as a ratio of used space: above it, no shard is allocated to the node and shards move away.",
	},
	{
		Name: "elasticsearch_clustersettings_allocation_watermark_flood_stage_ratio", Type: Gauge, Source: SourceElasticsearchExporter,
		Help: "The flood-stage disk watermark as a ratio of used space: above it, every index with a shard on the node becomes read-only.",
	},
	{
		// The value is 1 for a managed index; step is ERROR while ILM waits
		// on an error it does not retry by itself.
		Name: "elasticsearch_ilm_index_status", Type: Gauge, Source: SourceElasticsearchExporter,
		Help:   "1 for an ILM-managed index, labelled with its current phase, action and step.",
		Labels: []string{"action", "index", "phase", "step"},
	},
	{
		Name: "elasticsearch_slm_stats_snapshots_failed_total", Type: Counter, Source: SourceElasticsearchExporter,
		Help:   "Snapshots an SLM policy failed to take.",
		Labels: []string{"policy"},
	},
	{
		Name: "elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds", Type: Gauge, Source: SourceElasticsearchExporter,
		Help:   "Start time of the newest SUCCESS or PARTIAL snapshot in a repository; 0 when it has none.",
		Labels: []string{"repository"},
	},
}

// snapshotWindow is how old the newest audit snapshot may get: the SLM
// policy runs nightly (elasticsearch.DefaultSnapshotSchedule, which a test
// holds to a daily cron), plus two hours for a snapshot of seven years of
// audit logs to finish.
const snapshotWindow = 26 * time.Hour

// elasticsearchAlerts say how the log store degrades. The exporter runs
// once per cluster, so cluster-wide series come from one pod.
func elasticsearchAlerts() []alertingRule {
	return []alertingRule{
		{
			// Some primary shard is unassigned: writes to it fail and the
			// shippers buffer, then drop.
			alert:       "ElasticsearchClusterRed",
			expr:        `max by (namespace, pod) (elasticsearch_cluster_health_status{color="red"}) == 1`,
			forDuration: 5 * time.Minute,
			severity:    SeverityCritical,
			team:        TeamInfrastructure,
			summary:     "Elasticsearch cluster is red",
			description: "The Elasticsearch cluster seen by {{ $labels.namespace }}/{{ $labels.pod }} has been red for 5 minutes: a primary shard is unassigned, and the logs of its index can be neither written nor read.",
		},
		{
			// A replica is unassigned: nothing is lost yet, but one more
			// node failure can lose data. Rolling restarts and node
			// replacements pass through yellow, hence the long wait.
			alert:       "ElasticsearchClusterYellow",
			expr:        `max by (namespace, pod) (elasticsearch_cluster_health_status{color="yellow"}) == 1`,
			forDuration: 30 * time.Minute,
			severity:    SeverityWarning,
			team:        TeamInfrastructure,
			summary:     "Elasticsearch cluster is yellow",
			description: "The Elasticsearch cluster seen by {{ $labels.namespace }}/{{ $labels.pod }} has been yellow for 30 minutes: a replica shard is unassigned, and losing another node may lose logs.",
		},
		diskWatermarkAlert("ElasticsearchDiskHighWatermark", "high", SeverityWarning, 15*time.Minute,
			"no shard is allocated to it any more and Elasticsearch moves shards away"),
		diskWatermarkAlert("ElasticsearchDiskFloodStage", "flood_stage", SeverityCritical, 5*time.Minute,
			"every index with a shard on it is read-only: log writes to it fail"),
		{
			// ILM retries transient errors itself; an index still in the
			// ERROR step after an hour needs an operator, or it is never
			// rolled over or deleted at the end of its retention.
			alert:       "ElasticsearchILMErrors",
			expr:        `count by (namespace, pod) (elasticsearch_ilm_index_status{step="ERROR"} == 1) > 0`,
			forDuration: time.Hour,
			severity:    SeverityWarning,
			team:        TeamInfrastructure,
			summary:     "Elasticsearch ILM is stuck on errors",
			description: "{{ $value }} indices have been in the ILM ERROR step for an hour (seen by {{ $labels.namespace }}/{{ $labels.pod }}): they are not rolled over or deleted on schedule; GET <index>/_ilm/explain says why.",
		},
		{
			alert:       "ElasticsearchSnapshotFailed",
			expr:        fmt.Sprintf(`sum by (namespace, pod, policy) (increase(elasticsearch_slm_stats_snapshots_failed_total{policy=%q}[1d])) > 0`, elasticsearch.AuditSnapshotPolicy),
			forDuration: 5 * time.Minute,
			severity:    SeverityWarning,
			team:        TeamInfrastructure,
			summary:     "Elasticsearch audit snapshot failed",
			description: "SLM policy {{ $labels.policy }} failed {{ $value | humanize }} snapshots in the last 24 hours: the audit logs' off-cluster copy is not being refreshed.",
		},
		{
			// `> 0` drops a repository that has no successful snapshot yet
			// (a fresh install, before its first night): a policy that then
			// fails is ElasticsearchSnapshotFailed's.
			alert: "ElasticsearchSnapshotTooOld",
			expr: lines(
				fmt.Sprintf(`time() - max by (namespace, pod, repository) (elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{repository=%q} > 0)`, elasticsearch.SnapshotRepository),
				fmt.Sprintf(`> %d`, int(snapshotWindow.Seconds())),
			),
			forDuration: time.Hour,
			severity:    SeverityWarning,
			team:        TeamInfrastructure,
			summary:     "No recent Elasticsearch audit snapshot",
			description: "The newest successful snapshot in repository {{ $labels.repository }} is {{ $value | humanizeDuration }} old; the nightly SLM policy should have taken one within 26 hours.",
		},
	}
}

// diskWatermarkAlert fires while a data node's used share of its data path
// is above the cluster's watermark setting of that name (the exporter's
// clustersettings collector reads the defaults too).
func diskWatermarkAlert(alert, watermark, severity string, wait time.Duration, consequence string) alertingRule {
	used := `1 - elasticsearch_filesystem_data_available_bytes{es_data_node="true"} / elasticsearch_filesystem_data_size_bytes{es_data_node="true"}`
	return alertingRule{
		alert: alert,
		expr: lines(
			`max by (namespace, pod, name) (`+used+`)`,
			`  > on (namespace, pod) group_left ()`,
			`max by (namespace, pod) (elasticsearch_clustersettings_allocation_watermark_`+watermark+`_ratio)`,
		),
		forDuration: wait,
		severity:    severity,
		team:        TeamInfrastructure,
		summary:     "Elasticsearch node above its " + watermark + " disk watermark",
		description: "Elasticsearch node {{ $labels.name }} has used {{ $value | humanizePercentage }} of its data disk, above the " + watermark + " watermark: " + consequence + ".",
	}
}
