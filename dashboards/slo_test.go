package dashboards_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/dashboards"
	"github.com/klearkarma/observability/rules"
)

func TestTheSLODashboardShowsEverySLOsBudgetAndBurnRates(t *testing.T) {
	queries, err := dashboards.Queries(testOptions)
	require.NoError(t, err)
	qs := queries[dashboards.UIDSLO]
	slos := rules.SLOs()
	require.Len(t, slos, 5, "the strategy's five SLOs")
	for _, s := range slos {
		t.Run(s.Name, func(t *testing.T) {
			sel := `{slo="` + s.Name + `"}`
			require.Contains(t, qs, s.BudgetRemainingRecord()+sel, "the budget left, from the SLO group's recording rule")
			for _, bt := range s.BurnThresholds() {
				found := false
				for _, q := range qs {
					found = found || strings.HasPrefix(q, s.ErrorRatioRecord(bt.Window)+sel+" / ")
				}
				require.True(t, found, "a burn rate over %s, the long window of an alert at %vx", rules.PromDuration(bt.Window), bt.Factor)
			}
		})
	}
	require.Len(t, qs, len(slos)*(1+len(slos[0].BurnThresholds())), "one budget and one query per alert window, nothing else")
}
