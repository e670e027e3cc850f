package jaeger

import (
	"fmt"
	"strings"
)

// The Cassandra schema is Jaeger's v004 (internal/storage/v1/cassandra/
// schema/v004.cql.tmpl in the Jaeger module, the template the Jaeger v1
// schema image applied to Cassandra 4), as Go values: the same keyspaces,
// types, tables and options, so a cluster the v1 deployment created is
// already in this shape and an upgrade keeps its traces. A test compares
// the rendering with the template at the pinned Jaeger release.
//
// Jaeger v2 can create the schema itself (cassandra.schema.create: true,
// its v004-go-tmpl.cql.tmpl), and it is not used: it too only creates what
// is missing (CREATE ... IF NOT EXISTS), so a changed TTL would never reach
// existing tables, the defect this Job fixes; every replica of every tier
// would run the DDL at once at start-up (concurrent schema changes in
// Cassandra can disagree) and so would need DDL rights; and it always
// writes NetworkTopologyStrategy with a 'replication_factor' and a
// compaction window of its own (2h unless set), not the v1 script's
// settings the existing keyspaces have.

// ttlKind says which TTL a table's rows live for.
type ttlKind int

const (
	noTTL ttlKind = iota
	traceTTL
	// dependenciesTTL: the service dependency links live as long as the
	// traces they come from (the v1 deployment set DEPENDENCIES_TTL so).
	dependenciesTTL
)

// option is one ordered key of a CQL map literal.
type option struct{ key, value string }

type cqlType struct {
	name   string
	fields [][2]string // name, type; "{ks}" is the keyspace
}

type cqlTable struct {
	name       string
	columns    [][2]string
	primaryKey string
	// clustering is the CLUSTERING ORDER BY list, "" for none.
	clustering string
	// compaction is empty for the table's default.
	compaction []option
	ttl        ttlKind
	// tuned tables set speculative_retry NONE and 3 hours of gc_grace.
	tuned bool
}

// twcs is TimeWindowCompactionStrategy with a window of size units.
func twcs(size, unit string) []option {
	return []option{{"compaction_window_size", size}, {"compaction_window_unit", unit},
		{"class", "org.apache.cassandra.db.compaction.TimeWindowCompactionStrategy"}}
}

var stcs = []option{{"min_threshold", "4"}, {"max_threshold", "32"},
	{"class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"}}

var keyvalueList = "frozen<list<frozen<{ks}.keyvalue>>>"

// udts are created before the tables that use them, dependency last
// (v004's order).
var udts = []cqlType{
	{"keyvalue", [][2]string{{"key", "text"}, {"value_type", "text"}, {"value_string", "text"}, {"value_bool", "boolean"},
		{"value_long", "bigint"}, {"value_double", "double"}, {"value_binary", "blob"}}},
	{"log", [][2]string{{"ts", "bigint"}, {"fields", keyvalueList}}},
	{"span_ref", [][2]string{{"ref_type", "text"}, {"trace_id", "blob"}, {"span_id", "bigint"}}},
	{"process", [][2]string{{"service_name", "text"}, {"tags", keyvalueList}}},
}

var dependencyType = cqlType{"dependency", [][2]string{{"parent", "text"}, {"child", "text"}, {"call_count", "bigint"}, {"source", "text"}}}

// spanTables hold spans and their indexes; tracesCompaction is the traces
// table's window, which follows the TTL.
func spanTables(tracesCompaction []option) []cqlTable {
	hourly := twcs("1", "HOURS")
	return []cqlTable{
		{name: "traces", columns: [][2]string{{"trace_id", "blob"}, {"span_id", "bigint"}, {"span_hash", "bigint"}, {"parent_id", "bigint"},
			{"operation_name", "text"}, {"flags", "int"}, {"start_time", "bigint"}, {"duration", "bigint"},
			{"tags", "list<frozen<keyvalue>>"}, {"logs", "list<frozen<log>>"}, {"refs", "list<frozen<span_ref>>"}, {"process", "frozen<process>"}},
			primaryKey: "trace_id, span_id, span_hash", compaction: tracesCompaction, ttl: traceTTL, tuned: true},
		{name: "service_names", columns: [][2]string{{"service_name", "text"}},
			primaryKey: "service_name", compaction: stcs, ttl: traceTTL, tuned: true},
		{name: "operation_names_v2", columns: [][2]string{{"service_name", "text"}, {"span_kind", "text"}, {"operation_name", "text"}},
			primaryKey: "(service_name), span_kind, operation_name", compaction: stcs, ttl: traceTTL, tuned: true},
		{name: "service_operation_index", columns: [][2]string{{"service_name", "text"}, {"operation_name", "text"}, {"start_time", "bigint"}, {"trace_id", "blob"}},
			primaryKey: "(service_name, operation_name), start_time", clustering: "start_time DESC", compaction: hourly, ttl: traceTTL, tuned: true},
		{name: "service_name_index", columns: [][2]string{{"service_name", "text"}, {"bucket", "int"}, {"start_time", "bigint"}, {"trace_id", "blob"}},
			primaryKey: "(service_name, bucket), start_time", clustering: "start_time DESC", compaction: hourly, ttl: traceTTL, tuned: true},
		{name: "duration_index", columns: [][2]string{{"service_name", "text"}, {"operation_name", "text"}, {"bucket", "timestamp"},
			{"duration", "bigint"}, {"start_time", "bigint"}, {"trace_id", "blob"}},
			primaryKey: "(service_name, operation_name, bucket), duration, start_time, trace_id", clustering: "duration DESC, start_time DESC",
			compaction: hourly, ttl: traceTTL, tuned: true},
		{name: "tag_index", columns: [][2]string{{"service_name", "text"}, {"tag_key", "text"}, {"tag_value", "text"}, {"start_time", "bigint"},
			{"trace_id", "blob"}, {"span_id", "bigint"}},
			primaryKey: "(service_name, tag_key, tag_value), start_time, trace_id, span_id", clustering: "start_time DESC",
			compaction: hourly, ttl: traceTTL, tuned: true},
	}
}

// otherTables are the dependency links, adaptive sampling and the lock.
var otherTables = []cqlTable{
	{name: "dependencies_v2", columns: [][2]string{{"ts_bucket", "timestamp"}, {"ts", "timestamp"}, {"dependencies", "list<frozen<dependency>>"}},
		primaryKey: "ts_bucket, ts", clustering: "ts DESC", compaction: stcs, ttl: dependenciesTTL},
	{name: "operation_throughput", columns: [][2]string{{"bucket", "int"}, {"ts", "timeuuid"}, {"throughput", "text"}},
		primaryKey: "bucket, ts", clustering: "ts desc"},
	{name: "sampling_probabilities", columns: [][2]string{{"bucket", "int"}, {"ts", "timeuuid"}, {"hostname", "text"}, {"probabilities", "text"}},
		primaryKey: "bucket, ts", clustering: "ts desc"},
	{name: "leases", columns: [][2]string{{"name", "text"}, {"owner", "text"}}, primaryKey: "name"},
}

// schema is one keyspace's statements with its settings applied.
type schema struct {
	keyspace    string
	replication []option
	ttlSeconds  int64
}

// schemaFor is the tier's schema on a ring of the given size: one node
// keeps one copy (SimpleStrategy), three or more keep three in the one
// datacenter (NetworkTopologyStrategy), as the v1 deployment's test and
// prod modes did.
func schemaFor(t tier, cassandraReplicas int) schema {
	repl := []option{{"class", "SimpleStrategy"}, {"replication_factor", "1"}}
	if cassandraReplicas >= 3 {
		repl = []option{{"class", "NetworkTopologyStrategy"}, {datacenter, "3"}}
	}
	return schema{keyspace: t.keyspace, replication: repl, ttlSeconds: t.ttlSeconds()}
}

// tracesCompaction keeps about 30 compaction windows per TTL, in minutes
// rounded up (the v1 schema script's rule): 1440 minutes for 30 days.
func (s schema) tracesCompaction() []option {
	minutes := s.ttlSeconds / 60
	return twcs(fmt.Sprint((minutes+29)/30), "MINUTES")
}

func (s schema) tables() []cqlTable { return append(spanTables(s.tracesCompaction()), otherTables...) }

// statements are the keyspace's CQL: createStatements, then
// alterStatements. Every statement is idempotent.
func (s schema) statements() []string { return append(s.createStatements(), s.alterStatements()...) }

// createStatements create whatever is missing, in v004's order.
func (s schema) createStatements() []string {
	out := []string{fmt.Sprintf("CREATE KEYSPACE IF NOT EXISTS %s WITH replication = %s;", s.keyspace, cqlMap(s.replication, ""))}
	for _, t := range udts {
		out = append(out, s.createType(t))
	}
	spans := spanTables(s.tracesCompaction())
	for _, t := range spans {
		out = append(out, s.createTable(t))
	}
	out = append(out, s.createType(dependencyType))
	for _, t := range otherTables {
		out = append(out, s.createTable(t))
	}
	return out
}

// alterStatements make existing objects match the settings: CREATE ... IF
// NOT EXISTS leaves an existing table's options alone, so each run also
// sets the replication, every table's default TTL and the traces table's
// TTL-derived compaction window. They run every time the Job runs (each
// is a no-op when the value is already set), rather than after comparing
// with system_schema: one code path, and it also repairs a hand-made change.
// A new TTL applies to rows written afterwards; Cassandra keeps each
// existing row's TTL.
func (s schema) alterStatements() []string {
	out := []string{fmt.Sprintf("ALTER KEYSPACE %s WITH replication = %s;", s.keyspace, cqlMap(s.replication, ""))}
	for _, t := range s.tables() {
		ttl, ok := s.ttlOf(t.ttl)
		if !ok {
			continue
		}
		stmt := fmt.Sprintf("ALTER TABLE %s.%s WITH default_time_to_live = %d", s.keyspace, t.name, ttl)
		if t.name == "traces" {
			stmt += " AND compaction = " + cqlMap(t.compaction, "")
		}
		out = append(out, stmt+";")
	}
	return out
}

func (s schema) ttlOf(k ttlKind) (int64, bool) {
	switch k {
	case traceTTL, dependenciesTTL:
		return s.ttlSeconds, true
	}
	return 0, false
}

func (s schema) createType(t cqlType) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TYPE IF NOT EXISTS %s.%s (\n", s.keyspace, t.name)
	for i, f := range t.fields {
		fmt.Fprintf(&b, "    %s %s%s\n", f[0], strings.ReplaceAll(f[1], "{ks}", s.keyspace), comma(i, len(t.fields)))
	}
	b.WriteString(");")
	return b.String()
}

func (s schema) createTable(t cqlTable) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s.%s (\n", s.keyspace, t.name)
	for _, c := range t.columns {
		fmt.Fprintf(&b, "    %s %s,\n", c[0], c[1])
	}
	fmt.Fprintf(&b, "    PRIMARY KEY (%s)\n)", t.primaryKey)
	var opts []string
	if t.clustering != "" {
		opts = append(opts, fmt.Sprintf("CLUSTERING ORDER BY (%s)", t.clustering))
	}
	if len(t.compaction) > 0 {
		opts = append(opts, "compaction = "+cqlMap(t.compaction, "    "))
	}
	if ttl, ok := s.ttlOf(t.ttl); ok {
		opts = append(opts, fmt.Sprintf("default_time_to_live = %d", ttl))
	}
	if t.tuned {
		// 3 hours of node downtime are acceptable before tombstones go.
		opts = append(opts, "speculative_retry = 'NONE'", "gc_grace_seconds = 10800")
	}
	if len(opts) > 0 {
		b.WriteString("\n    WITH " + strings.Join(opts, "\n    AND "))
	}
	b.WriteString(";")
	return b.String()
}

// cqlMap renders a map literal; with an indent, one entry per line.
func cqlMap(opts []option, indent string) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = fmt.Sprintf("'%s': '%s'", o.key, o.value)
	}
	if indent == "" {
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "{\n" + indent + "    " + strings.Join(parts, ",\n"+indent+"    ") + "\n" + indent + "}"
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

// script is the statements as one cqlsh input file.
func (s schema) script() string {
	return "-- Jaeger Cassandra schema v004 for keyspace " + s.keyspace + ", generated by components/jaeger.\n\n" +
		strings.Join(s.statements(), "\n\n") + "\n"
}
