package rules_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/rules"
)

func TestCatalog(t *testing.T) {
	all := rules.Catalog()
	require.NotEmpty(t, all)

	t.Run("entries are sorted by name and no name is declared twice", func(t *testing.T) {
		for i := 1; i < len(all); i++ {
			require.Less(t, all[i-1].Name, all[i].Name)
		}
	})

	t.Run("every entry is well formed", func(t *testing.T) {
		types := []rules.Type{rules.Counter, rules.Gauge, rules.Histogram, rules.Summary}
		sources := []rules.Source{rules.SourceApplication, rules.SourceRecordingRule, rules.SourceCAdvisor, rules.SourceNodeExporter,
			rules.SourceKubeStateMetrics, rules.SourceKubelet, rules.SourcePrometheus, rules.SourceThanos, rules.SourceBlackbox, rules.SourceAlertmanager, rules.SourceOpenTelemetryCollector,
			rules.SourceGrafana, rules.SourceFluentd, rules.SourceElasticsearchExporter, rules.SourceCassandraExporter,
			rules.SourceLogstashStats, rules.SourceKibanaStatus}
		for _, m := range all {
			require.True(t, model.LegacyValidation.IsValidMetricName(m.Name), "%s: invalid metric name", m.Name)
			require.Contains(t, types, m.Type, m.Name)
			require.Contains(t, sources, m.Source, m.Name)
			require.NotEmpty(t, m.Help, "%s: every metric says what it measures", m.Name)
			for i, l := range m.Labels {
				require.True(t, model.LegacyValidation.IsValidLabelName(l), "%s: invalid label %q", m.Name, l)
				require.False(t, strings.HasPrefix(l, "__"), "%s: label %q is reserved", m.Name, l)
				if m.Source != rules.SourceRecordingRule {
					require.NotContains(t, []string{"le", "quantile"}, l, "%s: le and quantile come with the series type, not the declaration", m.Name)
				}
				require.NotContains(t, m.Labels[:i], l, "%s: label %q declared twice", m.Name, l)
			}
			if m.Type == rules.Counter {
				require.True(t, strings.HasSuffix(m.Name, "_total"), "%s: counters end in _total", m.Name)
			} else {
				require.False(t, strings.HasSuffix(m.Name, "_total"), "%s: only counters end in _total", m.Name)
			}
			if m.Type == rules.Histogram {
				require.NotEmpty(t, m.Buckets, "%s: a histogram declares its buckets", m.Name)
				require.True(t, slices.IsSorted(m.Buckets) && len(slices.Compact(slices.Clone(m.Buckets))) == len(m.Buckets),
					"%s: buckets must increase strictly", m.Name)
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					require.False(t, strings.HasSuffix(m.Name, suffix), "%s: declare the histogram, not its series", m.Name)
				}
			} else {
				require.Empty(t, m.Buckets, "%s: only histograms have buckets", m.Name)
			}
			if m.Source == rules.SourceRecordingRule {
				require.Equal(t, rules.Gauge, m.Type, m.Name)
				require.Equal(t, 2, strings.Count(m.Name, ":"), "%s: recording rules are named level:metric:operations", m.Name)
			} else {
				require.NotContains(t, m.Name, ":", "%s: colons are reserved for recording rules", m.Name)
			}
		}
	})

	t.Run("application metrics declare none of the target labels, which the scrape would overwrite", func(t *testing.T) {
		for _, m := range all {
			if m.Source != rules.SourceApplication {
				continue
			}
			for _, l := range rules.TargetLabels() {
				require.NotContains(t, m.Labels, l, "%s declares %q, which every scrape already sets", m.Name, l)
			}
		}
	})

	t.Run("no metric carries an unbounded identifier as a label", func(t *testing.T) {
		for _, m := range all {
			for _, l := range []string{"user_id", "practitioner_id", "session_id", "request_id", "booking_id", "transaction_id", "path", "url"} {
				require.NotContains(t, m.Labels, l, "%s: %q would create a series per value", m.Name, l)
			}
		}
	})

	t.Run("every metric in the seed's catalog is declared, or replaced by the real exporter metric", func(t *testing.T) {
		replacedBy := map[string][]string{
			"user_registrations_total":        {"user_registrations_total"},
			"bookings_created_total":          {"bookings_created_total"},
			"revenue_total":                   {"revenue_total"},
			"session_duration_seconds":        {"session_duration_seconds"},
			"http_requests_total":             {"http_requests_total"},
			"http_request_duration_seconds":   {"http_request_duration_seconds"},
			"database_query_duration_seconds": {"database_query_duration_seconds"},
			"active_connections":              {"active_connections"},
			"memory_usage_bytes":              {"process_resident_memory_bytes"},
			"cpu_usage_percent":               {"process_cpu_seconds_total"},
			"container_cpu_usage":             {"container_cpu_usage_seconds_total"},
			"container_memory_usage":          {"container_memory_working_set_bytes", "container_spec_memory_limit_bytes"},
			"disk_usage_percent":              {"node_filesystem_avail_bytes", "node_filesystem_size_bytes"},
			"network_bytes_total": {"node_network_receive_bytes_total", "node_network_transmit_bytes_total",
				"container_network_receive_bytes_total", "container_network_transmit_bytes_total"},
		}
		for seed, names := range replacedBy {
			for _, name := range names {
				_, ok := rules.Lookup(name)
				require.True(t, ok, "seed metric %s: %s is not declared", seed, name)
			}
			if names[0] != seed {
				_, ok := rules.Lookup(seed)
				require.False(t, ok, "%s is not a metric anything exposes; %v replaces it", seed, names)
			}
		}
	})

	t.Run("of the metrics the seed used without defining, four are exposed and two were wrong queries", func(t *testing.T) {
		for _, name := range []string{"payment_attempts_total", "booking_attempts_total", "practitioner_views_total", "active_sessions"} {
			m, ok := rules.Lookup(name)
			require.True(t, ok, name)
			require.Equal(t, rules.SourceApplication, m.Source, name)
		}
		for _, name := range []string{"payments_completed_total", "user_sessions_total"} {
			_, ok := rules.Lookup(name)
			require.False(t, ok, "%s: CATALOG.md says which query replaces it", name)
		}
	})

	t.Run("the cAdvisor memory metrics carry container, not the removed container_name", func(t *testing.T) {
		for _, name := range []string{"container_memory_working_set_bytes", "container_spec_memory_limit_bytes"} {
			m, ok := rules.Lookup(name)
			require.True(t, ok)
			require.Equal(t, rules.SourceCAdvisor, m.Source)
			require.Contains(t, m.Labels, "container")
			require.NotContains(t, m.Labels, "container_name")
		}
	})

	t.Run("node-exporter's filesystem metrics carry mountpoint, fstype and device", func(t *testing.T) {
		for _, name := range []string{"node_filesystem_avail_bytes", "node_filesystem_size_bytes"} {
			m, ok := rules.Lookup(name)
			require.True(t, ok)
			require.Equal(t, rules.SourceNodeExporter, m.Source)
			require.ElementsMatch(t, []string{"device", "fstype", "mountpoint"}, m.Labels)
		}
	})
}

func TestLookup(t *testing.T) {
	cases := map[string]struct {
		name   string
		found  bool
		source rules.Source
	}{
		"an application metric is found":                          {name: "http_requests_total", found: true, source: rules.SourceApplication},
		"an exporter metric is found with its exporter as source": {name: "node_filesystem_avail_bytes", found: true, source: rules.SourceNodeExporter},
		"a recording rule is found with its source":               {name: "namespace_service:http_requests:rate5m", found: true, source: rules.SourceRecordingRule},
		"an unknown name is not found":                            {name: "payments_completed_total"},
		"a histogram's series is not a catalog name of its own":   {name: "http_request_duration_seconds_bucket"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, ok := rules.Lookup(tc.name)
			require.Equal(t, tc.found, ok)
			if ok {
				require.Equal(t, tc.name, m.Name)
				require.Equal(t, tc.source, m.Source)
			}
		})
	}

	t.Run("changing what Lookup and Catalog return changes nothing in the catalog", func(t *testing.T) {
		m, _ := rules.Lookup("http_requests_total")
		m.Labels[0] = "changed"
		m.Buckets = append(m.Buckets, 1)
		for _, c := range rules.Catalog() {
			if c.Name == "http_request_duration_seconds" {
				c.Buckets[0] = 42
			}
		}
		again, _ := rules.Lookup("http_requests_total")
		require.NotContains(t, again.Labels, "changed")
		h, _ := rules.Lookup("http_request_duration_seconds")
		require.Equal(t, 0.1, h.Buckets[0])
		rules.TargetLabels()[0] = "changed"
		require.NotContains(t, rules.TargetLabels(), "changed")
	})
}
