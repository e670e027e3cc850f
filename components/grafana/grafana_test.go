package grafana_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/grafana"
	grafanaapi "github.com/klearkarma/observability/internal/grafana"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/internal/workload"
)

// Resource keys of the component named "gf".
const (
	component   = "klearkarma:observability:Grafana::gf"
	deployment  = "kubernetes:apps/v1:Deployment::gf-deployment"
	service     = "kubernetes:core/v1:Service::gf-service"
	account     = "kubernetes:core/v1:ServiceAccount::gf-serviceaccount"
	adminSecret = "kubernetes:core/v1:Secret::gf-admin"
	configCM    = "kubernetes:core/v1:ConfigMap::gf-config"
	dsCM        = "kubernetes:core/v1:ConfigMap::gf-datasources"
	providersCM = "kubernetes:core/v1:ConfigMap::gf-dashboard-providers"
	dataPVC     = "kubernetes:core/v1:PersistentVolumeClaim::gf-data"
	ingress     = "kubernetes:networking.k8s.io/v1:Ingress::gf-ingress"
	provider    = "pulumi:providers:grafana::gf-provider"

	configMapType  = "kubernetes:core/v1:ConfigMap"
	pvcType        = "kubernetes:core/v1:PersistentVolumeClaim"
	ingressType    = "kubernetes:networking.k8s.io/v1:Ingress"
	folderType     = "grafana:oss/folder:Folder"
	dataSourceType = "grafana:oss/dataSource:DataSource"
	dashboardType  = "grafana:oss/dashboard:Dashboard"

	checksumPrefix = "checksum.observability.klearkarma.com/"
)

// Credentials distinctive enough to search everything rendered for.
const (
	adminPassword = "grafana-admin-password-do-not-leak"
	apiAuth       = "glsa_grafana-api-token-do-not-leak"
	thanosURL     = "http://thanos-query.monitoring.svc.cluster.local:9090"
)

func secret(s string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}

// model builds a dashboard the way dashboards/ does, with the foundation SDK.
func model(t *testing.T, uid, title string, tags ...string) string {
	t.Helper()
	//lint:ignore SA1019 the classic (v1) model is what Grafana 12.x, which the component pins, provisions
	b := dashboard.NewDashboardBuilder(title).Uid(uid)
	if len(tags) > 0 {
		b = b.Tags(tags)
	}
	d, err := b.Build()
	require.NoError(t, err)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return string(out)
}

// localArgs is the offline stack: no API, so everything is file-provisioned.
func localArgs(t *testing.T) grafana.Args {
	return grafana.Args{
		Namespace:     "monitoring",
		AdminPassword: secret(adminPassword),
		Content: grafana.Content{Datasources: []grafana.Datasource{
			{UID: "thanos", Name: "Thanos", Type: grafana.TypePrometheus, URL: pulumi.String(thanosURL), IsDefault: true,
				JSONData: map[string]any{"httpMethod": "POST", "timeInterval": "30s"}},
			{UID: "logs", Name: "Logs", Type: grafana.TypeElasticsearch, URL: pulumi.String("http://elasticsearch.logging.svc:9200"),
				JSONData: map[string]any{"index": "logs-*", "timeField": "@timestamp"}},
			{UID: "jaeger", Name: "Jaeger", Type: grafana.TypeJaeger, URL: pulumi.String("http://jaeger-query.tracing.svc:16686")},
		},
			Folders: []grafana.Folder{
				{UID: "backend", Title: "Backend"}, {UID: "infrastructure", Title: "Infrastructure"},
				{UID: "product", Title: "Product"}, {UID: "payments", Title: "Payments"},
			},
			Dashboards: []grafana.Dashboard{
				{UID: "application-overview", Title: "Application Overview", FolderUID: "backend", JSON: model(t, "application-overview", "Application Overview")},
				{UID: "business-metrics", Title: "Business Metrics", FolderUID: "product", JSON: model(t, "business-metrics", "Business Metrics")},
				{UID: "alerting-infrastructure", Title: "Alerting and Infrastructure", FolderUID: "infrastructure", JSON: model(t, "alerting-infrastructure", "Alerting and Infrastructure")},
				{UID: "home", Title: "Home", JSON: model(t, "home", "Home")},
			},
		},
	}
}

// prodArgs is a stack with a Grafana URL: objects go through the API
// (run adds the provider and NewContent, as the program does).
func prodArgs(t *testing.T) grafana.Args {
	a := localArgs(t)
	a.ManagedByAPI = true
	a.Ingress = &grafana.Ingress{Host: "grafana.klearkarma.com", ClassName: "nginx", TLSSecretName: "grafana-tls"}
	return a
}

// run wires the component as the program does and captures its outputs
// ("url", "externalUrl", and in API mode "folderUids").
func run(t *testing.T, args grafana.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		return newGrafana(ctx, rec, "gf", args)
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

// newGrafana is the program's wiring: the server, and in API mode a
// grafana provider that waits for it and the content through it.
func newGrafana(ctx *pulumi.Context, rec *pulumitest.Recorder, name string, args grafana.Args) error {
	g, err := grafana.New(ctx, name, args)
	if err != nil {
		return err
	}
	rec.Capture("url", g.URL)
	rec.Capture("externalUrl", g.ExternalURL)
	if !args.ManagedByAPI {
		return nil
	}
	p, err := grafanaapi.NewProvider(ctx, name+"-provider", &grafanaapi.ProviderArgs{
		Url: pulumi.String("https://grafana.klearkarma.com"), Auth: secret(apiAuth),
	}, pulumi.DependsOn(g.Serving))
	if err != nil {
		return err
	}
	c, err := grafana.NewContent(ctx, name, args.Content, pulumi.Provider(p))
	if err != nil {
		return err
	}
	rec.Capture("folderUids", c.FolderUIDs)
	return nil
}

// obj is a resource's inputs as plain values (secrecy is asserted separately).
func obj(t *testing.T, rec *pulumitest.Recorder, key string) map[string]any {
	t.Helper()
	return pulumitest.Plain(rec.Get(t, key))
}

// dig walks objects by key and arrays by index.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			mm, ok := v.(map[string]any)
			require.True(t, ok, "%v is not an object at %q", v, k)
			v = mm[k]
		case int:
			a, ok := v.([]any)
			require.True(t, ok && k < len(a), "%v has no element %d", v, k)
			v = a[k]
		}
	}
	return v
}

func podSpec(t *testing.T, m *pulumitest.Recorder) map[string]any {
	t.Helper()
	return dig(t, obj(t, m, deployment), "spec", "template", "spec").(map[string]any)
}

func container(t *testing.T, m *pulumitest.Recorder) map[string]any {
	t.Helper()
	return dig(t, podSpec(t, m), "containers", 0).(map[string]any)
}

func annotations(t *testing.T, m *pulumitest.Recorder) map[string]any {
	t.Helper()
	return dig(t, obj(t, m, deployment), "spec", "template", "metadata", "annotations").(map[string]any)
}

func configMapFile(t *testing.T, m *pulumitest.Recorder, key, file string) string {
	t.Helper()
	s, ok := dig(t, obj(t, m, key), "data", file).(string)
	require.True(t, ok, "%s has no file %s", key, file)
	return s
}

func grafanaKeys(m *pulumitest.Recorder) []string {
	var out []string
	for _, k := range m.Keys() {
		if strings.HasPrefix(k, "grafana:") || strings.HasPrefix(k, "pulumi:providers:grafana") {
			out = append(out, k)
		}
	}
	return out
}

func TestGrafana(t *testing.T) {
	cases := map[string]struct {
		args  func(t *testing.T) grafana.Args
		check func(t *testing.T, m *pulumitest.Recorder)
	}{
		"offline mode provisions datasources and dashboards from ConfigMaps and registers no grafana resources": {
			args: localArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				assert.Empty(t, grafanaKeys(m), "no provider, folder, datasource or dashboard resource offline")

				var ds struct {
					APIVersion  int              `json:"apiVersion"`
					Datasources []map[string]any `json:"datasources"`
				}
				require.NoError(t, yaml.UnmarshalStrict([]byte(configMapFile(t, m, dsCM, grafana.DatasourcesFile)), &ds))
				assert.Equal(t, 1, ds.APIVersion)
				require.Len(t, ds.Datasources, 3)
				assert.Equal(t, map[string]any{
					"orgId": 1.0, "uid": "thanos", "name": "Thanos", "type": "prometheus", "access": "proxy",
					"url": thanosURL, "isDefault": true, "editable": false,
					"jsonData": map[string]any{"httpMethod": "POST", "timeInterval": "30s"},
				}, ds.Datasources[0])
				assert.Equal(t, []any{"logs", "elasticsearch", false}, []any{ds.Datasources[1]["uid"], ds.Datasources[1]["type"], ds.Datasources[1]["isDefault"]})
				assert.Equal(t, []any{"jaeger", "jaeger", nil}, []any{ds.Datasources[2]["uid"], ds.Datasources[2]["type"], ds.Datasources[2]["jsonData"]})

				var providers struct {
					Providers []struct {
						Folder, FolderUID string
						Options           struct{ Path string }
					} `json:"providers"`
				}
				require.NoError(t, yaml.Unmarshal([]byte(configMapFile(t, m, providersCM, grafana.ProvidersFile)), &providers))
				got := map[string][2]string{}
				for _, p := range providers.Providers {
					got[p.FolderUID] = [2]string{p.Folder, p.Options.Path}
				}
				assert.Equal(t, map[string][2]string{
					"backend":        {"Backend", "/etc/grafana/dashboards/backend"},
					"infrastructure": {"Infrastructure", "/etc/grafana/dashboards/infrastructure"},
					"product":        {"Product", "/etc/grafana/dashboards/product"},
					"payments":       {"Payments", "/etc/grafana/dashboards/payments"},
					"":               {"", "/etc/grafana/dashboards/general"},
				}, got, "one provider per team folder, with the folder's uid, plus General")

				overview := configMapFile(t, m, "kubernetes:core/v1:ConfigMap::gf-dashboards-backend", "application-overview.json")
				var dash map[string]any
				require.NoError(t, json.Unmarshal([]byte(overview), &dash))
				assert.Equal(t, "application-overview", dash["uid"])
				assert.Equal(t, "Application Overview", dash["title"])
				assert.NotContains(t, dash, "id")
				assert.Equal(t, map[string]any{}, dig(t, obj(t, m, "kubernetes:core/v1:ConfigMap::gf-dashboards-payments"), "data"),
					"a team folder without dashboards still exists, empty")
				configMapFile(t, m, "kubernetes:core/v1:ConfigMap::gf-dashboards-general", "home.json")

				mounts := container(t, m)["volumeMounts"].([]any)
				for _, want := range []map[string]any{
					{"name": "datasources", "mountPath": "/etc/grafana/provisioning/datasources", "readOnly": true},
					{"name": "dashboard-providers", "mountPath": "/etc/grafana/provisioning/dashboards", "readOnly": true},
					{"name": "dashboards-backend", "mountPath": "/etc/grafana/dashboards/backend", "readOnly": true},
					{"name": "dashboards-general", "mountPath": "/etc/grafana/dashboards/general", "readOnly": true},
				} {
					assert.Contains(t, mounts, want)
				}
				ann := annotations(t, m)
				for _, k := range []string{"config", "datasources", "dashboards"} {
					assert.Len(t, ann[checksumPrefix+k], 64, "checksum of %s", k)
				}
				assert.Contains(t, podSpec(t, m)["volumes"], map[string]any{"name": "data", "emptyDir": map[string]any{}},
					"offline Grafana rebuilds everything from files, so its data is scratch")
				assert.Equal(t, 0, m.CountType(pvcType), "no claim offline")
			},
		},
		"API mode registers an explicit grafana provider with a secret auth and one folder, datasource and dashboard per input": {
			args: prodArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				p := m.Get(t, provider)
				require.True(t, p["auth"].IsSecret(), "the provider's auth is a secret")
				assert.Equal(t, apiAuth, pulumitest.Plain(p)["auth"])
				assert.Equal(t, "https://grafana.klearkarma.com", p["url"].StringValue())
				assert.Equal(t, pins.Grafana, m.RPC(t, provider).GetVersion())
				assert.Equal(t, pins.GrafanaPluginDownloadURL, m.RPC(t, provider).GetPluginDownloadURL())

				assert.Equal(t, 4, m.CountType(folderType))
				assert.Equal(t, 3, m.CountType(dataSourceType))
				assert.Equal(t, 4, m.CountType(dashboardType))
				for _, k := range grafanaKeys(m) {
					if k == provider {
						continue
					}
					assert.True(t, isURNOf(strings.TrimSuffix(m.RPC(t, k).GetProvider(), "::gf-provider-id"), provider),
						"%s goes through the explicit provider, got %q", k, m.RPC(t, k).GetProvider())
				}

				assert.Equal(t, map[string]any{"uid": "backend", "title": "Backend"}, obj(t, m, folderType+"::gf-folder-backend"))
				thanos := obj(t, m, dataSourceType+"::gf-datasource-thanos")
				assert.Equal(t, []any{"thanos", "Thanos", "prometheus", thanosURL, true, "proxy"},
					[]any{thanos["uid"], thanos["name"], thanos["type"], thanos["url"], thanos["isDefault"], thanos["accessMode"]})
				assert.JSONEq(t, `{"httpMethod":"POST","timeInterval":"30s"}`, thanos["jsonDataEncoded"].(string))
				assert.NotContains(t, obj(t, m, dataSourceType+"::gf-datasource-jaeger"), "jsonDataEncoded")

				overview := obj(t, m, dashboardType+"::gf-dashboard-application-overview")
				assert.Equal(t, "backend", overview["folder"])
				assert.Equal(t, true, overview["overwrite"])
				var dash map[string]any
				require.NoError(t, json.Unmarshal([]byte(overview["configJson"].(string)), &dash))
				assert.Equal(t, "application-overview", dash["uid"])
				assert.NotContains(t, obj(t, m, dashboardType+"::gf-dashboard-home"), "folder", "no folder means General")

				deps := m.RPC(t, provider).GetDependencies()
				for _, want := range []string{deployment, service, ingress} {
					assert.True(t, containsSuffix(deps, want), "the provider waits for %s; depends on %v", want, deps)
				}

				assert.Equal(t, 1, m.CountType(configMapType), "nothing is file-provisioned when the API manages it: grafana.ini is the one ConfigMap")
				ann := annotations(t, m)
				assert.Contains(t, ann, checksumPrefix+"config")
				assert.NotContains(t, ann, checksumPrefix+"dashboards")

				assert.Equal(t, "2Gi", dig(t, obj(t, m, dataPVC), "spec", "resources", "requests", "storage"),
					"API-managed objects live in Grafana's database, which must survive restarts")
				assert.Contains(t, podSpec(t, m)["volumes"], map[string]any{"name": "data", "persistentVolumeClaim": map[string]any{"claimName": "gf-data"}})
				assert.Equal(t, "Recreate", dig(t, obj(t, m, deployment), "spec", "strategy", "type"))
				assert.Equal(t, []string{"backend", "infrastructure", "product", "payments"}, m.Output(t, "folderUids"))
			},
		},
		"both paths send the same dashboard model and datasource settings": {
			args: localArgs,
			check: func(t *testing.T, local *pulumitest.Recorder) {
				api, err := run(t, prodArgs(t))
				require.NoError(t, err)
				for cm, uids := range map[string][]string{
					"gf-dashboards-backend": {"application-overview"}, "gf-dashboards-product": {"business-metrics"},
					"gf-dashboards-infrastructure": {"alerting-infrastructure"}, "gf-dashboards-general": {"home"},
				} {
					for _, uid := range uids {
						file := configMapFile(t, local, "kubernetes:core/v1:ConfigMap::"+cm, uid+".json")
						assert.Equal(t, file, obj(t, api, dashboardType+"::gf-dashboard-"+uid)["configJson"], uid)
					}
				}
				var ds struct{ Datasources []map[string]any }
				require.NoError(t, yaml.Unmarshal([]byte(configMapFile(t, local, dsCM, grafana.DatasourcesFile)), &ds))
				for _, file := range ds.Datasources {
					res := obj(t, api, dataSourceType+"::gf-datasource-"+file["uid"].(string))
					assert.Equal(t, []any{file["name"], file["type"], file["url"], file["isDefault"], file["access"]},
						[]any{res["name"], res["type"], res["url"], res["isDefault"], res["accessMode"]})
					if file["jsonData"] != nil {
						want, _ := json.Marshal(file["jsonData"])
						assert.JSONEq(t, string(want), res["jsonDataEncoded"].(string))
					}
				}
			},
		},
		"the admin password is secret in the Secret and appears in no ConfigMap, Deployment or provider": {
			args: prodArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				data := m.Get(t, adminSecret)["stringData"]
				require.True(t, data.IsSecret(), "the Secret's stringData is a Pulumi secret")
				assert.Equal(t, map[string]any{"admin-user": "admin", "admin-password": adminPassword}, pulumitest.Plain(resource.PropertyMap{"d": data})["d"])

				env := container(t, m)["env"].([]any)
				for _, want := range []map[string]any{
					{"name": "GF_SECURITY_ADMIN_USER", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "gf-admin", "key": "admin-user"}}},
					{"name": "GF_SECURITY_ADMIN_PASSWORD", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "gf-admin", "key": "admin-password"}}},
				} {
					assert.Contains(t, env, want)
				}
				for _, k := range m.Keys() {
					if k == adminSecret || k == provider {
						continue
					}
					props := resource.NewObjectProperty(m.Get(t, k))
					assert.False(t, props.ContainsSecrets(), "%s holds no secret", k)
					b, err := json.Marshal(pulumitest.Plain(props.ObjectValue()))
					require.NoError(t, err)
					assert.NotContains(t, string(b), adminPassword, k)
					assert.NotContains(t, string(b), apiAuth, k)
				}
			},
		},
		"offline, the admin password stays out of every ConfigMap too": {
			args: localArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				for _, k := range m.Keys() {
					if !strings.HasPrefix(k, "kubernetes:core/v1:ConfigMap::") {
						continue
					}
					props := resource.NewObjectProperty(m.Get(t, k))
					assert.False(t, props.ContainsSecrets(), k)
					b, err := json.Marshal(pulumitest.Plain(props.ObjectValue()))
					require.NoError(t, err)
					assert.NotContains(t, string(b), adminPassword, k)
				}
			},
		},
		"the pod runs as uid 10472 with a read-only root, probes /api/health, has requests and limits and is scraped": {
			args: localArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				spec := podSpec(t, m)
				assert.Equal(t, 10472.0, dig(t, spec, "securityContext", "runAsUser"))
				assert.Equal(t, true, dig(t, spec, "securityContext", "runAsNonRoot"))
				assert.Equal(t, false, spec["automountServiceAccountToken"])
				assert.Equal(t, false, obj(t, m, account)["automountServiceAccountToken"])
				c := container(t, m)
				assert.Equal(t, grafana.DefaultImage, c["image"])
				assert.True(t, strings.HasPrefix(grafana.DefaultImage, "docker.io/grafana/grafana:12."))
				assert.Equal(t, true, dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				assert.Equal(t, 3000.0, dig(t, c, "livenessProbe", "tcpSocket", "port"), "liveness only asks that Grafana listens")
				assert.Equal(t, "/api/health", dig(t, c, "readinessProbe", "httpGet", "path"))
				assert.Equal(t, 3000.0, dig(t, c, "readinessProbe", "httpGet", "port"))
				assert.Equal(t, map[string]any{"cpu": "100m", "memory": "256Mi", "ephemeral-storage": workload.DefaultEphemeralRequest}, dig(t, c, "resources", "requests"))
				assert.Equal(t, map[string]any{"cpu": "1", "memory": "1Gi", "ephemeral-storage": workload.DefaultEphemeralLimit}, dig(t, c, "resources", "limits"))
				for _, want := range []map[string]any{
					{"name": "data", "mountPath": "/var/lib/grafana", "readOnly": false},
					{"name": "tmp", "mountPath": "/tmp", "readOnly": false},
					{"name": "config", "mountPath": "/etc/grafana/config", "readOnly": true},
				} {
					assert.Contains(t, c["volumeMounts"], want)
				}
				ann := annotations(t, m)
				assert.Equal(t, "true", ann["prometheus.io/scrape"])
				assert.Equal(t, "3000", ann["prometheus.io/port"])
				assert.Equal(t, 1.0, dig(t, obj(t, m, deployment), "spec", "replicas"))
			},
		},
		"the Service maps port 80 to 3000 and the Ingress routes its host there over TLS": {
			args: prodArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				assert.Equal(t, []any{map[string]any{"name": "http", "port": 80.0, "targetPort": "http"}}, dig(t, obj(t, m, service), "spec", "ports"))
				assert.Equal(t, []any{map[string]any{"name": "http", "containerPort": 3000.0}}, container(t, m)["ports"])
				ing := obj(t, m, ingress)
				assert.Equal(t, "nginx", dig(t, ing, "spec", "ingressClassName"))
				assert.Equal(t, "grafana.klearkarma.com", dig(t, ing, "spec", "rules", 0, "host"))
				assert.Equal(t, map[string]any{"name": "gf", "port": map[string]any{"name": "http"}},
					dig(t, ing, "spec", "rules", 0, "http", "paths", 0, "backend", "service"))
				assert.Equal(t, "grafana-tls", dig(t, ing, "spec", "tls", 0, "secretName"))
				ini := configMapFile(t, m, configCM, "grafana.ini")
				assert.Contains(t, ini, "root_url = https://grafana.klearkarma.com/\n")
				assert.Contains(t, ini, "cookie_secure = true\n")
				assert.Equal(t, "http://gf.monitoring.svc.cluster.local", m.Output(t, "url"))
				assert.Equal(t, "https://grafana.klearkarma.com/", m.Output(t, "externalUrl"))
			},
		},
		"without an Ingress there is none, and the in-cluster URL is the only one": {
			args: localArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				assert.Equal(t, 0, m.CountType(ingressType))
				assert.Equal(t, "http://gf.monitoring.svc.cluster.local", m.Output(t, "url"))
				assert.Equal(t, "", m.Output(t, "externalUrl"))
				assert.NotContains(t, configMapFile(t, m, configCM, "grafana.ini"), "root_url")
			},
		},
		"objects have explicit names, the namespace and the app.kubernetes.io labels": {
			args: prodArgs,
			check: func(t *testing.T, m *pulumitest.Recorder) {
				for key, want := range map[string]string{
					deployment: "gf", service: "gf", account: "gf", adminSecret: "gf-admin", configCM: "gf-config",
					dataPVC: "gf-data", ingress: "gf",
				} {
					o := obj(t, m, key)
					assert.Equal(t, want, dig(t, o, "metadata", "name"), key)
					assert.Equal(t, "monitoring", dig(t, o, "metadata", "namespace"), key)
					assert.Equal(t, "grafana", dig(t, o, "metadata", "labels", "app.kubernetes.io/name"), key)
					assert.Equal(t, "12.4.3", dig(t, o, "metadata", "labels", "app.kubernetes.io/version"), key)
				}
				selector := dig(t, obj(t, m, deployment), "spec", "selector", "matchLabels").(map[string]any)
				assert.NotContains(t, selector, "app.kubernetes.io/version")
				assert.Equal(t, selector, dig(t, obj(t, m, service), "spec", "selector"))
				assert.True(t, m.Has(component))
			},
		},
		"a dollar sign is escaped from Grafana's file interpolation and sent to the API as written": {
			args: func(t *testing.T) grafana.Args {
				a := localArgs(t)
				a.Content.Datasources[1].JSONData = dollarJSONData()
				return a
			},
			check: func(t *testing.T, m *pulumitest.Recorder) {
				var ds struct{ Datasources []map[string]any }
				require.NoError(t, yaml.Unmarshal([]byte(configMapFile(t, m, dsCM, grafana.DatasourcesFile)), &ds))
				assert.Equal(t, "logs-$$env", dig(t, ds.Datasources[1], "jsonData", "index"))
				assert.Equal(t, "$${__from}", dig(t, ds.Datasources[1], "jsonData", "links", "query"), "nested Go maps are escaped too")

				a := prodArgs(t)
				a.Content.Datasources[1].JSONData = dollarJSONData()
				api, err := run(t, a)
				require.NoError(t, err)
				assert.JSONEq(t, `{"index":"logs-$env","links":{"query":"${__from}"}}`,
					obj(t, api, dataSourceType+"::gf-datasource-logs")["jsonDataEncoded"].(string))
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, tc.args(t))
			require.NoError(t, err)
			tc.check(t, m)
		})
	}
}

// isURNOf reports whether urn names the resource recorded as key ("type::name");
// a child's URN joins its parent's type and its own with '$'.
func isURNOf(urn, key string) bool {
	return strings.HasSuffix(urn, "$"+key) || strings.HasSuffix(urn, "::"+key)
}

func dollarJSONData() map[string]any {
	return map[string]any{"index": "logs-$env", "links": map[string]string{"query": "${__from}"}}
}

func containsSuffix(urns []string, key string) bool {
	for _, u := range urns {
		if isURNOf(u, key) {
			return true
		}
	}
	return false
}

func TestBadInputFailsBeforeAnythingIsRegistered(t *testing.T) {
	cases := map[string]struct {
		args    func(t *testing.T) grafana.Args
		wantErr []string
	}{
		"a missing admin password": {
			args:    func(t *testing.T) grafana.Args { a := localArgs(t); a.AdminPassword = nil; return a },
			wantErr: []string{"adminPassword: is required", "secret Output"},
		},
		"a dashboard whose folder uid is unknown": {
			args: func(t *testing.T) grafana.Args {
				a := localArgs(t)
				a.Content.Dashboards[0].FolderUID = "frontend"
				return a
			},
			wantErr: []string{`dashboard application-overview: folder uid "frontend" is not one of Folders`},
		},
		"a dashboard model whose uid differs from its Dashboard": {
			args: func(t *testing.T) grafana.Args {
				a := localArgs(t)
				a.Content.Dashboards[0].JSON = model(t, "other-uid", "Application Overview")
				return a
			},
			wantErr: []string{`uid other-uid differs from Dashboard's "application-overview"`},
		},
		"a dashboard that is not JSON": {
			args:    func(t *testing.T) grafana.Args { a := localArgs(t); a.Content.Dashboards[0].JSON = "{"; return a },
			wantErr: []string{"JSON is not a dashboard object"},
		},
		"two default datasources": {
			args: func(t *testing.T) grafana.Args {
				a := localArgs(t)
				a.Content.Datasources[1].IsDefault = true
				return a
			},
			wantErr: []string{"2 datasources are marked IsDefault"},
		},
		"a datasource type the component does not know, and one without a URL": {
			args: func(t *testing.T) grafana.Args {
				a := localArgs(t)
				a.Content.Datasources[2].Type = "loki"
				a.Content.Datasources[1].URL = nil
				return a
			},
			wantErr: []string{`datasource jaeger: type "loki" is not one of elasticsearch, jaeger, prometheus`, "datasource logs: a URL is required"},
		},
		"a folder uid that cannot name a ConfigMap, and Grafana's reserved one": {
			args: func(t *testing.T) grafana.Args {
				a := localArgs(t)
				a.Content.Folders = append(a.Content.Folders, grafana.Folder{UID: "Team_A", Title: "A"}, grafana.Folder{UID: "general", Title: "G"})
				return a
			},
			wantErr: []string{`uid "Team_A" must be a lower-case DNS label`, `uid "general" is reserved`},
		},
		"an Ingress host that is not a host name, and a TLS Secret that cannot be named": {
			args: func(t *testing.T) grafana.Args {
				a := prodArgs(t)
				a.Ingress = &grafana.Ingress{Host: "Grafana_Host", TLSSecretName: "TLS Secret"}
				return a
			},
			wantErr: []string{`ingress.host: "Grafana_Host" is not a host name`, `ingress.tlsSecretName: "TLS Secret" is not a Kubernetes object name`},
		},
		"an Ingress without a host": {
			args:    func(t *testing.T) grafana.Args { a := prodArgs(t); a.Ingress = &grafana.Ingress{}; return a },
			wantErr: []string{"ingress.host: is required"},
		},
		"two replicas": {
			args:    func(t *testing.T) grafana.Args { a := localArgs(t); a.Replicas = 2; return a },
			wantErr: []string{"replicas: 2 replicas cannot share state", "Fix: run 1"},
		},
		"every problem is reported at once": {
			args: func(t *testing.T) grafana.Args {
				a := prodArgs(t)
				a.Namespace, a.AdminPassword = "", nil
				a.Content.Dashboards[1].FolderUID = "nope"
				return a
			},
			wantErr: []string{"namespace: is required", "adminPassword: is required", `folder uid "nope"`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, tc.args(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `grafana "gf"`)
			for _, want := range tc.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assert.Empty(t, m.Keys(), "nothing is registered, not even the component")
		})
	}
}

func dashboardsChecksum(t *testing.T, args grafana.Args) map[string]any {
	t.Helper()
	m, err := run(t, args)
	require.NoError(t, err)
	return annotations(t, m)
}

func TestChecksums(t *testing.T) {
	base := dashboardsChecksum(t, localArgs(t))
	assert.Equal(t, base, dashboardsChecksum(t, localArgs(t)), "the same input renders the same annotations")

	changed := localArgs(t)
	changed.Content.Dashboards[1].JSON = model(t, "business-metrics", "Business Metrics", "revenue")
	after := dashboardsChecksum(t, changed)
	assert.NotEqual(t, base[checksumPrefix+"dashboards"], after[checksumPrefix+"dashboards"], "a dashboard change rolls the pod")
	assert.Equal(t, base[checksumPrefix+"datasources"], after[checksumPrefix+"datasources"], "and touches no other checksum")
	assert.Equal(t, base[checksumPrefix+"config"], after[checksumPrefix+"config"])

	moved := localArgs(t)
	moved.Content.Dashboards[1].FolderUID = "payments"
	assert.NotEqual(t, base[checksumPrefix+"dashboards"], dashboardsChecksum(t, moved)[checksumPrefix+"dashboards"], "so does moving one to another folder")

	ds := localArgs(t)
	ds.Content.Datasources[0].URL = pulumi.String("http://thanos-query.other.svc:9090")
	afterDS := dashboardsChecksum(t, ds)
	assert.NotEqual(t, base[checksumPrefix+"datasources"], afterDS[checksumPrefix+"datasources"], "a datasource change rolls the pod")
	assert.Equal(t, base[checksumPrefix+"dashboards"], afterDS[checksumPrefix+"dashboards"])
}

func TestTwoGrafanasInOneProgramDoNotCollide(t *testing.T) {
	m := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		for _, n := range []string{"gf", "gf2"} {
			if err := newGrafana(ctx, m, n, prodArgs(t)); err != nil {
				return err
			}
		}
		return nil
	}, pulumi.WithMocks("observability", "test", m))
	require.NoError(t, err)
	assert.True(t, m.Has("pulumi:providers:grafana::gf2-provider"))
	assert.True(t, m.Has(dashboardType+"::gf2-dashboard-home"))
	assert.Equal(t, 2, m.CountType("kubernetes:apps/v1:Deployment"))
}
