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
			if r.Alert != "" && r.Labels["severity"] == rules.SeverityCritical && !slices.Contains(want, r.Labels["team"]) {
				want = append(want, r.Labels["team"])
			}
		}
	}
	slices.Sort(want)
	assert.Equal(t, want, rules.PagingTeams())
	// Product pages too: the booking_success_rate SLO's fast burn is critical.
	assert.Equal(t, []string{rules.TeamBackend, rules.TeamInfrastructure, rules.TeamPayments, rules.TeamProduct}, rules.PagingTeams())
}
