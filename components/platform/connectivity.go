package platform

import (
	"slices"

	"github.com/klearkarma/observability/internal/labels"
)

// The purposes of the namespaces whose workloads the platform fences one by
// one. A namespace of another purpose gets the default deny and DNS only.
const (
	PurposeMetrics = "metrics"
	PurposeLogs    = "logs"
	PurposeTraces  = "traces"
)

// fenced is one workload the platform fences: the namespace it runs in
// (by purpose) and the app.kubernetes.io name and component labels its
// component gives its pods. The labels are the components' own; the
// connectivity test (test/policy) proves them against the render. Its
// policy is "allow-<key>".
type fenced struct {
	key, purpose, name, component string
}

func (w fenced) labels() labels.Set { return labels.Set{Name: w.name, Component: w.component} }

// The platform's workloads. node-exporter is not one: it runs on the host
// network, where NetworkPolicies neither isolate nor select pods, so
// Prometheus reaches it at the node addresses (Network.NodeCIDRs).
var (
	prometheus       = fenced{"prometheus", PurposeMetrics, "prometheus", "server"}
	alertmanager     = fenced{"alertmanager", PurposeMetrics, "alertmanager", "alerting"}
	thanosQuery      = fenced{"thanos-query", PurposeMetrics, "thanos", "query"}
	thanosStore      = fenced{"thanos-store", PurposeMetrics, "thanos", "store-gateway"}
	thanosCompactor  = fenced{"thanos-compactor", PurposeMetrics, "thanos", "compactor"}
	grafana          = fenced{"grafana", PurposeMetrics, "grafana", "dashboards"}
	kubeStateMetrics = fenced{"kube-state-metrics", PurposeMetrics, "kube-state-metrics", "exporter"}
	blackboxExporter = fenced{"blackbox-exporter", PurposeMetrics, "blackbox-exporter", "exporter"}

	elasticsearch      = fenced{"elasticsearch", PurposeLogs, "elasticsearch", "storage"}
	elasticsearchSetup = fenced{"elasticsearch-setup", PurposeLogs, "elasticsearch", "setup"}
	elasticsearchCA    = fenced{"elasticsearch-ca-bootstrap", PurposeLogs, "elasticsearch", "ca-bootstrap"}
	esExporter         = fenced{"elasticsearch-exporter", PurposeLogs, "elasticsearch-exporter", "exporter"}
	kibana             = fenced{"kibana", PurposeLogs, "kibana", "ui"}
	logstash           = fenced{"logstash", PurposeLogs, "logstash", "log-ingest"}
	fluentd            = fenced{"fluentd", PurposeLogs, "fluentd", "log-collector"}

	collector          = fenced{"otel-collector", PurposeTraces, "opentelemetry-collector", "gateway"}
	jaegerDetailed     = fenced{"jaeger-detailed", PurposeTraces, "jaeger", "detailed"}
	jaegerSampled      = fenced{"jaeger-sampled", PurposeTraces, "jaeger", "sampled"}
	schemaDetailed     = fenced{"jaeger-schema-detailed", PurposeTraces, "jaeger", "schema-detailed"}
	schemaSampled      = fenced{"jaeger-schema-sampled", PurposeTraces, "jaeger", "schema-sampled"}
	cassandra          = fenced{"cassandra", PurposeTraces, "cassandra", "storage"}
	jaegerTiers        = []fenced{jaegerDetailed, jaegerSampled}
	fencedWorkloads    = []fenced{prometheus, alertmanager, thanosQuery, thanosStore, thanosCompactor, grafana, kubeStateMetrics, blackboxExporter, elasticsearch, elasticsearchSetup, elasticsearchCA, esExporter, kibana, logstash, fluentd, collector, jaegerDetailed, jaegerSampled, schemaDetailed, schemaSampled, cassandra}
	apiServerPorts     = tcp(443, 6443)
	objectStoragePorts = tcp(443)
)

// side is one end of an edge: a workload, every pod of some namespaces
// outside the platform, or addresses outside the pod network.
type side struct {
	workload   *fenced
	namespaces []string
	cidrs      []string
}

func pods(w fenced) side            { return side{workload: &w} }
func inNamespaces(ns []string) side { return side{namespaces: ns} }
func at(cidrs ...string) side       { return side{cidrs: cidrs} }

// empty: a peer list the stack left empty, which must not become "every
// peer" in a rule.
func (s side) empty() bool { return s.workload == nil && len(s.namespaces) == 0 && len(s.cidrs) == 0 }

func (s side) is(w fenced) bool { return s.workload != nil && s.workload.key == w.key }

type port struct {
	number   int
	protocol string
}

func tcp(numbers ...int) []port {
	out := make([]port, len(numbers))
	for i, n := range numbers {
		out[i] = port{n, "TCP"}
	}
	return out
}

// edge is one connection the platform needs: from may open it to to on
// ports. It becomes an egress rule in from's policy and an ingress rule in
// to's, for the sides that are workloads.
type edge struct {
	from, to side
	ports    []port
	// everyPort is set for the edges whose ports the platform cannot
	// know (the applications' metrics and probed ports); an edge with no
	// ports and without it is dropped, never widened to every port.
	everyPort bool
}

// edges is the platform's connectivity: every connection its workloads
// need, and nothing else. DNS is allowed for every pod separately.
func (a Args) edges() []edge {
	var t table
	a.metricsEdges(&t)
	a.logsEdges(&t)
	a.tracesEdges(&t)
	return t
}

// table collects edges in the order the policies list their rules.
type table []edge

func (t *table) add(from, to side, ports []port) {
	*t = append(*t, edge{from: from, to: to, ports: ports})
}

// addEveryPort is for the edges whose ports only the other side knows (the
// applications' pods behind their metrics annotations and their Services).
func (t *table) addEveryPort(from, to side) {
	*t = append(*t, edge{from: from, to: to, everyPort: true})
}

// metricsEdges: Prometheus scrapes every target its configuration finds
// (pods by their prometheus.io annotations, the kubelet and node-exporter on
// the nodes, kube-state-metrics) and sends alerts; Thanos and Grafana read.
func (a Args) metricsEdges(t *table) {
	n := a.Network
	p := pods(prometheus)
	for _, target := range []struct {
		w    fenced
		port int
	}{
		{prometheus, 9090}, {alertmanager, 9093}, {thanosQuery, 10902}, {thanosStore, 10902},
		{thanosCompactor, 10902}, {grafana, 3000}, {kubeStateMetrics, 8080}, {fluentd, 24231}, {esExporter, 9114},
		{collector, 8888}, {jaegerDetailed, 8888}, {jaegerSampled, 8888},
		// The json_exporter sidecars (internal/jsonprobe) of Logstash and Kibana.
		{logstash, 7979}, {kibana, 7979},
	} {
		t.add(p, pods(target.w), tcp(target.port))
	}
	// The Thanos sidecar's own metrics, in the Prometheus pods (job
	// thanos-sidecar: the annotation job scrapes one port per pod).
	t.add(p, p, tcp(10902))
	t.add(p, at(n.NodeCIDRs...), tcp(10250, 9100))
	t.add(p, at(n.APIServerCIDRs...), apiServerPorts)
	t.add(pods(kubeStateMetrics), at(n.APIServerCIDRs...), apiServerPorts)

	t.add(pods(alertmanager), pods(alertmanager), []port{{9094, "TCP"}, {9094, "UDP"}})
	notify := slices.Clone(n.ExternalEgressPorts)
	slices.Sort(notify)
	t.add(pods(alertmanager), at("0.0.0.0/0"), tcp(notify...))

	t.add(pods(thanosQuery), p, tcp(10901))
	t.add(pods(thanosQuery), pods(thanosStore), tcp(10901))
	t.add(pods(grafana), pods(thanosQuery), tcp(10902))
	t.add(pods(grafana), pods(elasticsearch), tcp(9200))
	for _, tier := range jaegerTiers {
		t.add(pods(grafana), pods(tier), tcp(16686))
	}
	t.add(inNamespaces(n.IngressNamespaces), pods(grafana), tcp(3000))
	if a.ObjectStorageOverHTTPS {
		// The Thanos sidecar runs in the Prometheus pods.
		for _, w := range []fenced{prometheus, thanosStore, thanosCompactor} {
			t.add(pods(w), at("0.0.0.0/0"), objectStoragePorts)
		}
	}
	// The applications annotate their own metrics ports.
	t.addEveryPort(p, inNamespaces(n.ApplicationNamespaces))
	a.probeEdges(t)
}

// probeEdges: Prometheus scrapes the blackbox exporter (its probe job), which
// probes the applications' health endpoints in their namespaces and, on the
// ports the stack's targets use, outside the cluster.
func (a Args) probeEdges(t *table) {
	if !a.Probes.Enabled {
		return
	}
	bb := pods(blackboxExporter)
	t.add(pods(prometheus), bb, tcp(9115))
	t.addEveryPort(bb, inNamespaces(a.Network.ApplicationNamespaces))
	if len(a.Probes.ExternalPorts) > 0 {
		t.add(bb, at("0.0.0.0/0"), tcp(a.Probes.ExternalPorts...))
	}
}

// logsEdges: the collectors and readers of Elasticsearch, its cluster and
// its setup.
func (a Args) logsEdges(t *table) {
	n := a.Network
	es := pods(elasticsearch)
	for _, w := range []fenced{fluentd, logstash, kibana, elasticsearchSetup, esExporter} {
		t.add(pods(w), es, tcp(9200))
	}
	t.add(es, es, tcp(9300))
	t.add(pods(fluentd), at(n.APIServerCIDRs...), apiServerPorts)
	t.add(pods(elasticsearchCA), at(n.APIServerCIDRs...), apiServerPorts)
	t.add(inNamespaces(n.ApplicationNamespaces), pods(logstash), tcp(5044, 8080))
	t.add(inNamespaces(n.IngressNamespaces), pods(kibana), tcp(5601))
	if a.ObjectStorageOverHTTPS {
		// Audit-log snapshots go to S3.
		t.add(es, at("0.0.0.0/0"), objectStoragePorts)
	}
}

// tracesEdges: applications send spans to the collector, which feeds both
// Jaeger tiers; Jaeger and its schema Jobs use Cassandra.
func (a Args) tracesEdges(t *table) {
	n := a.Network
	c := pods(cassandra)
	t.add(inNamespaces(n.ApplicationNamespaces), pods(collector), tcp(4317, 4318, 14268))
	for _, tier := range jaegerTiers {
		t.add(pods(collector), pods(tier), tcp(4317))
		t.add(pods(tier), c, tcp(9042))
		t.add(inNamespaces(n.IngressNamespaces), pods(tier), tcp(16686))
	}
	for _, job := range []fenced{schemaDetailed, schemaSampled} {
		t.add(pods(job), c, tcp(9042))
	}
	t.add(c, c, tcp(7000))
	// Prometheus scrapes each node's exporter sidecar (the exporter reads
	// JMX on the pod's loopback, which no policy sees).
	t.add(pods(prometheus), c, tcp(8080))
}
