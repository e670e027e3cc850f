package stacks

import (
	"fmt"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/rules"
)

// PrometheusConfig sizes the Prometheus servers (its sizing rules:
// prometheus.Sizing.Check).
type PrometheusConfig struct {
	Replicas       int      `json:"replicas" doc:"Prometheus servers (an HA pair is 2); at least 1."`
	StorageSize    string   `json:"storageSize" doc:"Volume of each server; a Kubernetes quantity."`
	LocalRetention Duration `json:"localRetention" doc:"What each server keeps locally (older data is read from object storage through Thanos); at least the longest window the alert rules read (30d), at most retention.metrics.detailed."`
	ScrapeInterval Duration `json:"scrapeInterval" doc:"Scrape and rule evaluation interval."`
	// RunbookBaseURL prefixes every alert's runbook_url.
	RunbookBaseURL string `json:"runbookBaseUrl" doc:"Every alert's runbook_url is this URL plus the alert name in lower case; an absolute http(s) URL."`
}

// ThanosConfig sizes Thanos (its rules: thanos.Sizing.Check). Retention
// comes from retention.metrics (MetricsRetention.Thanos).
type ThanosConfig = thanos.Sizing

// Thanos is the compactor's retention per resolution: raw and 5m blocks
// keep the detailed period, 1h blocks the aggregated one.
func (r MetricsRetention) Thanos() thanos.Retention {
	return thanos.Retention{Raw: r.Detailed.String(), FiveMinutes: r.Detailed.String(), OneHour: r.Aggregated.String()}
}

// AlertmanagerConfig sizes the Alertmanager cluster (its rules:
// alertmanager.Sizing.Check).
type AlertmanagerConfig = alertmanager.Sizing

// validateMetrics checks Prometheus, Thanos and Alertmanager.
func validateMetrics(ps *check.Problems, c *Config) {
	p := c.Prometheus
	ps.Merge("prometheus", prometheus.Sizing{Replicas: p.Replicas, StorageSize: p.StorageSize, LocalRetention: p.LocalRetention.String()}.Check(), nil)
	checkDuration(ps, "prometheus.scrapeInterval", p.ScrapeInterval)
	// Only the stack knows both retentions.
	if pl, md := p.LocalRetention, c.Retention.Metrics.Detailed; pl.Err() == nil && md.Err() == nil && pl.Std() > md.Std() {
		ps.Add("prometheus.localRetention", fmt.Sprintf("%s is longer than "+full("retention.metrics.detailed")+" (%s)", p.LocalRetention, md),
			"keep local retention shorter: long-term data lives in object storage")
	}
	ps.Merge("prometheus", rules.Options{RunbookBaseURL: p.RunbookBaseURL}.CheckRunbook(), map[string]string{"runbookBaseURL": "runbookBaseUrl"})
	if p.LocalRetention.Err() == nil { // the sizing check reports one that does not parse
		ps.Merge("prometheus", rules.CheckLocalRetention(p.LocalRetention.Std()), nil)
	}

	ps.Merge("thanos", c.Thanos.Check(!c.AWS.Enabled), nil)
	// validateRetention reports values that do not parse; the compactor's
	// own rules apply to the ones that do.
	if r := c.Retention.Metrics; r.Detailed.Err() == nil && r.Aggregated.Err() == nil {
		ps.Merge("", r.Thanos().Check(), map[string]string{
			"raw": "retention.metrics.detailed", "fiveMinutes": "retention.metrics.detailed", "oneHour": "retention.metrics.aggregated",
		})
	}

	ps.Merge("alertmanager", c.Alertmanager.Check(), nil)
	// The route tree's timings are the component's; the stack decides how
	// many nodes wait for each other within them.
	if c.Alertmanager.Replicas >= 1 {
		t := alertmanager.DefaultTimings().Check(c.Alertmanager.Replicas)
		rename := map[string]string{}
		for _, p := range t {
			rename[p.Field] = "replicas"
		}
		ps.Merge("alertmanager", t, rename)
	}
}
