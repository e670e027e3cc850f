package blackbox_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const apiURL = "http://klear-karma-api.klear-karma.svc.cluster.local:3000"

func TestCheckTargets(t *testing.T) {
	cases := map[string]struct {
		targets []blackbox.Target
		want    []string // field: problem fragments; empty means accepted
	}{
		"a service with a team and a base URL is accepted": {
			targets: []blackbox.Target{{Service: "klear-karma-api", Team: "backend", URL: apiURL}},
		},
		"every problem is reported with its field": {
			targets: []blackbox.Target{
				{Service: "Api", Team: "frontend", URL: "klear-karma-api:3000", Endpoints: []string{"/healthz", "/live", "/live"}},
				{Service: "web", Team: "product", URL: apiURL + "/health"},
			},
			want: []string{"[0].service", "[0].team", "[0].url", "[0].endpoints[0]", "[0].endpoints[2]", "[1].url"},
		},
		"a service listed twice is refused": {
			targets: []blackbox.Target{{Service: "api", Team: "backend", URL: apiURL}, {Service: "api", Team: "backend", URL: apiURL}},
			want:    []string{"[1].service"},
		},
		"a URL with credentials is refused": {
			targets: []blackbox.Target{{Service: "api", Team: "backend", URL: "http://u:p@api:3000"}},
			want:    []string{"[0].url"},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc struct {
		targets []blackbox.Target
		want    []string
	}) {
		ps := blackbox.CheckTargets(tc.targets)
		var fields []string
		for _, p := range ps {
			fields = append(fields, p.Field)
			assert.NotEmpty(t, p.Fix, p.Field)
		}
		assert.Equal(t, tc.want, fields, ps.Err())
	})
}

func TestProbesListEveryEndpointWithItsModules(t *testing.T) {
	probes := blackbox.Probes([]blackbox.Target{
		{Service: "klear-karma-api", Team: "backend", URL: apiURL + "/"},
		{Service: "web", Team: "product", URL: "https://www.klearkarma.com", Endpoints: []string{"/live"}},
	})
	var got []string
	for _, p := range probes {
		got = append(got, strings.Join([]string{p.Service, p.Team, p.Endpoint, p.Module, p.URL}, " "))
	}
	require.Equal(t, []string{
		"klear-karma-api backend /live http_2xx " + apiURL + "/live",
		"klear-karma-api backend /ready http_2xx " + apiURL + "/ready",
		"klear-karma-api backend /health http_2xx " + apiURL + "/health",
		"klear-karma-api backend /health/detailed http_health_available " + apiURL + "/health/detailed",
		"klear-karma-api backend /health/detailed http_health_healthy " + apiURL + "/health/detailed",
		"web product /live http_2xx https://www.klearkarma.com/live",
	}, got)
}
