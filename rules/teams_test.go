package rules_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/klearkarma/observability/rules"
)

func TestPagingTeamsAreTheTeamsOfTheRenderedCriticalAlerts(t *testing.T) {
	var want []string
	for _, g := range mustGroups(t).Groups {
		for _, r := range g.Rules {
			// An alert without a static team takes it from its series
			// (the probes'), which can be any team.
			if team, static := r.Labels["team"]; r.Alert != "" && r.Labels["severity"] == rules.SeverityCritical && static && !slices.Contains(want, team) {
				want = append(want, team)
			}
		}
	}
	slices.Sort(want)
	assert.Equal(t, want, rules.PagingTeams())
	// Product pages too: the booking_success_rate SLO's fast burn is critical.
	assert.Equal(t, []string{rules.TeamBackend, rules.TeamInfrastructure, rules.TeamPayments, rules.TeamProduct}, rules.PagingTeams())
}
