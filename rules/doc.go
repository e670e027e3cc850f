// Package rules owns the metric catalog and the Prometheus alerting and
// recording rules generated from the monitoring strategy.
//
// The catalog (Catalog, Lookup) declares every metric that rules, dashboards
// and SLO queries may use, with its type, labels and source; CheckQuery holds
// a PromQL query to it. Groups builds the seed's alert groups, corrected, and
// the recording rules they and the dashboards share; YAML renders them as a
// rule file. SLOs holds the seed's SLOs, from which Groups also generates
// one group per SLO, or per SLI that SLOs share (SLIs, error budget,
// burn-rate alerts; see SLO.md), and the platform's own alerts
// (platform.go: the Watchdog, a "down" alert per scraped component,
// "degrading" alerts per component family).
// CATALOG.md records what the application team must expose and why
// the seed was changed.
//
// The package creates no resources and reads no configuration: the
// Prometheus component mounts the rule file, and its scrape configuration
// must produce TargetLabels, which CheckQuery assumes on every scraped series.
package rules
