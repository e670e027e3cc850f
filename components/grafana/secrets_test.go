package grafana_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/grafana"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const readerPassword = "reader-password-do-not-leak"

// withElasticLogs adds the two log datasources the stacks add: basic auth
// and the CA from Secrets in Grafana's namespace.
func withElasticLogs(a grafana.Args) grafana.Args {
	for _, ds := range []struct{ uid, name, index string }{
		{"logs-app", "Application logs", "logs-klearkarma.app-*"},
		{"logs-audit", "Audit logs", "logs-klearkarma.audit-*"},
	} {
		a.Content.Datasources = append(a.Content.Datasources, grafana.Datasource{
			UID: ds.uid, Name: ds.name, Type: grafana.TypeElasticsearch,
			URL:               pulumi.String("https://elasticsearch.logging.svc.cluster.local:9200"),
			JSONData:          map[string]any{"index": ds.index, "timeField": "@timestamp"},
			BasicAuthUser:     "klearkarma-grafana-reader",
			BasicAuthPassword: &grafana.SecretKey{Name: pulumi.String("elasticsearch-grafana-reader"), Key: "password"},
			CACert:            &grafana.SecretKey{Name: pulumi.String("elasticsearch-ca"), Key: "ca.crt"},
		})
	}
	return a
}

type provisioned struct {
	Datasources []struct {
		UID            string            `json:"uid"`
		URL            string            `json:"url"`
		BasicAuth      bool              `json:"basicAuth"`
		BasicAuthUser  string            `json:"basicAuthUser"`
		JSONData       map[string]any    `json:"jsonData"`
		SecureJSONData map[string]string `json:"secureJsonData"`
	} `json:"datasources"`
}

func provisionedFile(t *testing.T, m *pulumitest.Recorder) provisioned {
	t.Helper()
	var p provisioned
	require.NoError(t, yaml.Unmarshal([]byte(configMapFile(t, m, dsCM, grafana.DatasourcesFile)), &p))
	return p
}

func TestDatasourcesThatReadSecrets(t *testing.T) {
	cases := map[string]func(t *testing.T) grafana.Args{
		"offline, the log datasources are provisioned from the file with the rest": func(t *testing.T) grafana.Args { return withElasticLogs(localArgs(t)) },
		"through the API, the log datasources are still provisioned from the file": func(t *testing.T) grafana.Args { return withElasticLogs(prodArgs(t)) },
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			a := args(t)
			m, err := run(t, a)
			require.NoError(t, err)

			p := provisionedFile(t, m)
			byUID := map[string]int{}
			for i, d := range p.Datasources {
				byUID[d.UID] = i
			}
			for _, uid := range []string{"logs-app", "logs-audit"} {
				i, ok := byUID[uid]
				require.True(t, ok, "%s is in the file", uid)
				d := p.Datasources[i]
				assert.Equal(t, "https://elasticsearch.logging.svc.cluster.local:9200", d.URL)
				assert.True(t, d.BasicAuth)
				assert.Equal(t, "klearkarma-grafana-reader", d.BasicAuthUser)
				assert.Equal(t, true, d.JSONData["tlsAuthWithCACert"], "TLS is verified with the CA")
				assert.NotContains(t, d.JSONData, "tlsSkipVerify")
				assert.Equal(t, map[string]string{
					"basicAuthPassword": "$__file{/etc/grafana/datasource-secrets/" + uid + "/basic-auth-password}",
					"tlsCACert":         "$__file{/etc/grafana/datasource-secrets/" + uid + "/ca.crt}",
				}, d.SecureJSONData, "only references to the mounted files, never a value")
			}
			assert.Equal(t, "logs-klearkarma.app-*", p.Datasources[byUID["logs-app"]].JSONData["index"])
			assert.Equal(t, "logs-klearkarma.audit-*", p.Datasources[byUID["logs-audit"]].JSONData["index"])
			if a.ManagedByAPI {
				assert.Len(t, p.Datasources, 2, "through the API, only the datasources that read Secrets are in the file")
				assert.Equal(t, 3, m.CountType(dataSourceType), "the API manages thanos, logs and jaeger, not the provisioned logs-app and logs-audit")
				assert.True(t, m.Has(dataSourceType+"::gf-datasource-thanos"), "the others still go through the API")
			}

			spec := podSpec(t, m)
			var volume map[string]any
			for _, v := range spec["volumes"].([]any) {
				if v.(map[string]any)["name"] == "datasource-secrets" {
					volume = v.(map[string]any)
				}
			}
			require.NotNil(t, volume, "the Secrets are mounted")
			assert.Equal(t, float64(0o440), dig(t, volume, "projected", "defaultMode"))
			var mounted []string
			for _, s := range dig(t, volume, "projected", "sources").([]any) {
				sec := s.(map[string]any)["secret"].(map[string]any)
				item := sec["items"].([]any)[0].(map[string]any)
				mounted = append(mounted, sec["name"].(string)+":"+item["key"].(string)+"->"+item["path"].(string))
			}
			assert.ElementsMatch(t, []string{
				"elasticsearch-grafana-reader:password->logs-app/basic-auth-password", "elasticsearch-ca:ca.crt->logs-app/ca.crt",
				"elasticsearch-grafana-reader:password->logs-audit/basic-auth-password", "elasticsearch-ca:ca.crt->logs-audit/ca.crt",
			}, mounted)
			var mount map[string]any
			for _, v := range container(t, m)["volumeMounts"].([]any) {
				if v.(map[string]any)["name"] == "datasource-secrets" {
					mount = v.(map[string]any)
				}
			}
			require.NotNil(t, mount)
			assert.Equal(t, "/etc/grafana/datasource-secrets", mount["mountPath"])
			assert.Equal(t, true, mount["readOnly"])

			for _, key := range m.Keys() {
				if strings.Contains(key, "Secret::") || strings.HasPrefix(key, "pulumi:providers:") {
					continue
				}
				b, err := json.Marshal(resource.NewObjectProperty(m.Get(t, key)).Mappable())
				require.NoError(t, err)
				assert.NotContains(t, string(b), readerPassword, key)
			}
		})
	}
}

func TestADatasourceThatReadsSecretsRollsThePodWhenItChanges(t *testing.T) {
	checksum := func(a grafana.Args) any {
		m, err := run(t, a)
		require.NoError(t, err)
		return annotations(t, m)[checksumPrefix+"datasources"]
	}
	for mode, args := range map[string]func(t *testing.T) grafana.Args{"offline": localArgs, "api": prodArgs} {
		t.Run(mode, func(t *testing.T) {
			base := checksum(withElasticLogs(args(t)))
			require.NotEmpty(t, base)
			assert.Equal(t, base, checksum(withElasticLogs(args(t))))
			changed := withElasticLogs(args(t))
			changed.Content.Datasources[len(changed.Content.Datasources)-1].JSONData["index"] = "logs-klearkarma.audit-2026*"
			assert.NotEqual(t, base, checksum(changed), "a changed datasource rolls the pod")
		})
	}
}

func TestAPIModeWithoutSecretDatasourcesProvisionsNoFile(t *testing.T) {
	m, err := run(t, prodArgs(t))
	require.NoError(t, err)
	assert.Equal(t, 1, m.CountType(configMapType), "grafana.ini is the one ConfigMap")
}

func TestBadSecretDatasourcesFailBeforeAnythingIsRegistered(t *testing.T) {
	cases := map[string]struct {
		change func(d *grafana.Datasource)
		want   string
	}{
		"a basic auth user without a password": {
			change: func(d *grafana.Datasource) { d.BasicAuthPassword = nil }, want: "BasicAuthUser and BasicAuthPassword go together",
		},
		"a CA Secret without a key": {
			change: func(d *grafana.Datasource) { d.CACert.Key = "" }, want: "CACert needs the Secret's Name and a Key",
		},
		"a CA Secret without a name": {
			change: func(d *grafana.Datasource) { d.CACert.Name = nil }, want: "CACert needs the Secret's Name and a Key",
		},
		"jsonData that would skip TLS verification": {
			change: func(d *grafana.Datasource) { d.JSONData["tlsSkipVerify"] = true }, want: `jsonData key "tlsSkipVerify" is set from BasicAuthUser and CACert`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := withElasticLogs(prodArgs(t))
			tc.change(&a.Content.Datasources[len(a.Content.Datasources)-1])
			m, err := run(t, a)
			require.ErrorContains(t, err, tc.want)
			assert.Empty(t, m.Keys())
		})
	}
}
