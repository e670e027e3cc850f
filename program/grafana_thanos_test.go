package program_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// Grafana's Thanos datasource asks Thanos Query to pick the resolution
// (max_source_resolution=auto, step/5) on every query, so a dashboard over a
// range older than the raw retention reads the 1h blocks. Without it a
// query reads raw data unless Query itself downsamples by default.
func TestGrafanasThanosDatasourceLetsQueryPickTheDownsampledResolution(t *testing.T) {
	t.Run("local provisions it from a file", func(t *testing.T) {
		rec, err := runStack(t, "local")
		require.NoError(t, err)
		data := rec.Get(t, "kubernetes:core/v1:ConfigMap::grafana-datasources").Mappable()["data"].(map[string]any)
		var file struct {
			Datasources []struct {
				UID      string         `json:"uid"`
				JSONData map[string]any `json:"jsonData"`
			} `json:"datasources"`
		}
		require.NoError(t, yaml.Unmarshal([]byte(data["datasources.yaml"].(string)), &file))
		for _, d := range file.Datasources {
			if d.UID == "thanos" {
				assert.Equal(t, "max_source_resolution=auto", d.JSONData["customQueryParameters"])
				return
			}
		}
		t.Fatal("no thanos datasource")
	})
	t.Run("prod creates it through Grafana's API", func(t *testing.T) {
		rec, err := runStack(t, "prod")
		require.NoError(t, err)
		ds := rec.Get(t, "grafana:oss/dataSource:DataSource::grafana-datasource-thanos").Mappable()
		encoded, _ := ds["jsonDataEncoded"].(string)
		require.NotEmpty(t, encoded, "the datasource has jsonData")
		var jsonData map[string]any
		require.NoError(t, json.Unmarshal([]byte(encoded), &jsonData))
		assert.Equal(t, "max_source_resolution=auto", jsonData["customQueryParameters"])
	})
}
