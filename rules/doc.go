// Package rules owns the metric catalog and the Prometheus alerting and
// recording rules generated from the monitoring strategy.
package rules
