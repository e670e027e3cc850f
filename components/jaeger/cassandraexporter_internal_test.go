package jaeger

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// The exporter reads an attribute only when a pattern of
// maxScrapFrequencyInSec matches its whole path (Java's matches()): the
// paths the platform alerts select (rules/platform_tracing_store.go) must be
// read, and nothing is blacklisted that they need.
func TestTheCassandraExporterReadsWhatTheAlertsSelect(t *testing.T) {
	text, err := renderCassandraExporterConfig()
	require.NoError(t, err)
	var cfg cassandraExporterConfig
	require.NoError(t, yaml.UnmarshalStrict([]byte(text), &cfg), text)
	assert.Equal(t, "localhost:7199", cfg.Host, "Cassandra binds JMX to loopback (LOCAL_JMX=yes)")
	assert.Equal(t, CassandraExporterPort, cfg.ListenPort)
	require.Len(t, cfg.MaxScrapFrequencyInSec, 1)
	full := func(patterns []string, path string) bool {
		for _, p := range patterns {
			if regexp.MustCompile(`^(?:` + p + `)$`).MatchString(path) {
				return true
			}
		}
		return false
	}
	for _, path := range []string{
		"org:apache:cassandra:net:failuredetector:downendpointcount",
		"org:apache:cassandra:metrics:compaction:pendingtasks:value",
		"org:apache:cassandra:metrics:droppedmessage:mutation_req:dropped:count",
		"org:apache:cassandra:metrics:clientrequest:read:timeouts:count",
		"org:apache:cassandra:metrics:clientrequest:write:unavailables:count",
	} {
		assert.True(t, full(cfg.MaxScrapFrequencyInSec["50"], path), "%s is read", path)
		assert.False(t, full(cfg.Blacklist, path), "%s is not blacklisted", path)
	}
	for _, path := range []string{
		"org:apache:cassandra:metrics:table:jaeger_detailed:traces:readlatency:99thpercentile",
		"org:apache:cassandra:db:storageservice:loadmap",
	} {
		assert.False(t, full(cfg.MaxScrapFrequencyInSec["50"], path), "%s is not read", path)
	}
}
