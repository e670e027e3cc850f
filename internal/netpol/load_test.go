package netpol_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	networkingv1 "k8s.io/api/networking/v1"

	"github.com/klearkarma/observability/internal/netpol"
)

const rendered = "testdata/rendered"

func TestLoadRendered(t *testing.T) {
	policies, err := netpol.LoadRendered(rendered)
	require.NoError(t, err)

	var ids []string
	for _, p := range policies {
		ids = append(ids, p.Namespace+"/"+p.Name)
	}
	assert.Equal(t, []string{
		"logging/allow-dns", "logging/allow-observability-platform", "logging/default-deny-all",
		"monitoring/allow-dns", "monitoring/allow-external-egress", "monitoring/allow-observability-platform", "monitoring/default-deny-all",
	}, ids, "every NetworkPolicy of the tree, sorted by namespace/name")

	external := policies[4]
	require.Len(t, external.Spec.Egress, 1)
	assert.Equal(t, []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}, external.Spec.PolicyTypes)
	assert.Equal(t, &networkingv1.IPBlock{CIDR: "0.0.0.0/0", Except: []string{"10.0.0.0/8"}}, external.Spec.Egress[0].To[0].IPBlock)
	assert.Equal(t, int32(587), external.Spec.Egress[0].Ports[1].Port.IntVal)
	assert.NoError(t, netpol.Validate(policies))
}

func TestLoadErrorsSayWhatIsWrong(t *testing.T) {
	cases := map[string]struct {
		dir     func(t *testing.T) string
		wantErr []string
	}{
		"a field the NetworkPolicy type does not know fails instead of reading as no rule": {
			dir:     func(*testing.T) string { return "testdata/strict" },
			wantErr: []string{"NetworkPolicy monitoring/allow-grafana", "1-manifest/networking.k8s.io_v1-networkpolicy-monitoring-allow-grafana.yaml", `unknown field "ingres"`},
		},
		"a YAML document that is not a Kubernetes object fails": {
			dir:     func(*testing.T) string { return "testdata/notobject" },
			wantErr: []string{"values.yaml: document 1 is not a Kubernetes object"},
		},
		"a directory without objects says to render first": {
			dir:     func(t *testing.T) string { return t.TempDir() },
			wantErr: []string{"no YAML objects found: render the stack first"},
		},
		"a directory that does not exist fails with its name": {
			dir:     func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing") },
			wantErr: []string{"load rendered objects from", "missing"},
		},
		"a NetworkPolicy of another API version fails": {
			dir: func(t *testing.T) string {
				d := t.TempDir()
				writeFile(t, filepath.Join(d, "extensions_v1beta1-networkpolicy-a-b.yaml"), "apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: b\n  namespace: a\n")
				return d
			},
			wantErr: []string{"NetworkPolicy must be networking.k8s.io/v1"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := netpol.LoadRendered(tc.dir(t))
			require.Error(t, err)
			for _, w := range tc.wantErr {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
}

func TestLoadObjects(t *testing.T) {
	objs, err := netpol.LoadObjects(rendered)
	require.NoError(t, err)
	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.Kind]++
	}
	assert.Equal(t, map[string]int{
		"CustomResourceDefinition": 1, "Namespace": 2, "NetworkPolicy": 7, "StatefulSet": 2, "DaemonSet": 1,
		"CronJob": 1, "Service": 1, "ConfigMap": 1,
	}, kinds, "both 0-crd/ and 1-manifest/ are read")
	assert.Equal(t, "0-crd/apiextensions.k8s.io_v1-customresourcedefinition-servicemonitors.monitoring.coreos.com.yaml", objs[0].Path, "objects come sorted by path")

	for _, o := range objs {
		if o.Kind == "ConfigMap" {
			data := o.Fields["data"].(map[string]any)["prometheus.yml"].(string)
			assert.Contains(t, data, "---\n# a document separator", "an indented --- inside a block scalar is data")
		}
	}

	t.Run("several documents in one file are several objects", func(t *testing.T) {
		d := t.TempDir()
		writeFile(t, filepath.Join(d, "multi.yaml"), "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n# nothing\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n")
		objs, err := netpol.LoadObjects(d)
		require.NoError(t, err)
		require.Len(t, objs, 2)
		assert.Equal(t, "a", objs[0].Name)
		assert.Equal(t, "b", objs[1].Name)
	})

	ns, err := netpol.Namespaces(objs)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "observability",
		"observability.klearkarma.com/platform": "true", "pod-security.kubernetes.io/enforce": "privileged",
		"kubernetes.io/metadata.name": "monitoring",
	}, ns["monitoring"])
}

func TestEndpointsFromWorkloads(t *testing.T) {
	objs, err := netpol.LoadObjects(rendered)
	require.NoError(t, err)
	eps, err := netpol.EndpointsFromWorkloads(objs)
	require.NoError(t, err)

	var keys []string
	for k := range eps {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"monitoring/prometheus", "monitoring/node-exporter", "logging/elasticsearch", "logging/curator"}, keys,
		"one endpoint per workload; Services and ConfigMaps run no pods")

	prom := eps["monitoring/prometheus"]
	assert.Equal(t, "monitoring", prom.Namespace)
	assert.Equal(t, "true", prom.NamespaceLabels["observability.klearkarma.com/platform"], "namespace labels come from the rendered Namespace")
	assert.Equal(t, "prometheus", prom.Labels["app.kubernetes.io/name"], "labels are the pod template's")
	assert.NotContains(t, prom.Labels, "app.kubernetes.io/managed-by", "the workload's own labels are not the pods'")
	assert.Equal(t, map[string]netpol.ContainerPort{
		"web": {Port: 9090, Protocol: "TCP"}, "grpc": {Port: 10901, Protocol: "TCP"}, "http-sidecar": {Port: 10902, Protocol: "TCP"},
	}, prom.Ports, "named ports of every container")
	assert.False(t, prom.HostNetwork)

	assert.True(t, eps["monitoring/node-exporter"].HostNetwork)
	assert.Equal(t, "curator", eps["logging/curator"].Labels["app.kubernetes.io/name"], "a CronJob's pods come from its job template")

	t.Run("two containers naming one port differently are refused", func(t *testing.T) {
		d := t.TempDir()
		writeFile(t, filepath.Join(d, "apps_v1-deployment-a-x.yaml"), strings.Join([]string{
			"apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: x", "  namespace: a", "spec:",
			"  selector: {matchLabels: {app: x}}", "  template:", "    metadata: {labels: {app: x}}", "    spec:", "      containers:",
			"      - {name: one, ports: [{name: http, containerPort: 80}]}",
			"      - {name: two, ports: [{name: http, containerPort: 8080}]}",
		}, "\n"))
		objs, err := netpol.LoadObjects(d)
		require.NoError(t, err)
		_, err = netpol.EndpointsFromWorkloads(objs)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `container "two" names port "http" again with TCP/8080 (already TCP/80)`)
	})
}

// The fixture is shaped like the platform's fence; this proves the loaders
// and the evaluator fit together on it.
func TestRenderedFixtureTable(t *testing.T) {
	objs, err := netpol.LoadObjects(rendered)
	require.NoError(t, err)
	policies, err := netpol.NetworkPolicies(objs)
	require.NoError(t, err)
	eps, err := netpol.EndpointsFromWorkloads(objs)
	require.NoError(t, err)

	prom := eps["monitoring/prometheus"]
	es := eps["logging/elasticsearch"]
	nodeExporter := eps["monitoring/node-exporter"].WithIP("10.0.0.5")
	kubeDNS := netpol.Endpoint{Name: "kube-dns", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}}
	shop := netpol.Endpoint{Name: "shop", Namespace: "apps", Labels: map[string]string{"app": "shop"}}

	failures := netpol.Check(policies, []netpol.Flow{
		{Name: "Prometheus queries Elasticsearch across platform namespaces", From: prom, To: es, Port: 9200, Want: true},
		{Name: "Prometheus resolves names over UDP", From: prom, To: kubeDNS, Port: 53, Protocol: "UDP", Want: true},
		{Name: "Prometheus reaches HTTPS on the internet", From: prom, To: netpol.External("s3", "52.216.8.1"), Port: 443, Want: true},
		{Name: "Elasticsearch reaches no HTTPS on the internet", From: es, To: netpol.External("s3", "52.216.8.1"), Port: 443, Want: false},
		{Name: "Prometheus reaches no private address through the external egress", From: prom, To: netpol.External("vpc", "10.20.0.1"), Port: 443, Want: false},
		{Name: "Prometheus cannot scrape the hostNetwork node exporter: no ipBlock holds the node", From: prom, To: nodeExporter, Port: 9100, Want: false},
		{Name: "an application pod cannot reach Elasticsearch", From: shop, To: es, Port: 9200, Want: false},
		{Name: "Elasticsearch cannot reach an application pod", From: es, To: shop, Port: 8080, Want: false},
	})
	for _, f := range failures {
		t.Error(f)
	}
}
