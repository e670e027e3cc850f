package logstash_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/logstash"
	"github.com/klearkarma/observability/internal/jsonprobe/jsonprobetest"
	"github.com/klearkarma/observability/rules"
)

// testdata/node-stats.json is GET /_node/stats of a Logstash of the pinned
// release running this component's pipeline, after two bulk requests of
// the audit output failed and Elasticsearch refused two of its documents
// (the counters Logstash creates at the first failure are present).
func TestTheStatsSidecarMakesTheCatalogsLogstashSeriesFromTheNodeStats(t *testing.T) {
	body, err := os.ReadFile("testdata/node-stats.json")
	require.NoError(t, err)
	got := jsonprobetest.Scrape(t, logstash.StatsProbe(), body)
	// The only paths that match nothing are the app output's counters
	// Logstash has not created yet (it never failed).
	lazy := []string{"{.bulk_requests.failures}", "{.bulk_requests.with_errors}", "{.documents.non_retryable_failures}"}
	for _, e := range got.Errors {
		assert.True(t, slices.ContainsFunc(lazy, func(p string) bool { return strings.Contains(e, "path="+p) }), "a path of the configuration matches nothing in the response: %s", e)
	}

	var want []string
	for _, m := range rules.Catalog() {
		if m.Source == rules.SourceLogstashStats {
			want = append(want, m.Name)
		}
	}
	slices.Sort(want)
	assert.Equal(t, want, got.Names(), "the sidecar's series are the catalog's (rules/platform_ingest.go)")

	for series, value := range map[string]float64{
		`logstash_pipeline_queue_bytes{pipeline="main"}`:                                                   7340032,
		`logstash_pipeline_queue_max_bytes{pipeline="main"}`:                                               1073741824,
		`logstash_pipeline_events_in_total{pipeline="main"}`:                                               120000,
		`logstash_output_bulk_request_failures_total{pipeline="main",plugin_id="out_es_audit"}`:            2,
		`logstash_output_documents_non_retryable_failures_total{pipeline="main",plugin_id="out_es_audit"}`: 2,
		`logstash_output_events_out_total{pipeline="main",plugin_id="out_es_app"}`:                         115990,
		`logstash_jvm_heap_used_percent`:                                                                   38,
	} {
		assert.Equal(t, value, got.Series[series], series)
	}
	// The app output never failed: Logstash has no such counter yet, and
	// the sidecar makes no series of it (an absent series, not a 0).
	assert.NotContains(t, got.Series, `logstash_output_bulk_request_failures_total{pipeline="main",plugin_id="out_es_app"}`)
}

func TestTheStatsSidecarReadsThePipelinesOutputsByTheirIDs(t *testing.T) {
	body, err := os.ReadFile("testdata/node-stats.json")
	require.NoError(t, err)
	got := jsonprobetest.Scrape(t, logstash.StatsProbe(), body)
	for _, id := range []string{logstash.OutputAudit, logstash.OutputApp} {
		assert.Contains(t, got.Series, `logstash_output_events_out_total{pipeline="main",plugin_id="`+id+`"}`)
	}
	_, pipeline, err := logstash.RenderFiles(validArgs())
	require.NoError(t, err)
	for _, id := range []string{logstash.OutputAudit, logstash.OutputApp} {
		assert.Contains(t, pipeline, `id => "`+id+`"`, "the pipeline's outputs carry the ids the alerts name")
	}
}
