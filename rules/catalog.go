package rules

import (
	"slices"
	"sort"
)

// Type is the Prometheus metric type of a catalog entry.
type Type string

// Metric types. Recording rules are gauges: what they store is a computed
// value, not the counter or histogram they were computed from.
const (
	Counter   Type = "counter"
	Gauge     Type = "gauge"
	Histogram Type = "histogram"
	Summary   Type = "summary"
)

// Source says who exposes a metric, and so who must change when it changes.
type Source string

// Sources. SourceApplication is the only one the application team owns; the
// exporters are upstream software whose names we follow, never invent.
const (
	SourceApplication      Source = "application"
	SourceRecordingRule    Source = "recording rule"
	SourceCAdvisor         Source = "cadvisor"
	SourceNodeExporter     Source = "node-exporter"
	SourceKubeStateMetrics Source = "kube-state-metrics"
	SourceKubelet          Source = "kubelet"
	SourcePrometheus       Source = "prometheus"
	SourceThanos           Source = "thanos"
	SourceBlackbox         Source = "blackbox-exporter"
)

// Metric is one declared metric. Only declared metrics and labels may be used
// in rules, dashboards and SLO queries (see CheckQuery).
type Metric struct {
	Name string
	Type Type
	Help string
	// Labels the source itself puts on the series. The target labels every
	// scrape adds (TargetLabels) are not repeated here.
	Labels []string
	// Buckets are the histogram's upper bounds without +Inf; nil otherwise.
	Buckets []float64
	Source  Source
}

// targetLabels are the labels the Prometheus scrape configuration puts on
// every scraped series. job and instance come from Prometheus itself; the
// Kubernetes ones must be set by relabelling in the Prometheus component,
// which is why they are a contract and listed in one place.
var targetLabels = []string{"container", "instance", "job", "namespace", "pod", "service"}

// externalLabels exist only outside the Prometheus that evaluates rules: on
// alerts sent to Alertmanager and on series read through Thanos Query.
// `replica` is deliberately absent: Thanos Query deduplicates on it and drops
// it, so no query may depend on it.
var externalLabels = []string{"cluster"}

// TargetLabels returns the labels every scrape adds to every scraped series.
// The Prometheus component's relabelling must produce them.
func TargetLabels() []string { return slices.Clone(targetLabels) }

// ExternalLabels returns the labels dashboards and SLO queries may use
// although no series carries them inside Prometheus.
func ExternalLabels() []string { return slices.Clone(externalLabels) }

// cadvisorLabels are what the kubelet's cAdvisor endpoint puts on container
// series. `container` replaced `container_name` (and `pod` replaced
// `pod_name`) in Kubernetes 1.16; the seed still used the removed names.
var cadvisorLabels = []string{"container", "id", "image", "name", "namespace", "pod"}

// filesystemLabels are node-exporter's labels on node_filesystem_* series.
var filesystemLabels = []string{"device", "fstype", "mountpoint"}

// probeLabels are the static labels the Prometheus probe job puts on every
// target (components/prometheus probeJob): the exporter itself adds none to
// probe_* series, and instance is the probed URL. team is the probed
// application's team, so the probe alerts take it from the series and route
// like every other alert.
var probeLabels = []string{"endpoint", "module", "team"}

// exposed is every metric some software exposes. Recording rules are added
// by Catalog from the rule definitions, so the two cannot drift apart.
var exposed = []Metric{
	// Business metrics: the application must expose these.
	{
		Name: "user_registrations_total", Type: Counter, Source: SourceApplication,
		Help:   "User registrations completed.",
		Labels: []string{"source", "user_type"},
	},
	{
		// practitioner_id is dropped: one series per practitioner and service
		// type grows with the business and never shrinks.
		Name: "bookings_created_total", Type: Counter, Source: SourceApplication,
		Help:   "Bookings created. Initialised at 0 for every service_type at start-up so that an hour without bookings reads 0, not absent.",
		Labels: []string{"service_type"},
	},
	{
		Name: "booking_attempts_total", Type: Counter, Source: SourceApplication,
		Help:   "Booking attempts by outcome; status is one of created, rejected (slot taken, validation) or failed (error).",
		Labels: []string{"service_type", "status"},
	},
	{
		Name: "payment_attempts_total", Type: Counter, Source: SourceApplication,
		Help:   "Payment attempts, counted once when the provider's outcome is known; status is one of succeeded or failed.",
		Labels: []string{"payment_method", "status"},
	},
	{
		// currency is added: summing amounts in different currencies is
		// meaningless.
		Name: "revenue_total", Type: Counter, Source: SourceApplication,
		Help:   "Revenue from succeeded payments, in the currency's major unit.",
		Labels: []string{"currency", "payment_method", "service_type"},
	},
	{
		Name: "practitioner_views_total", Type: Counter, Source: SourceApplication,
		Help: "Practitioner profile page views (conversion funnel step between registration and booking).",
	},
	{
		Name: "session_duration_seconds", Type: Histogram, Source: SourceApplication,
		Help:    "Duration of user sessions, observed when a session ends.",
		Buckets: []float64{60, 300, 900, 1800, 3600},
	},
	{
		// Read from the shared session store, so every replica reports the
		// same value: aggregate with max, never sum.
		Name: "active_sessions", Type: Gauge, Source: SourceApplication,
		Help: "Sessions active in the last 5 minutes, read from the shared session store.",
	},
	{
		// Replaces the seed's count by (user_id), which made every user a
		// series. Same value on every replica: aggregate with max.
		Name: "daily_active_users", Type: Gauge, Source: SourceApplication,
		Help: "Distinct users with a session in the trailing 24 hours, estimated from the session store (HyperLogLog).",
	},

	// Technical metrics: the application's own instrumentation.
	{
		Name: "http_requests_total", Type: Counter, Source: SourceApplication,
		Help:   "HTTP requests served. endpoint is the route template, or \"unmatched\" when no route matched.",
		Labels: []string{"endpoint", "method", "status_code"},
	},
	{
		Name: "http_request_duration_seconds", Type: Histogram, Source: SourceApplication,
		Help:    "HTTP request duration.",
		Labels:  []string{"endpoint", "method"},
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10},
	},
	{
		Name: "database_query_duration_seconds", Type: Histogram, Source: SourceApplication,
		Help:    "Database query duration.",
		Labels:  []string{"query_type", "table"},
		Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5},
	},
	{
		Name: "active_connections", Type: Gauge, Source: SourceApplication,
		Help: "Database connections this process holds open (checked out of its pool).",
	},

	// prom-client's default metrics (collectDefaultMetrics). They replace the
	// seed's memory_usage_bytes and cpu_usage_percent, which nothing exposed.
	{
		Name: "process_cpu_seconds_total", Type: Counter, Source: SourceApplication,
		Help: "CPU time the process used (prom-client default metric).",
	},
	{
		Name: "process_resident_memory_bytes", Type: Gauge, Source: SourceApplication,
		Help: "Resident memory of the process (prom-client default metric).",
	},
	{
		Name: "process_start_time_seconds", Type: Gauge, Source: SourceApplication,
		Help: "Start time of the process since the Unix epoch (prom-client default metric).",
	},
	{
		Name: "nodejs_heap_size_used_bytes", Type: Gauge, Source: SourceApplication,
		Help: "V8 heap in use (prom-client default metric).",
	},
	{
		Name: "nodejs_heap_size_total_bytes", Type: Gauge, Source: SourceApplication,
		Help: "V8 heap allocated (prom-client default metric).",
	},
	{
		Name: "nodejs_eventloop_lag_p99_seconds", Type: Gauge, Source: SourceApplication,
		Help: "99th percentile of event loop lag (prom-client default metric).",
	},
	{
		Name: "nodejs_gc_duration_seconds", Type: Histogram, Source: SourceApplication,
		Help:    "Garbage collection duration by kind (prom-client default metric).",
		Labels:  []string{"kind"},
		Buckets: []float64{0.001, 0.01, 0.1, 1, 2, 5},
	},

	// cAdvisor, scraped from the kubelet's /metrics/cadvisor. These replace
	// the seed's container_cpu_usage and container_memory_usage.
	{
		Name: "container_cpu_usage_seconds_total", Type: Counter, Source: SourceCAdvisor,
		Help:   "Cumulative CPU time consumed by the container.",
		Labels: cadvisorLabels,
	},
	{
		// Working set, not usage: usage includes reclaimable page cache,
		// while the working set is what the OOM killer compares to the limit.
		Name: "container_memory_working_set_bytes", Type: Gauge, Source: SourceCAdvisor,
		Help:   "Memory working set of the container (what the OOM killer measures).",
		Labels: cadvisorLabels,
	},
	{
		Name: "container_spec_memory_limit_bytes", Type: Gauge, Source: SourceCAdvisor,
		Help:   "Memory limit of the container; 0 when the container has no limit.",
		Labels: cadvisorLabels,
	},
	{
		Name: "container_network_receive_bytes_total", Type: Counter, Source: SourceCAdvisor,
		Help:   "Bytes received by the pod's network namespace.",
		Labels: append(slices.Clone(cadvisorLabels), "interface"),
	},
	{
		Name: "container_network_transmit_bytes_total", Type: Counter, Source: SourceCAdvisor,
		Help:   "Bytes sent by the pod's network namespace.",
		Labels: append(slices.Clone(cadvisorLabels), "interface"),
	},

	// node-exporter. These replace the seed's disk_usage_percent and
	// network_bytes_total; direction is part of the metric name upstream.
	{
		Name: "node_filesystem_avail_bytes", Type: Gauge, Source: SourceNodeExporter,
		Help:   "Filesystem space available to non-root users.",
		Labels: filesystemLabels,
	},
	{
		Name: "node_filesystem_size_bytes", Type: Gauge, Source: SourceNodeExporter,
		Help:   "Filesystem size.",
		Labels: filesystemLabels,
	},
	{
		Name: "node_cpu_seconds_total", Type: Counter, Source: SourceNodeExporter,
		Help:   "CPU time spent in each mode, per CPU.",
		Labels: []string{"cpu", "mode"},
	},
	{
		Name: "node_memory_MemAvailable_bytes", Type: Gauge, Source: SourceNodeExporter,
		Help: "Memory available for new workloads without swapping.",
	},
	{
		Name: "node_memory_MemTotal_bytes", Type: Gauge, Source: SourceNodeExporter,
		Help: "Total usable memory.",
	},
	{
		Name: "node_network_receive_bytes_total", Type: Counter, Source: SourceNodeExporter,
		Help:   "Bytes received per network device.",
		Labels: []string{"device"},
	},
	{
		Name: "node_network_transmit_bytes_total", Type: Counter, Source: SourceNodeExporter,
		Help:   "Bytes sent per network device.",
		Labels: []string{"device"},
	},

	// kube-state-metrics.
	{
		Name: "kube_pod_container_resource_limits", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Resource limits of a container, per resource and unit.",
		Labels: []string{"container", "namespace", "node", "pod", "resource", "uid", "unit"},
	},
	{
		Name: "kube_pod_container_status_restarts_total", Type: Counter, Source: SourceKubeStateMetrics,
		Help:   "Container restarts.",
		Labels: []string{"container", "namespace", "pod", "uid"},
	},
	{
		Name: "kube_deployment_status_replicas_available", Type: Gauge, Source: SourceKubeStateMetrics,
		Help:   "Available replicas of a deployment.",
		Labels: []string{"deployment", "namespace"},
	},

	// kubelet.
	{
		Name: "kubelet_volume_stats_available_bytes", Type: Gauge, Source: SourceKubelet,
		Help:   "Bytes available on a persistent volume claim.",
		Labels: []string{"namespace", "persistentvolumeclaim"},
	},
	{
		Name: "kubelet_volume_stats_capacity_bytes", Type: Gauge, Source: SourceKubelet,
		Help:   "Capacity of a persistent volume claim.",
		Labels: []string{"namespace", "persistentvolumeclaim"},
	},

	// The blackbox exporter, per probe (one scrape of /probe per target).
	{
		Name: "probe_success", Type: Gauge, Source: SourceBlackbox,
		Help:   "1 when the probe passed its module's checks (status code, body patterns), 0 otherwise.",
		Labels: probeLabels,
	},
	{
		Name: "probe_duration_seconds", Type: Gauge, Source: SourceBlackbox,
		Help:   "How long the probe took, connection and response included.",
		Labels: probeLabels,
	},
	{
		Name: "probe_http_status_code", Type: Gauge, Source: SourceBlackbox,
		Help:   "HTTP status code of the probe's response; 0 when no response arrived.",
		Labels: probeLabels,
	},

	// Prometheus and Thanos about themselves.
	{
		Name: "up", Type: Gauge, Source: SourcePrometheus,
		Help: "1 when the last scrape of the target succeeded, 0 otherwise (written by Prometheus per target).",
	},
	{
		Name: "prometheus_rule_evaluation_failures_total", Type: Counter, Source: SourcePrometheus,
		Help:   "Rule evaluations that failed.",
		Labels: []string{"rule_group"},
	},
	{
		Name: "thanos_compact_halted", Type: Gauge, Source: SourceThanos,
		Help: "1 when the compactor halted on an error and needs an operator.",
	},
	{
		Name: "thanos_sidecar_prometheus_up", Type: Gauge, Source: SourceThanos,
		Help: "1 when the sidecar can reach its Prometheus.",
	},
}

// declared are the exposed metrics of every list: the strategy's, the
// platform alerts', the pipeline dashboards' and the node alerts'.
func declared() []Metric {
	return slices.Concat(exposed, platformExposed, pipelineExposed, nodeExposed, loggingExposed, tracingStoreExposed, watcherExposed, ingestExposed)
}

// catalog is the whole catalog by name, built once: exposed metrics plus one
// entry per recording rule.
var catalog = func() map[string]Metric {
	all := declared()
	m := make(map[string]Metric, len(all))
	for _, x := range all {
		m[x.Name] = x
	}
	for _, g := range allRuleGroups() {
		for _, r := range g.records {
			m[r.record] = r.metric()
		}
	}
	return m
}()

// Catalog returns every declared metric, sorted by name. The result is a
// copy; changing it changes nothing here.
func Catalog() []Metric {
	out := make([]Metric, 0, len(catalog))
	for _, m := range catalog {
		out = append(out, m.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the declared metric with exactly this name. Histogram series
// (name_bucket, name_sum, name_count) are found under the histogram's name;
// CheckQuery resolves them.
func Lookup(name string) (Metric, bool) {
	m, ok := catalog[name]
	return m.clone(), ok
}

func (m Metric) clone() Metric {
	m.Labels = slices.Clone(m.Labels)
	m.Buckets = slices.Clone(m.Buckets)
	return m
}
