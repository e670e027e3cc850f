// Package jaeger owns distributed tracing: the OpenTelemetry Collector that
// applications send spans to (OTLP gRPC 4317, OTLP HTTP 4318, and the Jaeger
// Thrift HTTP endpoint 14268/api/traces that the seed app's Jaeger exporter
// uses), one Jaeger v2 per retention tier (ingest and query in one process),
// the Cassandra ring they share, and one schema Job per tier's keyspace.
//
// The retention policy has two tiers, each its own keyspace whose tables'
// default TTL is the tier's retention:
//
//   - jaeger_detailed keeps every span for Args.DetailedRetention (30 days);
//   - jaeger_sampled keeps Args.SampledRatio of the traces, whole traces
//     chosen by trace id, for Args.SampledRetention (90 days).
//
// The collector fans every span out twice: straight to the detailed Jaeger,
// and through the probabilistic sampler to the sampled Jaeger (Jaeger v2
// bundles tail sampling but no probabilistic sampler). Both Jaegers serve
// the query API and UI, so both tiers can be read.
//
// The keyspaces and tables are those of Jaeger's Cassandra schema v004,
// which the Jaeger v1 deployment created, so an upgrade keeps the stored
// traces. The schema Job creates what is missing and then sets every
// table's TTL to the configured retention (ALTER TABLE), so a changed
// retention reaches existing tables; its name carries the checksum of its
// statements, so it runs again exactly when they change.
//
// Configurations are Go values rendered as deterministic YAML; the tests
// validate them with the pinned jaeger and collector binaries. The package
// does not own the namespace, its Pod Security level or its network
// policies (components/platform does), nor Grafana's datasources.
package jaeger
