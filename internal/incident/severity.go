package incident

import (
	"fmt"
	"strings"
)

// Severity is one of the playbook's levels, SEV-1 (critical) to SEV-4 (low).
type Severity string

// The playbook's severity levels.
const (
	SEV1 Severity = "SEV-1"
	SEV2 Severity = "SEV-2"
	SEV3 Severity = "SEV-3"
	SEV4 Severity = "SEV-4"
)

// Level is what the playbook says about one severity, and what Open does
// for it.
type Level struct {
	Severity Severity
	Name     string   // Critical, High, Medium, Low
	Examples []string // the playbook's criteria
	// ResponseTime and Escalation are the playbook's words: how soon someone
	// must respond, and when an unresolved incident goes up a level.
	ResponseTime string
	Escalation   string
	// Page: trigger PagerDuty (the team's on-call engineer is called).
	Page bool
	// Announce: post to the stack's critical channel and the team's channel.
	Announce bool
	// PagerDutySeverity is the Events API v2 payload severity when Page.
	PagerDutySeverity string
}

// Levels are the playbook's severities in order. SEV-3 and SEV-4 notify
// nobody beyond the incident channel: the playbook's script only pages for
// SEV-1 and notifies team leads for SEV-2, and response times of 4 and 24
// hours do not justify interrupting anyone. SEV-1 is also announced in
// Slack (the script only paged): the page reaches one engineer, the
// announcement tells everyone else where the incident is being handled.
var Levels = []Level{
	{
		Severity: SEV1, Name: "Critical",
		Examples:     []string{"complete service outage", "data breach or security incident", "payment processing failure"},
		ResponseTime: "15 minutes", Escalation: "immediate",
		Page: true, Announce: true, PagerDutySeverity: "critical",
	},
	{
		Severity: SEV2, Name: "High",
		Examples:     []string{"partial service degradation", "high error rates (>5%)", "performance issues affecting users"},
		ResponseTime: "1 hour", Escalation: "after 2 hours",
		Announce: true,
	},
	{
		Severity: SEV3, Name: "Medium",
		Examples:     []string{"minor service issues", "non-critical feature failures"},
		ResponseTime: "4 hours", Escalation: "after 24 hours",
	},
	{
		Severity: SEV4, Name: "Low",
		Examples:     []string{"cosmetic issues", "documentation updates"},
		ResponseTime: "24 hours", Escalation: "after 72 hours",
	},
}

// LevelOf returns the playbook's level for s.
func LevelOf(s Severity) (Level, bool) {
	for _, l := range Levels {
		if l.Severity == s {
			return l, true
		}
	}
	return Level{}, false
}

// ParseSeverity accepts SEV-1..SEV-4 in any case, with or without the
// hyphen ("sev1"), or the bare digit.
func ParseSeverity(s string) (Severity, error) {
	n := strings.ToUpper(strings.TrimSpace(s))
	n = strings.TrimPrefix(strings.TrimPrefix(n, "SEV"), "-")
	if len(n) == 1 && n[0] >= '1' && n[0] <= '4' {
		return Severity("SEV-" + n), nil
	}
	return "", fmt.Errorf("unknown severity %q: use one of %s", s, severityNames())
}

func severityNames() string {
	names := make([]string, len(Levels))
	for i, l := range Levels {
		names[i] = string(l.Severity)
	}
	return strings.Join(names, ", ")
}

// SeverityHelp is the playbook's severity table with what Open does at each
// level, for a command's help text.
func SeverityHelp() string {
	var b strings.Builder
	for _, l := range Levels {
		does := []string{"creates the channel", "gathers data"}
		if l.Announce {
			does = append([]string{"announces in Slack"}, does...)
		}
		if l.Page {
			does = append([]string{"pages PagerDuty (" + l.PagerDutySeverity + ")"}, does...)
		}
		fmt.Fprintf(&b, "  %s %-9s respond within %s; escalation %s\n", l.Severity, l.Name, l.ResponseTime, l.Escalation)
		fmt.Fprintf(&b, "           e.g. %s\n", strings.Join(l.Examples, "; "))
		fmt.Fprintf(&b, "           this tool: %s\n", strings.Join(does, ", "))
	}
	return b.String()
}
