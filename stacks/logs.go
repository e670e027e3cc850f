package stacks

import (
	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/check"
)

// ElasticsearchConfig sizes the Elasticsearch cluster (its rules:
// elasticsearch.Sizing.Check).
type ElasticsearchConfig = elasticsearch.Sizing

// KibanaConfig sizes Kibana.
type KibanaConfig struct {
	Replicas     int    `json:"replicas" doc:"Kibana pods; at least 1 (more than 1 needs the kibanaEncryptionKey secret)."`
	IngressHost  string `json:"ingressHost" doc:"Host name that exposes Kibana through an Ingress; empty: no Ingress."`
	IngressClass string `json:"ingressClass" doc:"IngressClass of that Ingress."`
}

// LogstashConfig sizes Logstash.
type LogstashConfig struct {
	Replicas int `json:"replicas" doc:"Logstash pods for log sources outside the cluster; at least 1."`
}

// validateLogs checks Elasticsearch, Kibana and Logstash.
func validateLogs(ps *check.Problems, c *Config) {
	es := c.Elasticsearch
	if c.AWS.Enabled {
		// Snapshots go to S3; the volume size is not used.
		es.SnapshotVolumeSize = ""
	} else if es.SnapshotVolumeSize == "" {
		ps.Add("elasticsearch.snapshotVolumeSize", "is empty", "set the snapshot volume's size, such as 10Gi")
	}
	ps.Merge("elasticsearch", es.Check(), nil)
	check.AtLeast(ps, "kibana.replicas", c.Kibana.Replicas, 1)
	check.HostName(ps, "kibana.ingressHost", c.Kibana.IngressHost, "kibana.klearkarma.com")
	check.AtLeast(ps, "logstash.replicas", c.Logstash.Replicas, 1)
}
