package stacks

import (
	"fmt"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/rules"
)

// PrometheusConfig sizes the Prometheus servers.
type PrometheusConfig struct {
	Replicas       int      `json:"replicas" doc:"Prometheus servers (an HA pair is 2); at least 1."`
	StorageSize    string   `json:"storageSize" doc:"Volume of each server; a Kubernetes quantity."`
	LocalRetention Duration `json:"localRetention" doc:"What each server keeps locally (older data is read from object storage through Thanos); at least the longest window the alert rules read (30d), at most retention.metrics.detailed."`
	ScrapeInterval Duration `json:"scrapeInterval" doc:"Scrape and rule evaluation interval."`
	// RunbookBaseURL prefixes every alert's runbook_url.
	RunbookBaseURL string `json:"runbookBaseUrl" doc:"Every alert's runbook_url is this URL plus the alert name in lower case; an absolute http(s) URL."`
}

// ThanosConfig sizes Thanos. Retention comes from retention.metrics.
type ThanosConfig struct {
	StoreReplicas        int    `json:"storeReplicas" doc:"Thanos Store Gateways; at least 1."`
	QueryReplicas        int    `json:"queryReplicas" doc:"Thanos Query replicas; at least 1."`
	StoreStorageSize     string `json:"storeStorageSize" doc:"Each Store Gateway's index cache volume."`
	CompactorStorageSize string `json:"compactorStorageSize" doc:"The compactor's work volume."`
	// FilesystemBucketSize is the shared volume that stands in for S3 when
	// aws.enabled is false (the offline stack).
	FilesystemBucketSize string `json:"filesystemBucketSize" doc:"Shared volume standing in for S3 when aws.enabled is false."`
}

// AlertmanagerConfig sizes the Alertmanager cluster.
type AlertmanagerConfig struct {
	Replicas    int    `json:"replicas" doc:"Alertmanager pods; more than 1 form a gossip cluster that sends each notification once."`
	StorageSize string `json:"storageSize" doc:"Volume of each pod (silences, notification log)."`
}

// validateMetrics checks Prometheus, Thanos and Alertmanager.
func validateMetrics(ps *check.Problems, c *Config) {
	p := c.Prometheus
	check.AtLeast(ps, "prometheus.replicas", p.Replicas, 1)
	check.Quantity(ps, "prometheus.storageSize", p.StorageSize)
	pl := checkDuration(ps, "prometheus.localRetention", p.LocalRetention)
	checkDuration(ps, "prometheus.scrapeInterval", p.ScrapeInterval)
	if md := c.Retention.Metrics.Detailed; pl > 0 && md.Err() == nil && pl > md.Std() {
		ps.Add("prometheus.localRetention", fmt.Sprintf("%s is longer than "+full("retention.metrics.detailed")+" (%s)", p.LocalRetention, md),
			"keep local retention shorter: long-term data lives in object storage")
	}
	ps.Merge("prometheus", rules.Options{RunbookBaseURL: p.RunbookBaseURL}.CheckRunbook(), map[string]string{"runbookBaseURL": "runbookBaseUrl"})
	if pl > 0 { // an unreadable duration is reported above
		ps.Merge("prometheus", rules.CheckLocalRetention(pl), nil)
	}

	check.AtLeast(ps, "thanos.storeReplicas", c.Thanos.StoreReplicas, 1)
	check.AtLeast(ps, "thanos.queryReplicas", c.Thanos.QueryReplicas, 1)
	check.Quantity(ps, "thanos.storeStorageSize", c.Thanos.StoreStorageSize)
	check.Quantity(ps, "thanos.compactorStorageSize", c.Thanos.CompactorStorageSize)
	if !c.AWS.Enabled {
		check.Quantity(ps, "thanos.filesystemBucketSize", c.Thanos.FilesystemBucketSize)
	}

	check.AtLeast(ps, "alertmanager.replicas", c.Alertmanager.Replicas, 1)
	check.Quantity(ps, "alertmanager.storageSize", c.Alertmanager.StorageSize)
}
