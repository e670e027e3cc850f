package program_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// Every stack gives Grafana the application and audit log data streams,
// read with Grafana's own read-only user over TLS verified with the
// Elasticsearch CA, file-provisioned even where the API manages the rest.
func TestEveryStackGivesGrafanaTheLogDataStreams(t *testing.T) {
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := runStack(t, stack)
			require.NoError(t, err)

			data := rec.Get(t, "kubernetes:core/v1:ConfigMap::grafana-datasources").Mappable()["data"].(map[string]any)
			var file struct {
				Datasources []struct {
					UID            string            `json:"uid"`
					Type           string            `json:"type"`
					URL            string            `json:"url"`
					BasicAuthUser  string            `json:"basicAuthUser"`
					JSONData       map[string]any    `json:"jsonData"`
					SecureJSONData map[string]string `json:"secureJsonData"`
				} `json:"datasources"`
			}
			require.NoError(t, yaml.Unmarshal([]byte(data["datasources.yaml"].(string)), &file))
			indices := map[string]any{}
			for _, d := range file.Datasources {
				if d.Type != "elasticsearch" {
					continue
				}
				indices[d.UID] = d.JSONData["index"]
				assert.Equal(t, "https://elasticsearch.logging.svc.cluster.local:9200", d.URL, d.UID)
				assert.Equal(t, "klearkarma-grafana-reader", d.BasicAuthUser, d.UID)
				assert.Equal(t, true, d.JSONData["tlsAuthWithCACert"], d.UID)
				for k, v := range d.SecureJSONData {
					assert.True(t, strings.HasPrefix(v, "$__file{/etc/grafana/datasource-secrets/"), "%s %s refers to a mounted Secret", d.UID, k)
				}
			}
			assert.Equal(t, map[string]any{"logs-app": "logs-klearkarma.app-*", "logs-audit": "logs-klearkarma.audit-*"}, indices)
			for _, uid := range []string{"logs-app", "logs-audit"} {
				assert.False(t, rec.Has("grafana:oss/dataSource:DataSource::grafana-datasource-"+uid), "the API leaves %s alone", uid)
			}

			reader := rec.Get(t, "kubernetes:core/v1:Secret::elasticsearch-grafana-reader").Mappable()
			assert.Equal(t, "monitoring", reader["metadata"].(map[string]any)["namespace"], "next to Grafana")
			setup := rec.Get(t, "kubernetes:core/v1:ConfigMap::elasticsearch-setup").Mappable()["data"].(map[string]any)
			assert.Contains(t, setup, "51-role-grafana-reader.json")
		})
	}
}
