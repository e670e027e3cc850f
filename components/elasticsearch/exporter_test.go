package elasticsearch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const exporterDeployment = "kubernetes:apps/v1:Deployment::es-exporter"

func TestTheExporter(t *testing.T) {
	rec, err := run(t, prodArgs())
	require.NoError(t, err)
	dep := rec.Object(t, exporterDeployment)
	tmpl := pulumitest.Dig(t, dep, "spec", "template").(map[string]any)
	spec := tmpl["spec"].(map[string]any)
	c := named(t, spec["containers"], elasticsearch.ExporterName)

	t.Run("one exporter for the whole cluster, at the pinned release", func(t *testing.T) {
		assert.EqualValues(t, 1, pulumitest.Dig(t, dep, "spec", "replicas"))
		assert.Equal(t, pins.ElasticsearchExporterImage, c["image"])
		assert.Subset(t, c["args"], []any{"--es.all", "--collector.clustersettings", "--collector.ilm", "--collector.slm", "--collector.snapshots"})
	})
	t.Run("it verifies the client Service with the CA Secret", func(t *testing.T) {
		assert.Contains(t, c["args"], "--es.uri=https://es.logging.svc.cluster.local:9200")
		assert.Contains(t, c["args"], "--es.ca=/etc/elasticsearch-exporter/ca/ca.crt")
		assert.Equal(t, "es-ca", pulumitest.Dig(t, named(t, spec["volumes"], "ca"), "secret", "secretName"))
	})
	t.Run("the password comes from the credentials Secret, never as a value", func(t *testing.T) {
		assert.Equal(t, elasticsearch.ExporterUser, envValue(t, c, "ES_USERNAME"))
		ref := pulumitest.Dig(t, named(t, c["env"], "ES_PASSWORD"), "valueFrom", "secretKeyRef").(map[string]any)
		assert.Equal(t, map[string]any{"name": "es-credentials", "key": elasticsearch.SecretKeyElastic}, ref)
	})
	t.Run("Prometheus' annotation job scrapes it as service elasticsearch-exporter", func(t *testing.T) {
		ann := pulumitest.Dig(t, tmpl, "metadata", "annotations").(map[string]any)
		assert.Equal(t, map[string]any{"prometheus.io/scrape": "true", "prometheus.io/port": "9114", "prometheus.io/path": "/metrics"}, ann)
		assert.Equal(t, elasticsearch.ExporterName, pulumitest.Dig(t, tmpl, "metadata", "labels", "app.kubernetes.io/name"))
	})
}
