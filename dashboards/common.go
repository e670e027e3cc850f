package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
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
