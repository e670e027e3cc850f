package rules

import (
	"slices"
)

// PagingTeams are the teams at least one of whose alerts is critical,
// sorted. Alertmanager pages critical alerts to the team's PagerDuty
// service, where they open high-urgency incidents that escalate when
// nobody acknowledges them, so these are the teams whose escalation policy
// needs a second level. Warnings never page, so a team with warnings only
// is not among them. A critical alert that takes its team from its series
// (the probes' team label) can page any team, so it makes them all paging.
func PagingTeams() []string {
	var teams []string
	add := func(team string) {
		if !slices.Contains(teams, team) {
			teams = append(teams, team)
		}
	}
	for _, g := range allRuleGroups() {
		for _, a := range g.alerts {
			switch {
			case a.severity != SeverityCritical:
			case a.teamFromSeries:
				for _, t := range []string{TeamBackend, TeamInfrastructure, TeamProduct, TeamPayments} {
					add(t)
				}
			default:
				add(a.team)
			}
		}
	}
	slices.Sort(teams)
	return teams
}
