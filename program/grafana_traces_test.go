package program_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// traceDatasource is the part of a Jaeger datasource the test reads.
type traceDatasource struct {
	UID      string `json:"uid"`
	Type     string `json:"type"`
	URL      string `json:"url"`
	JSONData struct {
		TracesToLogs struct {
			DatasourceUID string `json:"datasourceUid"`
			Query         string `json:"query"`
		} `json:"tracesToLogsV2"`
		TracesToMetrics struct {
			DatasourceUID string `json:"datasourceUid"`
		} `json:"tracesToMetrics"`
	} `json:"jsonData"`
}

// Both retention tiers are Grafana datasources, each linking to the
// application logs and the Thanos metrics: from provisioning files offline,
// through the API where the stack manages Grafana that way.
func TestBothTraceTiersAreGrafanaDatasources(t *testing.T) {
	wantURL := map[string]string{
		"traces":         "http://jaeger-detailed.tracing.svc.cluster.local:16686",
		"traces-sampled": "http://jaeger-sampled.tracing.svc.cluster.local:16686",
	}
	check := func(t *testing.T, d traceDatasource, logsQuery string) {
		assert.Equal(t, "jaeger", d.Type, d.UID)
		assert.Equal(t, wantURL[d.UID], d.URL, d.UID)
		assert.Equal(t, "logs-app", d.JSONData.TracesToLogs.DatasourceUID, d.UID)
		assert.Equal(t, logsQuery, d.JSONData.TracesToLogs.Query, d.UID)
		assert.Equal(t, "thanos", d.JSONData.TracesToMetrics.DatasourceUID, d.UID)
	}
	t.Run("local, from files", func(t *testing.T) {
		rec, err := runStack(t, "local")
		require.NoError(t, err)
		data := rec.Get(t, "kubernetes:core/v1:ConfigMap::grafana-datasources").Mappable()["data"].(map[string]any)
		var file struct{ Datasources []traceDatasource }
		require.NoError(t, yaml.Unmarshal([]byte(data["datasources.yaml"].(string)), &file))
		seen := 0
		for _, d := range file.Datasources {
			if d.Type == "jaeger" {
				// $$ is a literal $ in a provisioning file.
				check(t, d, `traceId:"$${__trace.traceId}"`)
				seen++
			}
		}
		assert.Equal(t, 2, seen)
	})
	t.Run("prod, through the API", func(t *testing.T) {
		rec, err := runStack(t, "prod")
		require.NoError(t, err)
		for uid := range wantURL {
			in := rec.Get(t, "grafana:oss/dataSource:DataSource::grafana-datasource-"+uid).Mappable()
			d := traceDatasource{UID: uid, Type: in["type"].(string), URL: in["url"].(string)}
			require.NoError(t, json.Unmarshal([]byte(in["jsonDataEncoded"].(string)), &d.JSONData))
			check(t, d, `traceId:"${__trace.traceId}"`)
		}
	})
}
