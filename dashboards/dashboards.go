// Package dashboards owns the Grafana dashboards as code, built with
// grafana-foundation-sdk: the monitoring strategy's "Application Overview"
// and "Business Metrics", one of the SLOs (slo.go), a cluster overview and
// one per pipeline of the platform (metrics, alerting, logging, tracing).
// Panel and query helpers shared by all are in common.go.
//
// All renders them as deterministic JSON models (sorted keys, two-space
// indent, no ids or timestamps Grafana assigns), each with the team folder it
// belongs in. Every query is a Prometheus query on the datasource named by
// Options.DatasourceUID and is checked with rules.CheckQuery before anything
// is returned, so a dashboard naming a metric or label the catalog does not
// declare is an error, not an empty panel.
//
// The package creates no resources and reads no configuration: the Grafana
// component provisions what All returns, through the Grafana provider or
// from ConfigMaps.
package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/rules"
)

// Tag is on every dashboard, so that Grafana's dashboard links and search
// can list them together.
const Tag = "klear-karma"

// Options are what differs between Grafana instances showing the same
// dashboards.
type Options struct {
	// DatasourceUID is the uid of the Prometheus-type datasource every panel
	// queries; in our Grafana it is the Thanos Query datasource, "thanos".
	DatasourceUID string
}

// datasourceUID is what Grafana accepts as a uid.
var datasourceUID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)

func (o Options) validate() error {
	if o.DatasourceUID == "" {
		return errors.New(`Options.DatasourceUID is empty: set it to the uid of the Prometheus-type datasource the dashboards query (the Thanos Query datasource, "thanos")`)
	}
	if !datasourceUID.MatchString(o.DatasourceUID) {
		return fmt.Errorf("Options.DatasourceUID %q is not a Grafana uid: use at most 40 letters, digits, '-' or '_', as in the datasource's uid setting", o.DatasourceUID)
	}
	return nil
}

// Dashboard is one rendered dashboard.
type Dashboard struct {
	// UID is the dashboard's stable uid: links (the product team's alert
	// emails point at /d/business-metrics) depend on it.
	UID   string
	Title string
	// Folder is the team the dashboard belongs to (conventions.Teams); the
	// program keeps a Grafana folder per team.
	Folder string
	// JSON is the dashboard model, as Grafana's API and file provisioning
	// take it.
	JSON string
}

// definition is one dashboard the package ships. uid, title and folder are
// repeated outside the builder so that a builder cannot silently rename a
// dashboard that others link to.
type definition struct {
	uid, title string
	folder     conventions.Team
	build      func(Options) (dashboard.Dashboard, error)
}

// definitions are sorted by uid; All returns them in this order.
var definitions = []definition{
	{uid: conventions.DashboardAlertingPipeline, title: titleAlertingPipeline, folder: conventions.TeamInfrastructure, build: alertingPipeline},
	{uid: conventions.DashboardApplicationOverview, title: "Klear Karma - Application Overview", folder: conventions.TeamBackend, build: applicationOverview},
	{uid: conventions.DashboardBusinessMetrics, title: "Klear Karma - Business Metrics", folder: conventions.TeamProduct, build: businessMetrics},
	{uid: conventions.DashboardClusterOverview, title: titleClusterOverview, folder: conventions.TeamInfrastructure, build: clusterOverview},
	{uid: conventions.DashboardLoggingPipeline, title: titleLoggingPipeline, folder: conventions.TeamInfrastructure, build: loggingPipeline},
	{uid: conventions.DashboardMetricsPipeline, title: titleMetricsPipeline, folder: conventions.TeamInfrastructure, build: metricsPipeline},
	// Three of the five SLOs are the backend's; the product and payments
	// teams find theirs through the dashboard links.
	{uid: UIDSLO, title: titleSLO, folder: conventions.TeamBackend, build: sloOverview},
	{uid: conventions.DashboardTracingPipeline, title: titleTracingPipeline, folder: conventions.TeamInfrastructure, build: tracingPipeline},
}

// All builds every dashboard, sorted by uid. It fails, naming the dashboard,
// panel and query, when a query does not parse or selects a metric or label
// the catalog (rules/catalog.go) does not declare.
func All(opts Options) ([]Dashboard, error) { return render(opts, definitions) }

// Queries returns every PromQL expression of every dashboard, by dashboard
// uid, in panel and query order.
func Queries(opts Options) (map[string][]string, error) {
	built, err := buildAll(opts, definitions)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(built))
	for i, d := range built {
		for _, q := range queriesOf(d) {
			out[definitions[i].uid] = append(out[definitions[i].uid], q.expr)
		}
	}
	return out, nil
}

func render(opts Options, defs []definition) ([]Dashboard, error) {
	built, err := buildAll(opts, defs)
	if err != nil {
		return nil, err
	}
	var errs []error
	for i, d := range built {
		if err := checkQueries(d); err != nil {
			errs = append(errs, fmt.Errorf("dashboard %q: %w", defs[i].uid, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out := make([]Dashboard, 0, len(built))
	for i, d := range built {
		js, err := encode(d)
		if err != nil {
			return nil, fmt.Errorf("dashboard %q: %w", defs[i].uid, err)
		}
		out = append(out, Dashboard{UID: defs[i].uid, Title: defs[i].title, Folder: string(defs[i].folder), JSON: js})
	}
	slices.SortFunc(out, func(a, b Dashboard) int { return strings.Compare(a.UID, b.UID) })
	return out, nil
}

func buildAll(opts Options, defs []definition) ([]dashboard.Dashboard, error) {
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("dashboards: %w", err)
	}
	out := make([]dashboard.Dashboard, 0, len(defs))
	for _, def := range defs {
		d, err := def.build(opts)
		if err != nil {
			return nil, fmt.Errorf("dashboard %q: build: %w", def.uid, err)
		}
		if d.Uid == nil || *d.Uid != def.uid || d.Title == nil || *d.Title != def.title {
			return nil, fmt.Errorf("dashboard %q: the builder set uid %q and title %q: keep them equal to the definition's uid and title %q", def.uid, deref(d.Uid), deref(d.Title), def.title)
		}
		out = append(out, d)
	}
	return out, nil
}

// query is one panel target, located for error messages.
type query struct {
	panelID    uint32
	panelTitle string
	refID      string
	expr       string
	prometheus bool
}

func queriesOf(d dashboard.Dashboard) []query {
	var out []query
	add := func(p dashboard.Panel) {
		for _, t := range p.Targets {
			q := query{panelID: deref(p.Id), panelTitle: deref(p.Title)}
			switch pq := t.(type) {
			case prometheus.Dataquery:
				q.refID, q.expr, q.prometheus = deref(pq.RefId), pq.Expr, true
			case *prometheus.Dataquery:
				q.refID, q.expr, q.prometheus = deref(pq.RefId), pq.Expr, true
			}
			out = append(out, q)
		}
	}
	for _, p := range d.Panels {
		if p.Panel != nil {
			add(*p.Panel)
		}
		if p.RowPanel != nil {
			for _, rp := range p.RowPanel.Panels {
				add(rp)
			}
		}
	}
	return out
}

// checkQueries holds every query of d to the metric catalog.
func checkQueries(d dashboard.Dashboard) error {
	var errs []error
	for _, q := range queriesOf(d) {
		where := fmt.Sprintf("panel %d %q, query %s", q.panelID, q.panelTitle, q.refID)
		if !q.prometheus {
			errs = append(errs, fmt.Errorf("%s is not a Prometheus query: build it with prometheus.NewDataqueryBuilder so it can be checked against the catalog", where))
			continue
		}
		if err := rules.CheckQuery(q.expr); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	return errors.Join(errs...)
}

// encode serialises d with sorted keys: the SDK's structs marshal in field
// order, so the model goes through a generic value first. UseNumber keeps
// numbers exactly as the SDK wrote them.
func encode(d dashboard.Dashboard) (string, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("marshal: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("re-read marshalled model: %w", err)
	}
	return encoding.JSON(v)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
