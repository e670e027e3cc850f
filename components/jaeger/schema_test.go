package jaeger

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pins"
)

func TestATTLChangeAltersTheLiveTables(t *testing.T) {
	before := seedArgs(t)
	after := before
	after.SampledRetention = 120 * day
	sampled := func(a Args) schema { return schemaFor(a.tiers()[1], a.CassandraReplicas) }

	// Exactly what a 90d -> 120d change runs against tables that exist.
	assert.Equal(t, []string{
		"ALTER KEYSPACE jaeger_sampled WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'};",
		"ALTER TABLE jaeger_sampled.traces WITH default_time_to_live = 10368000 AND compaction = {'compaction_window_size': '5760', 'compaction_window_unit': 'MINUTES', 'class': 'org.apache.cassandra.db.compaction.TimeWindowCompactionStrategy'};",
		"ALTER TABLE jaeger_sampled.service_names WITH default_time_to_live = 10368000;",
		"ALTER TABLE jaeger_sampled.operation_names_v2 WITH default_time_to_live = 10368000;",
		"ALTER TABLE jaeger_sampled.service_operation_index WITH default_time_to_live = 10368000;",
		"ALTER TABLE jaeger_sampled.service_name_index WITH default_time_to_live = 10368000;",
		"ALTER TABLE jaeger_sampled.duration_index WITH default_time_to_live = 10368000;",
		"ALTER TABLE jaeger_sampled.tag_index WITH default_time_to_live = 10368000;",
		"ALTER TABLE jaeger_sampled.dependencies_v2 WITH default_time_to_live = 10368000;",
	}, sampled(after).alterStatements())

	// The statements changed, so the sampled Job is a new Job (Pulumi runs
	// it); the detailed one is the same Job (left alone).
	jobName := func(a Args, i int) string {
		tr := a.tiers()[i]
		return schemaJobName("jaeger", tr, a.CassandraImage, schemaFor(tr, a.CassandraReplicas).script())
	}
	assert.NotEqual(t, jobName(before, 1), jobName(after, 1))
	assert.Equal(t, jobName(before, 0), jobName(after, 0))
	assert.Equal(t, jobName(before, 1), jobName(seedArgs(t), 1), "same settings, same Job")
	assert.Regexp(t, `^jaeger-schema-sampled-[0-9a-f]{10}$`, jobName(after, 1))
}

func TestEveryTableWithATTLIsAltered(t *testing.T) {
	s := schemaFor(seedArgs(t).tiers()[0], 1)
	var withTTL, altered []string
	name := regexp.MustCompile(`^CREATE TABLE IF NOT EXISTS \w+\.(\w+)`)
	for _, stmt := range s.createStatements() {
		if m := name.FindStringSubmatch(stmt); m != nil && strings.Contains(stmt, "default_time_to_live = 2592000") {
			withTTL = append(withTTL, m[1])
		}
	}
	alter := regexp.MustCompile(`^ALTER TABLE \w+\.(\w+) WITH default_time_to_live = 2592000`)
	for _, stmt := range s.alterStatements() {
		if m := alter.FindStringSubmatch(stmt); m != nil {
			altered = append(altered, m[1])
		}
	}
	assert.Len(t, withTTL, 8)
	assert.Equal(t, withTTL, altered)
}

func TestThreeNodesReplicateEachKeyspaceThreeTimesInTheDatacenter(t *testing.T) {
	s := schemaFor(seedArgs(t).tiers()[0], 3)
	assert.Equal(t, "CREATE KEYSPACE IF NOT EXISTS jaeger_detailed WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '3'};", s.createStatements()[0])
	assert.Equal(t, "ALTER KEYSPACE jaeger_detailed WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '3'};", s.alterStatements()[0])
}

// The generated CREATE statements are Jaeger's schema v004 as its schema
// script (create.sh, which the v1 schema image ran) renders it with the
// same settings, so the tables of a v1 deployment are the ones Jaeger v2
// reads and writes here.
func TestSchemaIsJaegersV004(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads the Jaeger module (the schema template); runs without -short")
	}
	tmpl, err := os.ReadFile(filepath.Join(jaegerModuleDir(t), "internal/storage/v1/cassandra/schema/v004.cql.tmpl"))
	require.NoError(t, err)
	for _, replicas := range []int{1, 3} {
		for _, tr := range seedArgs(t).tiers() {
			t.Run(fmt.Sprintf("%s on %d nodes", tr.role, replicas), func(t *testing.T) {
				s := schemaFor(tr, replicas)
				repl := "{'class': 'SimpleStrategy', 'replication_factor': '1'}" // create.sh MODE=test
				if replicas >= 3 {
					repl = "{'class': 'NetworkTopologyStrategy', 'dc1': '3' }" // MODE=prod DATACENTER=dc1 REPLICATION_FACTOR=3
				}
				want := createScript(string(tmpl), map[string]string{
					"keyspace": tr.keyspace, "replication": repl,
					"trace_ttl": fmt.Sprint(tr.ttlSeconds()), "dependencies_ttl": fmt.Sprint(tr.ttlSeconds()),
					"compaction_window_size": fmt.Sprint((tr.ttlSeconds()/60 + 29) / 30), "compaction_window_unit": "MINUTES",
				})
				var got []string
				for _, stmt := range s.createStatements() {
					got = append(got, normalizeCQL(stmt))
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// createScript does what create.sh does to the template: drop comments,
// substitute the parameters; then it splits the statements.
func createScript(tmpl string, params map[string]string) []string {
	tmpl = regexp.MustCompile(`--.*`).ReplaceAllString(tmpl, "")
	for k, v := range params {
		tmpl = strings.ReplaceAll(tmpl, "${"+k+"}", v)
	}
	var out []string
	for _, stmt := range strings.Split(tmpl, ";") {
		if strings.TrimSpace(stmt) != "" {
			out = append(out, normalizeCQL(stmt+";"))
		}
	}
	return out
}

// normalizeCQL collapses whitespace and drops it around punctuation.
func normalizeCQL(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return regexp.MustCompile(`\s*([(){},;:<>])\s*`).ReplaceAllString(s, "$1")
}

func jaegerModuleDir(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", pins.Jaeger.ModulePath())
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	require.NoError(t, err, "go mod download %s", pins.Jaeger.ModulePath())
	var info struct{ Dir string }
	require.NoError(t, json.Unmarshal(out, &info))
	return info.Dir
}
