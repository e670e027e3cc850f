package stacks

import (
	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/components/kibana"
	"github.com/klearkarma/observability/components/logstash"
	"github.com/klearkarma/observability/internal/check"
)

// ElasticsearchConfig sizes the Elasticsearch cluster (its rules:
// elasticsearch.Sizing.Check).
type ElasticsearchConfig = elasticsearch.Sizing

// KibanaConfig sizes and exposes Kibana (its rules: kibana.Settings.Check).
type KibanaConfig = kibana.Settings

// LogstashConfig sizes Logstash (its rules: logstash.Sizing.Check).
type LogstashConfig = logstash.Sizing

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
	ps.Merge("kibana", c.Kibana.Check(), nil)
	ps.Merge("logstash", c.Logstash.Check(), nil)
}
