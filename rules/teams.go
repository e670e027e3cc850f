package rules

import (
	"slices"
)

// PagingTeams are the teams at least one of whose alerts is critical,
// sorted. Alertmanager pages critical alerts to the team's PagerDuty
// service, where they open high-urgency incidents that escalate when
// nobody acknowledges them, so these are the teams whose escalation policy
// needs a second level. Warnings never page, so a team with warnings only
// is not among them.
func PagingTeams() []string {
	var teams []string
	for _, g := range allRuleGroups() {
		for _, a := range g.alerts {
			if a.severity == SeverityCritical && !slices.Contains(teams, a.team) {
				teams = append(teams, a.team)
			}
		}
	}
	slices.Sort(teams)
	return teams
}
