package jaeger

import (
	"time"

	"github.com/klearkarma/observability/internal/conventions"
)

// Roles of the two tiers; each names its Jaeger, keyspace and schema Job.
const (
	roleDetailed = "detailed"
	roleSampled  = "sampled"
)

// tier is one retention tier: a keyspace, its TTL, and the fraction of
// traces the collector sends it.
type tier struct {
	role     string
	keyspace string
	ttl      time.Duration
	ratio    float64 // 1 keeps every span
}

func (a Args) tiers() []tier {
	return []tier{
		{role: roleDetailed, keyspace: DetailedKeyspace, ttl: a.DetailedRetention, ratio: 1},
		{role: roleSampled, keyspace: SampledKeyspace, ttl: a.SampledRetention, ratio: a.SampledRatio},
	}
}

// object is the Kubernetes name of the tier's Jaeger (Deployment, Service,
// ConfigMap): "jaeger-detailed".
func (t tier) object(component string) string { return conventions.Child(component, t.role) }

// ttlSeconds is the TTL as Cassandra takes it, in whole seconds.
func (t tier) ttlSeconds() int64 { return int64(t.ttl / time.Second) }
