package rules

import "time"

// SourceCassandraExporter is Criteo's cassandra_exporter 2.3.8, the sidecar
// of each Cassandra node (components/jaeger cassandraexporter.go).
const SourceCassandraExporter Source = "cassandra-exporter"

// The exporter publishes every value it reads as one gauge family,
// cassandra_stats, with the value's path in `name`: the MBean name lower-
// cased with ":type=", ",<key>=" and "." turned into ":", then the
// attribute (JmxScraper.java, getMetricPath and updateMetric, at 2.3.8).
// The component's config reads only the paths below.
const (
	cassandraDownEndpoints   = `org:apache:cassandra:net:failuredetector:downendpointcount`
	cassandraPendingCompacts = `org:apache:cassandra:metrics:compaction:pendingtasks:value`
	// One series per message verb (scope), e.g. mutation_req.
	cassandraDroppedMessages = `org:apache:cassandra:metrics:droppedmessage:.+:dropped:count`
	// Coordinator requests that timed out or found too few replicas alive.
	cassandraRequestFailures = `org:apache:cassandra:metrics:clientrequest:(read|write):(timeouts|unavailables):count`
)

// tracingStoreExposed is the Cassandra exporter's one metric. Where it was
// checked: the exporter's JmxScraper.java at tag 2.3.8 (label names; the
// registry holds nothing else, not even JVM metrics), and the MBean names in
// Cassandra's metrics documentation (Compaction, DroppedMessage,
// ClientRequest) and FailureDetectorMBean (DownEndpointCount).
var tracingStoreExposed = []Metric{
	{
		Name: "cassandra_stats", Type: Gauge, Source: SourceCassandraExporter,
		Help: "One value the exporter read over JMX; name is its MBean path and attribute (counters too: a JMX Count is exposed as a gauge, so rate() applies).",
		// cassandra_cluster is the exporter's `cluster`, renamed by the
		// annotation job (cluster is the external label); keyspace and
		// table are empty, so absent, on node-wide values.
		Labels: []string{"cassandra_cluster", "datacenter", "keyspace", "name", "table"},
	},
}

// tracingStoreAlerts watch Cassandra, the trace store of both tiers. Its
// "down" alert is CassandraDown (scraped): the exporter's scrape failing.
// They are evaluated in platform.tracing.
var tracingStoreAlerts = []alertingRule{
	{
		// The exporter answers but reads nothing: it clears its values
		// before each JMX pass and keeps none when Cassandra does not
		// answer, so the node itself is down or refuses JMX.
		alert: "CassandraMetricsAbsent",
		expr: lines(
			`up{job="`+jobPods+`", service="cassandra"} == 1`,
			`  unless on (namespace, pod)`,
			`cassandra_stats{name="`+cassandraPendingCompacts+`"}`,
		),
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Cassandra node reports nothing over JMX",
		description: "The exporter of {{ $labels.namespace }}/{{ $labels.pod }} answers but has read no value from Cassandra for 10 minutes: the node is not running or its JMX does not answer.",
	},
	{
		// Each node counts the peers gossip marks down; with replication
		// factor 3 one node down keeps quorum, so a warning.
		alert:       "CassandraPeersUnreachable",
		expr:        `max by (namespace, pod) (cassandra_stats{name="` + cassandraDownEndpoints + `"}) > 0`,
		forDuration: 10 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Cassandra nodes are down as seen by gossip",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} sees {{ $value }} Cassandra nodes down through gossip for 10 minutes; writes at quorum fail once too many replicas are down.",
	},
	{
		alert:       "CassandraPendingCompactionsHigh",
		expr:        `max by (namespace, pod) (cassandra_stats{name="` + cassandraPendingCompacts + `"}) > 100`,
		forDuration: 30 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Cassandra falls behind on compactions",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} has {{ $value }} compactions pending (threshold 100) for 30 minutes: reads slow down and disk use grows (expired spans are dropped only by compaction).",
	},
	{
		alert:       "CassandraDroppedMessages",
		expr:        `sum by (namespace, pod) (rate(cassandra_stats{name=~"` + cassandraDroppedMessages + `"}[5m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Cassandra drops messages",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} drops {{ $value | humanize }} messages per second (mutations or reads it could not serve in time) for 15 minutes: the node is overloaded and spans may be lost.",
	},
	{
		alert:       "CassandraClientRequestFailures",
		expr:        `sum by (namespace, pod) (rate(cassandra_stats{name=~"` + cassandraRequestFailures + `"}[5m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Cassandra read or write requests time out",
		description: "Requests coordinated by {{ $labels.namespace }}/{{ $labels.pod }} time out or find too few replicas, {{ $value | humanize }} per second for 15 minutes: Jaeger fails to store or read spans.",
	},
}
