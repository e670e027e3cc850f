package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// Refresh intervals. Prometheus scrapes every 30s, so refreshing faster only
// re-reads the same samples (the seed's 5s cost six queries per panel per
// scrape).
const (
	refreshOperational = "30s"
	refreshBusiness    = "1m"
)

// Units Grafana knows by these ids.
const (
	unitRequestsPerSecond = "reqps"
	unitPercentUnit       = "percentunit"
	unitSeconds           = "s"
	unitShort             = "short"
	unitBytes             = "bytes"
	unitPercent           = "percent"
	unitOpsPerSecond      = "ops"
)

// Threshold colours, as the seed names them.
const (
	green  = "green"
	yellow = "yellow"
	red    = "red"
)

// newDashboard starts a dashboard with what all of ours share: the tag, a
// shared crosshair, read-only (the code is the source of truth; an edit in
// the UI would be overwritten by the next deployment) and links to the other
// Klear Karma dashboards.
func newDashboard(uid, title string, extraTags ...string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Tags(append([]string{Tag}, extraTags...)).
		Timezone("browser").
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Readonly().
		Link(dashboard.NewDashboardLinkBuilder("Klear Karma").
			Type(dashboard.DashboardLinkTypeDashboards).
			Tags([]string{Tag}).
			AsDropdown(true).
			KeepTime(true))
}

// datasource is the reference every panel and every query carries: Grafana
// resolves a query's datasource from the query first.
func datasource(o Options) common.DataSourceRef {
	return common.DataSourceRef{Type: ptr("prometheus"), Uid: ptr(o.DatasourceUID)}
}

// promQuery is a range query; refID is the query's letter within its panel.
func promQuery(o Options, refID, expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasource(o)).
		RefId(refID).
		Expr(expr).
		LegendFormat(legend)
}

// q is one query of a panel. Its refId is its place among the panel's
// queries: A, B, ...
type q struct {
	expr, legend string
	// instant asks for the value now only, for panels that show one value
	// per query.
	instant bool
}

// series is a range query.
func series(expr, legend string) q { return q{expr: expr, legend: legend} }

// instant is a query of the value now only.
func instant(expr, legend string) q { return q{expr: expr, legend: legend, instant: true} }

// targeted is what every panel builder shares: it takes queries.
type targeted[B any] interface {
	WithTarget(cog.Builder[variants.Dataquery]) B
}

// withQueries adds qs to b in order, lettered from A.
func withQueries[B targeted[B]](o Options, b B, qs ...q) B {
	for i, x := range qs {
		pq := promQuery(o, string(rune('A'+i)), x.expr, x.legend)
		if x.instant {
			pq = pq.Instant()
		}
		b = b.WithTarget(pq)
	}
	return b
}

// grid places a panel: x and y in grid units from the top left, w of 24
// columns wide, h rows high.
func grid(x, y, w, h uint32) dashboard.GridPos {
	return dashboard.GridPos{X: x, Y: y, W: w, H: h}
}

// step is one threshold: from value upwards the colour applies.
type step struct {
	value float64
	color string
}

// thresholds starts at base (Grafana's "Base" step, serialised as a null
// value) and changes colour at each step.
func thresholds(base string, steps ...step) *dashboard.ThresholdsConfigBuilder {
	s := []dashboard.Threshold{{Color: base}}
	for _, st := range steps {
		s = append(s, dashboard.Threshold{Value: ptr(st.value), Color: st.color})
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(s)
}

func colorMode(mode dashboard.FieldColorModeId) *dashboard.FieldColorBuilder {
	return dashboard.NewFieldColorBuilder().Mode(mode)
}

// valueText maps exact values to text and colour, for 0/1 health series.
func valueText(m map[string]dashboard.ValueMappingResult) []dashboard.ValueMapping {
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: m}}}
}

func mapped(text, color string) dashboard.ValueMappingResult {
	return dashboard.ValueMappingResult{Text: ptr(text), Color: ptr(color)}
}

func lastValue() *common.ReduceDataOptionsBuilder {
	return common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false)
}

// statPanel shows the last value of each series.
func statPanel(o Options, id uint32, title, description string, pos dashboard.GridPos) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Id(id).
		Title(title).
		Description(description).
		Datasource(datasource(o)).
		GridPos(pos).
		ReduceOptions(lastValue()).
		GraphMode(common.BigValueGraphModeArea).
		ColorMode(common.BigValueColorModeValue).
		TextMode(common.BigValueTextModeAuto).
		Orientation(common.VizOrientationAuto)
}

// thresholdStat is a stat coloured by its thresholds: good and bad values
// are known.
func thresholdStat(o Options, id uint32, title, description string, pos dashboard.GridPos, unit string, th *dashboard.ThresholdsConfigBuilder, qs ...q) *stat.PanelBuilder {
	return withQueries(o, statPanel(o, id, title, description, pos).
		Unit(unit).
		ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
		Thresholds(th), qs...)
}

// problemStat counts what should be none: green at 0, red from 1. Its
// queries end in `or vector(0)` where nothing to count means no series.
func problemStat(o Options, id uint32, title, description string, pos dashboard.GridPos, qs ...q) *stat.PanelBuilder {
	return thresholdStat(o, id, title, description, pos, unitShort, thresholds(green, step{1, red}), qs...).
		Decimals(0)
}

// valueStat is a stat with no good or bad value, in the palette's colours.
func valueStat(o Options, id uint32, title, description string, pos dashboard.GridPos, unit string, qs ...q) *stat.PanelBuilder {
	return withQueries(o, statPanel(o, id, title, description, pos).
		Unit(unit).
		ColorScheme(colorMode(dashboard.FieldColorModeIdPaletteClassic)), qs...)
}

// state is how one value of a flag reads.
type state struct{ text, color string }

// flagStat shows a 0/1 series as text, zero at 0 and one at 1, without a
// sparkline: a flag's history is its alert's.
func flagStat(o Options, id uint32, title, description string, pos dashboard.GridPos, zero, one state, x q) *stat.PanelBuilder {
	return withQueries(o, statPanel(o, id, title, description, pos).
		ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
		Thresholds(thresholds(zero.color, step{1, one.color})).
		Mappings(valueText(map[string]dashboard.ValueMappingResult{
			"0": mapped(zero.text, zero.color),
			"1": mapped(one.text, one.color),
		})).
		GraphMode(common.BigValueGraphModeNone), x)
}

// timeseriesPanel is the seed's line style: linear lines, width 1, 10% fill,
// no stacking, legend as a list below.
func timeseriesPanel(o Options, id uint32, title, description string, pos dashboard.GridPos) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Id(id).
		Title(title).
		Description(description).
		Datasource(datasource(o)).
		GridPos(pos).
		DrawStyle(common.GraphDrawStyleLine).
		LineInterpolation(common.LineInterpolationLinear).
		LineWidth(1).
		FillOpacity(10).
		GradientMode(common.GraphGradientModeNone).
		SpanNulls(common.BoolOrFloat64{Bool: ptr(false)}).
		PointSize(5).
		ShowPoints(common.VisibilityModeAuto).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNone).Group("A")).
		AxisPlacement(common.AxisPlacementAuto).
		AxisLabel("").
		ScaleDistribution(common.NewScaleDistributionConfigBuilder().Type(common.ScaleDistributionLinear)).
		Legend(common.NewVizLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeList).
			Placement(common.LegendPlacementBottom).
			ShowLegend(true)).
		Tooltip(common.NewVizTooltipOptionsBuilder().
			Mode(common.TooltipDisplayModeMulti).
			Sort(common.SortOrderDescending))
}

// seriesPanel is a time series panel in unit, with its queries.
func seriesPanel(o Options, id uint32, title, description string, pos dashboard.GridPos, unit string, qs ...q) *timeseries.PanelBuilder {
	return withQueries(o, timeseriesPanel(o, id, title, description, pos).Unit(unit), qs...)
}

// countPanel plots counts and rates of things (unit short, from 0): most
// of the pipelines' panels.
func countPanel(o Options, id uint32, title, description string, pos dashboard.GridPos, qs ...q) *timeseries.PanelBuilder {
	return seriesPanel(o, id, title, description, pos, unitShort, qs...).Min(0)
}

// ratioPanel plots shares, from 0 to 1.
func ratioPanel(o Options, id uint32, title, description string, pos dashboard.GridPos, qs ...q) *timeseries.PanelBuilder {
	return seriesPanel(o, id, title, description, pos, unitPercentUnit, qs...).Min(0).Max(1)
}

// alertLine draws th on b as lines: the alert's threshold next to the data.
func alertLine(b *timeseries.PanelBuilder, th *dashboard.ThresholdsConfigBuilder) *timeseries.PanelBuilder {
	return b.Thresholds(th).ThresholdsStyle(thresholdLine())
}

// thresholdLine draws a timeseries panel's thresholds as lines, so the alert
// threshold is visible next to the data.
func thresholdLine() *common.GraphThresholdsStyleConfigBuilder {
	return common.NewGraphThresholdsStyleConfigBuilder().Mode(common.GraphThresholdsStyleModeLine)
}

// barGaugePanel shows the last value of each query as a horizontal bar, in
// query order.
func barGaugePanel(o Options, id uint32, title, description string, pos dashboard.GridPos) *bargauge.PanelBuilder {
	return bargauge.NewPanelBuilder().
		Id(id).
		Title(title).
		Description(description).
		Datasource(datasource(o)).
		GridPos(pos).
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeGradient).
		ShowUnfilled(true)
}

// withPanels adds rows of panels in order: a row is the panels that share
// one grid line, built by one function (foundation-SDK style).
func withPanels(b *dashboard.DashboardBuilder, rows ...[]cog.Builder[dashboard.Panel]) *dashboard.DashboardBuilder {
	for _, row := range rows {
		for _, p := range row {
			b = b.WithPanel(p)
		}
	}
	return b
}

func ptr[T any](v T) *T { return &v }
