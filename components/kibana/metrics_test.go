package kibana_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/kibana"
	"github.com/klearkarma/observability/internal/jsonprobe/jsonprobetest"
)

func TestTheStatusSidecarMakesTheOverallLevelALabel(t *testing.T) {
	cases := map[string]struct {
		body string
		want map[string]float64
	}{
		// testdata/status-anonymous.json: what Kibana answers a request
		// without credentials when status.allowAnonymous is true.
		"the redacted answer of an available Kibana": {
			body: mustRead(t, "testdata/status-anonymous.json"),
			want: map[string]float64{`kibana_status_overall{level="available"}`: 1},
		},
		"a degraded Kibana": {
			body: `{"status": {"overall": {"level": "degraded", "summary": "1 service is degraded"}}}`,
			want: map[string]float64{`kibana_status_overall{level="degraded"}`: 1},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := jsonprobetest.Scrape(t, kibana.StatusProbe(), []byte(tc.body))
			assert.Empty(t, got.Errors)
			assert.Equal(t, tc.want, got.Series)
		})
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}
