package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"fmt"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/rules"
)

// UIDSLO is the SLO dashboard's uid; the SLO alerts' runbooks link to it.
const UIDSLO = "slo"

const titleSLO = "Klear Karma - SLOs"

// unitMultiple is Grafana's "x" suffix unit, for burn rates.
const unitMultiple = "x"

// sloOverview shows, for each of the strategy's SLOs (rules.SLOs), the error
// budget left over its window and how fast it burns, read from the SLO
// groups' recording rules so the panels and the burn-rate alerts agree.
func sloOverview(o Options) (dashboard.Dashboard, error) {
	b := newDashboard(UIDSLO, titleSLO, "slo").
		Description("Error budget left and burn rates of the five SLOs, from the slo:<name> recording rules (rules/SLO.md). A burn rate of 1 spends the budget exactly over the SLO window; the page fires at 14.4 (1h) or 6 (6h), the ticket at 1 over its long window.").
		Time("now-7d", "now").
		Refresh(refreshBusiness)
	var rows [][]cog.Builder[dashboard.Panel]
	for i, s := range rules.SLOs() {
		rows = append(rows, sloRow(o, s, uint32(i)))
	}
	return withPanels(b, rows...).Build()
}

// sloRow is one SLO: its budget left (stat) and its burn rates at the
// alerts' long windows (time series, the alert factors drawn as thresholds).
func sloRow(o Options, s rules.SLO, i uint32) []cog.Builder[dashboard.Panel] {
	y := i * 8
	legend := "{{namespace}}"
	if len(s.By) > 1 {
		legend = "{{service}} ({{namespace}})"
	}
	objective := fmt.Sprintf("%s%% over %s", trimFloat(s.Objective*100), rules.PromDuration(s.Window))
	sel := fmt.Sprintf(`{slo=%q}`, s.Name)

	budget := statPanel(o, 2*i+1, s.Name+": error budget left",
		fmt.Sprintf("Share of the %s SLO's error budget (%s) left over the trailing %s; negative once spent (recording rule %s).",
			s.Name, objective, rules.PromDuration(s.Window), s.BudgetRemainingRecord()),
		grid(0, y, 8, 8)).
		Unit(unitPercentUnit).
		Decimals(1).
		ColorScheme(colorMode(dashboard.FieldColorModeIdThresholds)).
		Thresholds(thresholds(red, step{0, yellow}, step{0.25, green})).
		WithTarget(promQuery(o, "A", s.BudgetRemainingRecord()+sel, legend))

	burn := timeseriesPanel(o, 2*i+2, s.Name+": burn rate",
		fmt.Sprintf("Error ratio over each alert window divided by the budget (%s): how many times faster than allowed the budget is spent. Page at %s, ticket at %s.",
			trimFloat(s.Budget()), pageText(s), ticketText(s)),
		grid(8, y, 16, 8)).
		Unit(unitMultiple).
		Min(0).
		ThresholdsStyle(thresholdLine()).
		Thresholds(burnThresholds(s))
	for j, bt := range s.BurnThresholds() {
		w := rules.PromDuration(bt.Window)
		burn = burn.WithTarget(promQuery(o, string(rune('A'+j)),
			fmt.Sprintf("%s%s / %s", s.ErrorRatioRecord(bt.Window), sel, trimFloat(s.Budget())),
			w+" "+legend))
	}
	return []cog.Builder[dashboard.Panel]{budget, burn}
}

// burnThresholds colours the burn-rate axis at the alerts' factors: the
// ticket's (yellow) and the page's (red, at the lowest page factor).
func burnThresholds(s rules.SLO) *dashboard.ThresholdsConfigBuilder {
	var ticket, page float64
	for _, bt := range s.BurnThresholds() {
		switch {
		case !bt.Page:
			ticket = bt.Factor
		case page == 0 || bt.Factor < page:
			page = bt.Factor
		}
	}
	return thresholds(green, step{ticket, yellow}, step{page, red})
}

func pageText(s rules.SLO) string {
	var parts []string
	for _, bt := range s.BurnThresholds() {
		if bt.Page {
			parts = append(parts, trimFloat(bt.Factor)+"x over "+rules.PromDuration(bt.Window))
		}
	}
	return strings.Join(parts, " or ")
}

func ticketText(s rules.SLO) string {
	bts := s.BurnThresholds()
	t := bts[len(bts)-1]
	return trimFloat(t.Factor) + "x over " + rules.PromDuration(t.Window)
}

// trimFloat prints a threshold as PromQL and people write it: 0.001, 14.4, 99.9.
func trimFloat(x float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", x), "0"), ".")
}
