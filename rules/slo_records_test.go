package rules_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/rules"
)

func TestTheSLORecordNamesDashboardsReadAreRecorded(t *testing.T) {
	for _, s := range rules.SLOs() {
		t.Run(s.Name, func(t *testing.T) {
			names := []string{s.BudgetRemainingRecord()}
			for _, b := range s.BurnThresholds() {
				names = append(names, s.ErrorRatioRecord(b.Window))
			}
			for _, n := range names {
				m, ok := rules.Lookup(n)
				require.True(t, ok, "%s is not recorded", n)
				require.Equal(t, rules.SourceRecordingRule, m.Source)
				require.Contains(t, m.Labels, "slo")
			}
			require.InDelta(t, 1-s.Objective, s.Budget(), 1e-9)
			require.True(t, s.BurnThresholds()[0].Page)
			require.False(t, s.BurnThresholds()[len(s.BurnThresholds())-1].Page, "the ticket comes last")
		})
	}
}
