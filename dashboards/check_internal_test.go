package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/stretchr/testify/require"
)

// TestRenderRefusesUndeclaredMetrics runs a deliberately bad dashboard through
// render, the function All uses: nothing is returned, and the error names the
// dashboard, the panel and the query.
func TestRenderRefusesUndeclaredMetrics(t *testing.T) {
	opts := Options{DatasourceUID: "thanos"}
	withQuery := func(expr string) definition {
		return definition{uid: "bad-dashboard", title: "Bad", folder: "backend", build: func(o Options) (dashboard.Dashboard, error) {
			return newDashboard("bad-dashboard", "Bad").
				WithPanel(statPanel(o, 7, "Payments", "", grid(0, 0, 6, 8)).
					WithTarget(promQuery(o, "A", `sum(rate(http_requests_total[5m]))`, "fine")).
					WithTarget(promQuery(o, "B", expr, "bad"))).
				Build()
		}}
	}
	cases := map[string]struct {
		defs    []definition
		wantErr []string
	}{
		"a query naming an undeclared metric fails, naming dashboard, panel and query": {
			defs: []definition{withQuery(`sum(increase(payments_completed_total[24h]))`)},
			wantErr: []string{
				`dashboard "bad-dashboard": panel 7 "Payments", query B:`,
				`metric "payments_completed_total" is not declared in the catalog`,
			},
		},
		"a query using a label the metric cannot carry fails": {
			defs:    []definition{withQuery(`sum by (user_id) (rate(http_requests_total[5m]))`)},
			wantErr: []string{`query B:`, `label "user_id" is not carried`},
		},
		"a builder that renames its dashboard fails: links depend on the uid": {
			defs: []definition{{uid: "business-metrics", title: "Klear Karma - Business Metrics", folder: "product",
				build: func(o Options) (dashboard.Dashboard, error) {
					return newDashboard("business-metrics-v2", "Klear Karma - Business Metrics").Build()
				}}},
			wantErr: []string{`builder set uid "business-metrics-v2"`},
		},
		"the shipped definitions pass": {
			defs: definitions,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := render(opts, tc.defs)
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				require.Len(t, out, len(tc.defs))
				return
			}
			require.Error(t, err)
			require.Nil(t, out, "nothing is returned when any query fails")
			for _, want := range tc.wantErr {
				require.ErrorContains(t, err, want)
			}
		})
	}
}
