package dashboards_test

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/dashboards"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/rules"
)

// allUIDs are the shipped dashboards, sorted.
var allUIDs = []string{"alerting-pipeline", "application-overview", "business-metrics", "cluster-overview",
	"logging-pipeline", "metrics-pipeline", "slo", "tracing-pipeline"}

// testOptions name the datasource Grafana will have: Thanos Query, uid "thanos".
var testOptions = dashboards.Options{DatasourceUID: "thanos"}

func init() {
	// The SDK decodes panel options and queries through the variants
	// registered for their type; these are the ones the dashboards use.
	rt := cog.NewRuntime()
	rt.RegisterPanelcfgVariant(stat.VariantConfig())
	rt.RegisterPanelcfgVariant(timeseries.VariantConfig())
	rt.RegisterPanelcfgVariant(bargauge.VariantConfig())
	rt.RegisterDataqueryVariant(prometheus.VariantConfig())
}

func mustAll(t *testing.T, opts dashboards.Options) []dashboards.Dashboard {
	t.Helper()
	all, err := dashboards.All(opts)
	require.NoError(t, err)
	return all
}

// decode reads a rendered dashboard back into the SDK's type.
func decode(t *testing.T, d dashboards.Dashboard) dashboard.Dashboard {
	t.Helper()
	var out dashboard.Dashboard
	require.NoError(t, json.Unmarshal([]byte(d.JSON), &out), d.UID)
	return out
}

func byUID(t *testing.T, all []dashboards.Dashboard, uid string) dashboards.Dashboard {
	t.Helper()
	for _, d := range all {
		if d.UID == uid {
			return d
		}
	}
	t.Fatalf("no dashboard with uid %q", uid)
	return dashboards.Dashboard{}
}

// checkEach runs every query through rules.CheckQuery and returns one error
// per failing query, naming the dashboard. The catalog test and the
// deliberately bad queries below go through this same function.
func checkEach(queries map[string][]string) []error {
	var errs []error
	uids := make([]string, 0, len(queries))
	for uid := range queries {
		uids = append(uids, uid)
	}
	slices.Sort(uids)
	for _, uid := range uids {
		for i, q := range queries[uid] {
			if err := rules.CheckQuery(q); err != nil {
				errs = append(errs, fmt.Errorf("%s query %d: %w", uid, i, err))
			}
		}
	}
	return errs
}

func TestEveryQueryIsDeclaredInTheCatalog(t *testing.T) {
	queries, err := dashboards.Queries(testOptions)
	require.NoError(t, err)
	require.ElementsMatch(t, allUIDs, slices.Collect(maps.Keys(queries)))
	total := 0
	for uid, qs := range queries {
		require.NotEmpty(t, qs, uid)
		total += len(qs)
	}
	require.Empty(t, checkEach(queries), "every dashboard query must parse and use only declared metrics and labels")
	t.Logf("%d queries in %d dashboards checked against the catalog", total, len(queries))
}

func TestTheCatalogCheckRejectsBadQueries(t *testing.T) {
	cases := map[string]struct {
		expr    string
		wantErr string
	}{
		"the seed's payments_completed_total is undeclared: the catalog made it payment_attempts_total{status=\"succeeded\"}": {
			expr:    `sum(increase(payments_completed_total[24h]))`,
			wantErr: `metric "payments_completed_total" is not declared in the catalog`,
		},
		"the seed's DAU query needs a user_id label, which nothing may carry": {
			expr:    `count(count by (user_id) (increase(user_sessions_total[24h])))`,
			wantErr: `metric "user_sessions_total" is not declared in the catalog`,
		},
		"ALERTS carries the rules' team and severity, not the label of a rule's series it cannot know": {
			expr:    `count by (team, payment_method) (ALERTS{alertstate="firing"})`,
			wantErr: `label "payment_method" is not carried`,
		},
		"the Thanos sidecar's upload failures are not declared, which is why there is no panel for them": {
			expr:    `sum(increase(thanos_shipper_upload_failures_total[1h]))`,
			wantErr: `metric "thanos_shipper_upload_failures_total" is not declared in the catalog`,
		},
		"a label the metric cannot carry is rejected": {
			expr:    `sum by (practitioner_id) (increase(bookings_created_total[1h]))`,
			wantErr: `label "practitioner_id" is not carried`,
		},
		"a query that does not parse is rejected": {
			expr:    `sum(rate(http_requests_total[5m])`,
			wantErr: `parse PromQL`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			errs := checkEach(map[string][]string{"bad-dashboard": {tc.expr}})
			require.Len(t, errs, 1)
			require.ErrorContains(t, errs[0], "bad-dashboard query 0")
			require.ErrorContains(t, errs[0], tc.wantErr)
		})
	}
}

func TestGoldenFiles(t *testing.T) {
	all := mustAll(t, testOptions)
	want := map[string]bool{}
	for _, d := range all {
		path := filepath.Join("testdata", d.UID+".json")
		want[filepath.Base(path)] = true
		pulumitest.Golden(t, path, []byte(d.JSON))
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		require.True(t, want[filepath.Base(f)], "%s has no dashboard any more: delete it", f)
	}
}

func TestIdentity(t *testing.T) {
	all := mustAll(t, testOptions)
	cases := map[string]struct {
		uid, title, folder string
	}{
		"the application overview keeps the uid the backend team bookmarks, in the backend folder": {
			uid: "application-overview", title: "Klear Karma - Application Overview", folder: string(conventions.TeamBackend),
		},
		"business metrics keeps the uid the product team's alert emails link to, in the product folder": {
			uid: "business-metrics", title: "Klear Karma - Business Metrics", folder: string(conventions.TeamProduct),
		},
		"the cluster overview is in the infrastructure folder": {
			uid: "cluster-overview", title: "Klear Karma - Cluster Overview", folder: string(conventions.TeamInfrastructure),
		},
		"the metrics pipeline is in the infrastructure folder": {
			uid: "metrics-pipeline", title: "Klear Karma - Metrics Pipeline", folder: string(conventions.TeamInfrastructure),
		},
		"the alerting pipeline is in the infrastructure folder": {
			uid: "alerting-pipeline", title: "Klear Karma - Alerting Pipeline", folder: string(conventions.TeamInfrastructure),
		},
		"the logging pipeline is in the infrastructure folder": {
			uid: "logging-pipeline", title: "Klear Karma - Logging Pipeline", folder: string(conventions.TeamInfrastructure),
		},
		"the tracing pipeline is in the infrastructure folder": {
			uid: "tracing-pipeline", title: "Klear Karma - Tracing Pipeline", folder: string(conventions.TeamInfrastructure),
		},
		"the SLO dashboard is in the backend folder, which owns three of the five SLOs": {
			uid: "slo", title: "Klear Karma - SLOs", folder: string(conventions.TeamBackend),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := byUID(t, all, tc.uid)
			require.Equal(t, tc.title, d.Title)
			require.Equal(t, tc.folder, d.Folder)
			model := decode(t, d)
			require.Equal(t, tc.uid, *model.Uid)
			require.Equal(t, tc.title, *model.Title)
			require.Contains(t, model.Tags, dashboards.Tag)
			require.Nil(t, model.Id, "an id is Grafana's per instance: leave it out so provisioning matches on uid")
			require.Nil(t, model.Version, "the version is Grafana's to count")
		})
	}
	t.Run("uids are unique, sorted, and there are exactly eight dashboards", func(t *testing.T) {
		var uids []string
		for _, d := range all {
			uids = append(uids, d.UID)
		}
		require.Equal(t, allUIDs, uids)
	})
}

func TestDeterministicJSON(t *testing.T) {
	first, second := mustAll(t, testOptions), mustAll(t, testOptions)
	require.Equal(t, first, second, "two builds must give the same bytes, or every deployment shows a diff")
	for _, d := range first {
		require.True(t, strings.HasSuffix(d.JSON, "\n"), d.UID)
		require.Contains(t, d.JSON, "\n  \"annotations\": ", "two-space indent, keys sorted")
		require.NotContains(t, d.JSON, `\u003e`, "PromQL keeps its '>' unescaped")
		require.True(t, keysSorted(t, []byte(d.JSON)), "%s: object keys must be sorted", d.UID)
	}
}

// keysSorted walks the JSON tokens and reports whether every object's keys
// appear in sorted order.
func keysSorted(t *testing.T, raw []byte) bool {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	type frame struct {
		object  bool
		lastKey string
		expect  bool // next string token in an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		require.NoError(t, err)
		top := func() *frame {
			if len(stack) == 0 {
				return nil
			}
			return stack[len(stack)-1]
		}
		value := func() {
			if f := top(); f != nil && f.object {
				f.expect = true
			}
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, expect: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				value()
			}
		case string:
			if f := top(); f != nil && f.object && f.expect {
				if f.lastKey != "" && v < f.lastKey {
					t.Logf("key %q after %q", v, f.lastKey)
					return false
				}
				f.lastKey, f.expect = v, false
				continue
			}
			value()
		default:
			value()
		}
	}
}

func TestJSONRoundTripsThroughTheSDK(t *testing.T) {
	for _, d := range mustAll(t, testOptions) {
		t.Run(d.UID, func(t *testing.T) {
			model := decode(t, d)
			var strict dashboard.Dashboard
			// The strict decoder refuses unknown or mistyped fields. At
			// v0.0.22 it returns its error list even when empty (a non-nil
			// error holding cog.BuildErrors(nil)), so the list is what counts.
			err := strict.UnmarshalJSONStrict([]byte(d.JSON))
			var buildErrs cog.BuildErrors
			if errors.As(err, &buildErrs) {
				require.Empty(t, buildErrs, "strict decoding: %v", err)
			} else {
				require.NoError(t, err, "strict decoding")
			}
			t.Run("the strict decoder is not a no-op: it refuses an unknown field", func(t *testing.T) {
				var strict dashboard.Dashboard
				bad := strings.Replace(d.JSON, `"schemaVersion"`, `"unknownField": 1, "schemaVersion"`, 1)
				var buildErrs cog.BuildErrors
				require.ErrorAs(t, strict.UnmarshalJSONStrict([]byte(bad)), &buildErrs)
				require.NotEmpty(t, buildErrs)
			})
			again, err := json.Marshal(model)
			require.NoError(t, err)
			require.JSONEq(t, d.JSON, string(again), "decoding and encoding again loses or changes nothing")
			for _, p := range model.Panels {
				require.NotNil(t, p.Panel, "no rows")
				for _, q := range p.Panel.Targets {
					_, ok := q.(*prometheus.Dataquery)
					require.True(t, ok, "panel %q: every query decodes as a Prometheus query", *p.Panel.Title)
				}
			}
		})
	}
}

func TestPanels(t *testing.T) {
	opts := dashboards.Options{DatasourceUID: "some-prometheus"}
	for _, d := range mustAll(t, opts) {
		t.Run(d.UID+": panel ids are unique, every panel and query uses the given datasource, and panels fit the grid without overlapping", func(t *testing.T) {
			model := decode(t, d)
			require.NotContains(t, d.JSON, `"thanos"`, "the datasource uid comes from the options only")
			ids := map[uint32]bool{}
			var cells [][24]bool
			for _, p := range model.Panels {
				panel := p.Panel
				title := *panel.Title
				require.NotNil(t, panel.Id, title)
				require.False(t, ids[*panel.Id], "panel id %d used twice", *panel.Id)
				ids[*panel.Id] = true
				require.Equal(t, "prometheus", *panel.Datasource.Type, title)
				require.Equal(t, opts.DatasourceUID, *panel.Datasource.Uid, title)
				require.NotEmpty(t, panel.Targets, title)
				refs := map[string]bool{}
				for _, target := range panel.Targets {
					q := target.(*prometheus.Dataquery)
					require.Equal(t, opts.DatasourceUID, *q.Datasource.Uid, title)
					require.False(t, refs[*q.RefId], "%s: refId %s used twice", title, *q.RefId)
					refs[*q.RefId] = true
				}
				g := panel.GridPos
				require.LessOrEqual(t, g.X+g.W, uint32(24), "%s is wider than the grid", title)
				require.NotZero(t, g.W*g.H, title)
				for y := g.Y; y < g.Y+g.H; y++ {
					for len(cells) <= int(y) {
						cells = append(cells, [24]bool{})
					}
					for x := g.X; x < g.X+g.W; x++ {
						require.False(t, cells[y][x], "%s overlaps another panel at x=%d y=%d", title, x, y)
						cells[y][x] = true
					}
				}
			}
		})
	}
}

// seedPanel is what the monitoring strategy's dashboard JSON fixes for a
// panel; thresholds are the steps above the base colour.
type seedPanel struct {
	title, kind, unit string
	grid              dashboard.GridPos
	steps             []float64
	exprs             []string
}

func TestApplicationOverviewKeepsTheSeedsPanels(t *testing.T) {
	d := byUID(t, mustAll(t, testOptions), "application-overview")
	model := decode(t, d)
	require.Equal(t, "now-1h", model.Time.From)
	require.Equal(t, "30s", *model.Refresh, "the seed's 5s refresh re-read the same samples six times per 30s scrape")
	want := map[uint32]seedPanel{
		1: {title: "Request Rate", kind: "stat", unit: "reqps", grid: grid(0, 0, 6, 8), steps: []float64{100, 500},
			exprs: []string{`sum(namespace_service:http_requests:rate5m)`}},
		2: {title: "Error Rate", kind: "stat", unit: "percentunit", grid: grid(6, 0, 6, 8), steps: []float64{0.01, 0.05},
			exprs: []string{`sum(namespace_service:http_requests_5xx:rate5m) / (sum(namespace_service:http_requests:rate5m) > 0)`}},
		3: {title: "Response Time (95th percentile)", kind: "stat", unit: "s", grid: grid(12, 0, 6, 8), steps: []float64{1, 2},
			exprs: []string{`histogram_quantile(0.95, sum by (le) (namespace_service_le:http_request_duration_seconds_bucket:rate5m))`}},
		4: {title: "Active Users", kind: "stat", unit: "short", grid: grid(18, 0, 6, 8),
			exprs: []string{`max by (namespace) (active_sessions)`}},
		5: {title: "Request Rate by Endpoint", kind: "timeseries", unit: "reqps", grid: grid(0, 8, 12, 8),
			exprs: []string{`sum by (endpoint) (rate(http_requests_total[5m]))`}},
		6: {title: "Database Query Performance", kind: "timeseries", unit: "s", grid: grid(12, 8, 12, 8),
			exprs: []string{
				`histogram_quantile(0.95, sum by (le, query_type) (rate(database_query_duration_seconds_bucket[5m])))`,
				`histogram_quantile(0.5, sum by (le, query_type) (rate(database_query_duration_seconds_bucket[5m])))`,
			}},
		// Not in the seed: the health endpoints the seed's applications
		// expose, probed by the blackbox exporter.
		7: {title: "Health Endpoints", kind: "stat", unit: "short", grid: grid(0, 16, 24, 6), steps: []float64{0.5, 1},
			exprs: []string{`avg by (service, endpoint) (probe_success{job="blackbox"})`}},
	}
	requirePanels(t, model, want)
}

func TestBusinessMetricsFollowsTheCatalogsDecisions(t *testing.T) {
	d := byUID(t, mustAll(t, testOptions), "business-metrics")
	model := decode(t, d)
	want := map[uint32]seedPanel{
		1: {title: "Daily Active Users", kind: "stat", unit: "short", grid: grid(0, 0, 6, 8),
			exprs: []string{`max by (namespace) (daily_active_users)`}},
		2: {title: "Bookings Created", kind: "timeseries", unit: "short", grid: grid(6, 0, 18, 8),
			exprs: []string{`sum by (service_type) (namespace_service_type:bookings_created:increase1h)`}},
		3: {title: "Revenue", kind: "timeseries", unit: "short", grid: grid(0, 8, 12, 8),
			exprs: []string{`sum by (currency) (namespace_currency:revenue:increase1h)`}},
		4: {title: "Conversion Funnel", kind: "bargauge", unit: "short", grid: grid(12, 8, 12, 8),
			exprs: []string{
				`sum(increase(user_registrations_total[24h]))`,
				`sum(increase(practitioner_views_total[24h]))`,
				`sum(increase(bookings_created_total[24h]))`,
				`sum(increase(payment_attempts_total{status="succeeded"}[24h]))`,
			}},
	}
	requirePanels(t, model, want)
	for _, target := range model.Panels[3].Panel.Targets {
		require.True(t, *target.(*prometheus.Dataquery).Instant, "each funnel bar is one instant value")
	}
}

func requirePanels(t *testing.T, model dashboard.Dashboard, want map[uint32]seedPanel) {
	t.Helper()
	require.Len(t, model.Panels, len(want))
	for _, p := range model.Panels {
		panel := p.Panel
		w, ok := want[*panel.Id]
		require.True(t, ok, "unexpected panel id %d", *panel.Id)
		require.Equal(t, w.title, *panel.Title, "panel %d", *panel.Id)
		require.Equal(t, w.kind, panel.Type, w.title)
		require.Equal(t, w.unit, *panel.FieldConfig.Defaults.Unit, w.title)
		require.Equal(t, w.grid, *panel.GridPos, w.title)
		var steps []float64
		if th := panel.FieldConfig.Defaults.Thresholds; th != nil && w.steps != nil {
			require.Nil(t, th.Steps[0].Value, "%s: the first step is the base", w.title)
			for _, s := range th.Steps[1:] {
				steps = append(steps, *s.Value)
			}
		}
		require.Equal(t, w.steps, steps, w.title)
		var exprs []string
		for _, target := range panel.Targets {
			exprs = append(exprs, target.(*prometheus.Dataquery).Expr)
		}
		require.Equal(t, w.exprs, exprs, w.title)
	}
}

func TestOptions(t *testing.T) {
	cases := map[string]struct {
		opts    dashboards.Options
		wantErr string
	}{
		"an empty datasource uid is refused and the error says what to set": {
			opts:    dashboards.Options{},
			wantErr: `Options.DatasourceUID is empty: set it to the uid of the Prometheus-type datasource`,
		},
		"a datasource uid Grafana would refuse is refused": {
			opts:    dashboards.Options{DatasourceUID: "thanos query"},
			wantErr: `Options.DatasourceUID "thanos query" is not a Grafana uid`,
		},
		"the Thanos Query datasource's uid is accepted": {
			opts: dashboards.Options{DatasourceUID: "thanos"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, errAll := dashboards.All(tc.opts)
			_, errQueries := dashboards.Queries(tc.opts)
			if tc.wantErr == "" {
				require.NoError(t, errAll)
				require.NoError(t, errQueries)
				return
			}
			require.ErrorContains(t, errAll, tc.wantErr)
			require.ErrorContains(t, errQueries, tc.wantErr)
		})
	}
}

func grid(x, y, w, h uint32) dashboard.GridPos { return dashboard.GridPos{X: x, Y: y, W: w, H: h} }
