package grafana_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/grafana"
	"github.com/klearkarma/observability/internal/pulumitest"
)

// TestGoldenFiles pins the rendered configuration files, so a review shows
// exactly what Grafana reads. Run `go test ./components/grafana -update` after
// an intended change.
func TestGoldenFiles(t *testing.T) {
	for stack, args := range map[string]func(*testing.T) grafana.Args{"local": localArgs, "prod": prodArgs} {
		t.Run(stack, func(t *testing.T) {
			m, err := run(t, args(t))
			require.NoError(t, err)
			files := map[string]string{"grafana.ini": configMapFile(t, m, configCM, "grafana.ini")}
			if stack == "local" {
				files[grafana.DatasourcesFile] = configMapFile(t, m, dsCM, grafana.DatasourcesFile)
				files[grafana.ProvidersFile] = configMapFile(t, m, providersCM, grafana.ProvidersFile)
				files["application-overview.json"] = configMapFile(t, m, "kubernetes:core/v1:ConfigMap::gf-dashboards-backend", "application-overview.json")
			}
			for name, got := range files {
				pulumitest.Golden(t, filepath.Join("testdata", stack, name), []byte(got))
			}
		})
	}
}
