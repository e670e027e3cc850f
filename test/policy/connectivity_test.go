package policy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/netpol"
	"github.com/klearkarma/observability/stacks"
)

// renderDir writes a stack's objects as one YAML file each into a temporary
// directory, the shape of the kubernetes provider's render directory.
func renderDir(t *testing.T, stack string) string {
	t.Helper()
	dir := t.TempDir()
	for i, m := range manifests(t, stack) {
		b, err := yaml.Marshal(m.Object)
		require.NoError(t, err)
		name := fmt.Sprintf("%03d-%s-%s-%s.yaml", i, strings.ToLower(m.Kind), m.Namespace, m.Name)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	return dir
}

// Addresses outside the pod network, inside the stacks' default ranges
// (network.nodeCidrs, network.apiServerCidrs) or on the internet.
const (
	nodeIP      = "10.0.1.5"
	apiServerIP = "10.0.0.1"
	internetIP  = "203.0.113.10" // PagerDuty, Slack, SMTP, S3: any public address
)

// connectivity is the platform's connectivity table for one stack, from
// the monitoring strategy: who talks to whom, on which port, and a
// selection of what must stay denied. Endpoints are the rendered workloads
// ("namespace/name"; a Job by its name's prefix) plus made-up pods in the
// application, ingress and an unrelated namespace.
func connectivity(t *testing.T, stack string) []netpol.Flow {
	t.Helper()
	f, err := stacks.ReadStackFile("../..", stack)
	require.NoError(t, err)
	// The same test secrets as the evaluation (stackConfig): Parse checks
	// that they are there and secret.
	if f.Source.Secrets == nil {
		f.Source.Secrets = map[string]bool{}
	}
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		f.Source.Values[key], f.Source.Secrets[key] = "policy-test-secret-"+s.Key+"-0123456789abcdef", true
	}
	cfg, err := stacks.Parse(stack, f.Source, f.Source.Keys())
	require.NoError(t, err)

	objs, err := netpol.LoadObjects(renderDir(t, stack))
	require.NoError(t, err)
	eps, err := netpol.EndpointsFromWorkloads(objs)
	require.NoError(t, err)
	mon, logs, traces := cfg.Namespaces.Monitoring, cfg.Namespaces.Logging, cfg.Namespaces.Tracing
	ep := func(ns, name string) netpol.Endpoint {
		t.Helper()
		if e, ok := eps[ns+"/"+name]; ok {
			return e
		}
		var keys []string
		for k := range eps {
			if strings.HasPrefix(k, ns+"/"+name+"-") {
				keys = append(keys, k)
			}
		}
		require.Len(t, keys, 1, "one workload %s/%s (or a Job named after it) in the %s render; have: %v", ns, name, stack, sortedKeys(eps))
		return eps[keys[0]]
	}
	pod := func(name, ns string, labels map[string]string) netpol.Endpoint {
		return netpol.Endpoint{Name: name, Namespace: ns, Labels: labels}
	}
	require.NotEmpty(t, cfg.Network.ApplicationNamespaces, "the connectivity table needs an application namespace")
	require.NotEmpty(t, cfg.Network.IngressNamespaces, "the connectivity table needs an ingress namespace")
	var (
		prometheus   = ep(mon, "prometheus")
		alertmanager = ep(mon, "alertmanager")
		query        = ep(mon, "thanos-query")
		store        = ep(mon, "thanos-store")
		compactor    = ep(mon, "thanos-compactor")
		grafana      = ep(mon, "grafana")
		ksm          = ep(mon, "kube-state-metrics")
		nodeExporter = ep(mon, "node-exporter").WithIP(nodeIP)
		es           = ep(logs, "elasticsearch")
		esSetup      = ep(logs, "elasticsearch-setup")
		esCA         = ep(logs, "elasticsearch-ca")
		esExporter   = ep(logs, "elasticsearch-exporter")
		kibana       = ep(logs, "kibana")
		logstash     = ep(logs, "logstash")
		fluentd      = ep(logs, "fluentd")
		collector    = ep(traces, "jaeger-otel-collector")
		detailed     = ep(traces, "jaeger-detailed")
		sampled      = ep(traces, "jaeger-sampled")
		schemaD      = ep(traces, "jaeger-schema-detailed")
		schemaS      = ep(traces, "jaeger-schema-sampled")
		cassandra    = ep(traces, "jaeger-cassandra")

		app      = pod("an application pod", cfg.Network.ApplicationNamespaces[0], map[string]string{"app.kubernetes.io/name": "checkout"})
		ingress  = pod("the ingress controller", cfg.Network.IngressNamespaces[0], map[string]string{"app.kubernetes.io/name": "ingress-nginx"})
		stranger = pod("a pod of an unrelated namespace", "default", map[string]string{"app": "stranger"})
		kubeDNS  = pod("cluster DNS", "kube-system", map[string]string{"k8s-app": "kube-dns"})

		node      = netpol.External("a node's kubelet", nodeIP)
		apiServer = netpol.External("the API server", apiServerIP)
		internet  = netpol.External("the internet", internetIP)
	)
	var flows []netpol.Flow
	allow := func(name string, from, to netpol.Endpoint, port int32, proto ...corev1.Protocol) {
		fl := netpol.Flow{Name: name, From: from, To: to, Port: port, Want: true}
		if len(proto) > 0 {
			fl.Protocol = proto[0]
		}
		flows = append(flows, fl)
	}
	deny := func(name string, from, to netpol.Endpoint, port int32) {
		flows = append(flows, netpol.Flow{Name: name, From: from, To: to, Port: port, Want: false})
	}

	// Metrics: Prometheus scrapes, alerts and discovers; Thanos Query reads
	// the sidecars and the Store Gateway; Grafana reads every store.
	for _, target := range []struct {
		what string
		to   netpol.Endpoint
		port int32
	}{
		{"the other Prometheus replica", prometheus, 9090}, {"Alertmanager", alertmanager, 9093}, {"Thanos Query", query, 10902}, {"the Store Gateway", store, 10902},
		{"the compactor", compactor, 10902}, {"Grafana", grafana, 3000}, {"kube-state-metrics", ksm, 8080},
		{"Fluentd", fluentd, 24231}, {"the Elasticsearch exporter", esExporter, 9114}, {"the collector", collector, 8888}, {"the detailed Jaeger", detailed, 8888},
		{"the sampled Jaeger", sampled, 8888}, {"Logstash's stats sidecar", logstash, 7979}, {"Kibana's status sidecar", kibana, 7979},
	} {
		allow("Prometheus scrapes "+target.what, prometheus, target.to, target.port)
	}
	allow("Prometheus scrapes node-exporter on the host network", prometheus, nodeExporter, 9100)
	allow("Prometheus scrapes the kubelet and cAdvisor", prometheus, node, 10250)
	allow("Prometheus scrapes an application on the port it annotates", prometheus, app, 9102)
	allow("Prometheus discovers its targets from the API server", prometheus, apiServer, 443)
	allow("kube-state-metrics watches the API server", ksm, apiServer, 443)
	allow("Alertmanager replicas gossip over TCP", alertmanager, alertmanager, 9094)
	allow("Alertmanager replicas gossip over UDP", alertmanager, alertmanager, 9094, corev1.ProtocolUDP)
	allow("Alertmanager notifies PagerDuty and Slack over HTTPS", alertmanager, internet, 443)
	allow("Alertmanager sends email over SMTP submission", alertmanager, internet, 587)
	allow("Thanos Query reads recent data from the Prometheus sidecars", query, prometheus, 10901)
	allow("Thanos Query reads history from the Store Gateway", query, store, 10901)
	allow("Grafana queries Thanos Query", grafana, query, 10902)
	allow("Grafana queries Elasticsearch", grafana, es, 9200)
	allow("Grafana queries the detailed Jaeger", grafana, detailed, 16686)
	allow("Grafana queries the sampled Jaeger", grafana, sampled, 16686)
	allow("the ingress controller serves Grafana", ingress, grafana, 3000)
	// Health probes, in the stacks that list targets (blackbox.ExternalPorts:
	// the shipped targets are all in-cluster, so no port outside is open).
	if len(cfg.Probes.Targets) > 0 {
		bb := ep(mon, "blackbox-exporter")
		allow("Prometheus scrapes the blackbox exporter's probe job", prometheus, bb, 9115)
		allow("the blackbox exporter probes an application's health endpoints", bb, app, 3000)
		deny("applications do not reach the blackbox exporter", app, bb, 9115)
		deny("the blackbox exporter does not reach the internet when no target is outside", bb, internet, 443)
		deny("the blackbox exporter does not reach Elasticsearch", bb, es, 9200)
	}

	// Logs: the shippers and readers of Elasticsearch, and its cluster.
	allow("Fluentd ships node logs to Elasticsearch", fluentd, es, 9200)
	allow("Fluentd reads pod metadata from the API server", fluentd, apiServer, 443)
	allow("Logstash writes to Elasticsearch", logstash, es, 9200)
	allow("Kibana reads Elasticsearch", kibana, es, 9200)
	allow("the setup Job configures Elasticsearch", esSetup, es, 9200)
	allow("the exporter reads Elasticsearch's cluster, node, ILM and snapshot APIs", esExporter, es, 9200)
	allow("the CA Job stores the CA in a Secret through the API server", esCA, apiServer, 443)
	allow("Elasticsearch nodes form a cluster", es, es, 9300)
	allow("applications send logs to Logstash over Beats", app, logstash, 5044)
	allow("applications send logs to Logstash over HTTP", app, logstash, 8080)
	allow("the ingress controller serves Kibana", ingress, kibana, 5601)

	// Traces: applications -> collector -> both Jaeger tiers -> Cassandra.
	allow("applications send OTLP gRPC spans to the collector", app, collector, 4317)
	allow("applications send OTLP HTTP spans to the collector", app, collector, 4318)
	allow("applications send Jaeger Thrift spans to the collector", app, collector, 14268)
	allow("the collector feeds the detailed Jaeger", collector, detailed, 4317)
	allow("the collector feeds the sampled Jaeger", collector, sampled, 4317)
	allow("the detailed Jaeger stores spans in Cassandra", detailed, cassandra, 9042)
	allow("the sampled Jaeger stores spans in Cassandra", sampled, cassandra, 9042)
	allow("the detailed schema Job creates its keyspace", schemaD, cassandra, 9042)
	allow("the sampled schema Job creates its keyspace", schemaS, cassandra, 9042)
	allow("Cassandra nodes gossip", cassandra, cassandra, 7000)
	allow("the ingress controller serves the detailed Jaeger UI", ingress, detailed, 16686)
	allow("the ingress controller serves the sampled Jaeger UI", ingress, sampled, 16686)
	allow("Prometheus scrapes the Cassandra exporter sidecar", prometheus, cassandra, 8080)
	allow("Prometheus scrapes the other replica's Thanos sidecar", prometheus, prometheus, 10902)
	deny("applications do not reach the Cassandra exporter", app, cassandra, 8080)

	for _, w := range []netpol.Endpoint{prometheus, grafana, es, collector, cassandra} {
		allow(w.Name+" resolves names", w, kubeDNS, 53, corev1.ProtocolUDP)
	}

	// Object storage: S3 over HTTPS with AWS, a volume without.
	s3 := []struct {
		who string
		ep  netpol.Endpoint
	}{{"the Thanos sidecar uploads blocks", prometheus}, {"the Store Gateway reads blocks", store},
		{"the compactor rewrites blocks", compactor}, {"Elasticsearch writes audit snapshots", es}}
	for _, s := range s3 {
		if cfg.AWS.Enabled {
			allow(s.who+" to S3", s.ep, internet, 443)
		} else {
			deny(s.who+" to no bucket on the internet (the bucket is a volume)", s.ep, internet, 443)
		}
	}

	// Selected denials: each store is reached only by its readers and
	// writers, the UIs only through the ingress, nothing else goes out.
	deny("applications do not write to Elasticsearch directly", app, es, 9200)
	deny("applications do not reach Prometheus", app, prometheus, 9090)
	deny("applications do not reach Grafana but through the ingress", app, grafana, 3000)
	deny("applications do not reach Alertmanager", app, alertmanager, 9093)
	deny("applications do not reach Cassandra", app, cassandra, 9042)
	deny("an unrelated namespace does not send spans", stranger, collector, 4317)
	deny("an unrelated namespace does not reach Grafana", stranger, grafana, 3000)
	deny("an unrelated namespace does not reach Kibana", stranger, kibana, 5601)
	deny("the ingress controller does not reach Elasticsearch", ingress, es, 9200)
	deny("the ingress controller does not reach Prometheus", ingress, prometheus, 9090)
	deny("the ingress controller does not reach Cassandra", ingress, cassandra, 9042)
	deny("Grafana does not reach the internet", grafana, internet, 443)
	deny("Grafana does not read Cassandra but through Jaeger", grafana, cassandra, 9042)
	deny("Kibana does not reach the internet", kibana, internet, 443)
	deny("Fluentd does not reach Cassandra", fluentd, cassandra, 9042)
	deny("the collector does not write to Elasticsearch", collector, es, 9200)
	deny("Jaeger does not write to Elasticsearch", detailed, es, 9200)
	deny("Alertmanager does not reach the internet on plain HTTP", alertmanager, internet, 80)
	deny("Logstash does not reach the internet", logstash, internet, 443)
	deny("Cassandra does not reach the internet", cassandra, internet, 443)
	deny("Prometheus does not reach Elasticsearch", prometheus, es, 9200)
	deny("applications do not reach the Elasticsearch exporter", app, esExporter, 9114)
	deny("applications do not reach Logstash's stats sidecar", app, logstash, 7979)
	deny("the Elasticsearch exporter does not reach the internet", esExporter, internet, 443)
	deny("the Store Gateway does not reach Prometheus", store, prometheus, 9090)
	return flows
}

func sortedKeys(m map[string]netpol.Endpoint) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Every shipped stack's NetworkPolicies, as rendered, allow every flow of
// the connectivity table and deny the flows it lists as denied.
func TestTheNetworkPoliciesHonourTheConnectivityTable(t *testing.T) {
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			flows := connectivity(t, stack)
			allowed := 0
			for _, f := range flows {
				if f.Want {
					allowed++
				}
			}
			t.Logf("%s: %d flows that must be allowed, %d that must stay denied", stack, allowed, len(flows)-allowed)
			policies, err := netpol.LoadRendered(renderDir(t, stack))
			require.NoError(t, err)
			require.NotEmpty(t, policies)
			var msgs []string
			for _, f := range netpol.Check(policies, flows) {
				msgs = append(msgs, f.Message)
			}
			if len(msgs) > 0 {
				t.Errorf("the %s stack's NetworkPolicies do not honour %d of %d flows; fix the platform's connectivity "+
					"(components/platform/connectivity.go) or, if the strategy changed, this table:\n  %s",
					stack, len(msgs), len(flows), strings.Join(msgs, "\n  "))
			}
		})
	}
}
