package pagerduty

import (
	"fmt"
	"strconv"

	"github.com/klearkarma/observability/internal/check"
)

// Events API v2 severities (payload.severity). Alertmanager sends the alert's
// own severity label, lower-cased, so the rules' "critical" and "warning"
// arrive as these values.
const (
	EventCritical = "critical"
	EventError    = "error"
	EventWarning  = "warning"
	EventInfo     = "info"
)

// highUrgency is PagerDuty's fixed severity_based mapping: critical and error
// open high-urgency incidents, which page and escalate; warning and info open
// low-urgency incidents, which use low-urgency notification rules and never
// escalate on their own.
var highUrgency = map[string]bool{EventCritical: true, EventError: true, EventWarning: false, EventInfo: false}

// Severity is one level of the incident response playbook.
type Severity struct {
	// Name as the playbook says it, e.g. "SEV-1".
	Name string
	// EventSeverity is the Events API v2 severity alerts of this level carry:
	// critical, error, warning or info. It decides the incident's urgency.
	EventSeverity string
	// ResponseMinutes is how long responders have to acknowledge.
	ResponseMinutes int
	// EscalationMinutes is how long after a missed response the incident goes
	// up a level; 0 is the playbook's "Escalation: Immediate".
	EscalationMinutes int
}

// HighUrgency reports whether PagerDuty pages and escalates this level.
func (s Severity) HighUrgency() bool { return highUrgency[s.EventSeverity] }

// DefaultPlaybook is the seed's Incident Response Playbook. SEV-1 and SEV-2
// are the alert severities that page (critical, error); SEV-3 and SEV-4 are
// the ones that can wait (warning, info). A fresh slice on every call, so no
// caller can change another's playbook.
func DefaultPlaybook() []Severity {
	return []Severity{
		{Name: "SEV-1", EventSeverity: EventCritical, ResponseMinutes: 15, EscalationMinutes: 0},
		{Name: "SEV-2", EventSeverity: EventError, ResponseMinutes: 60, EscalationMinutes: 120},
		{Name: "SEV-3", EventSeverity: EventWarning, ResponseMinutes: 4 * 60, EscalationMinutes: 24 * 60},
		{Name: "SEV-4", EventSeverity: EventInfo, ResponseMinutes: 24 * 60, EscalationMinutes: 72 * 60},
	}
}

type playbook []Severity

// check states the playbook's rules; fields are "playbook" and
// "playbook[i].<field>".
func (p playbook) check() check.Problems {
	var ps check.Problems
	if len(p) == 0 {
		ps.Add("playbook", "needs at least one severity level", "pass DefaultPlaybook() or leave Playbook empty")
		return ps
	}
	names, events := map[string]bool{}, map[string]bool{}
	high := false
	for i, s := range p {
		field := func(f string) string { return fmt.Sprintf("playbook[%d].%s", i, f) }
		if s.Name == "" {
			ps.Add(field("name"), "is required", "name the level as the playbook does, such as SEV-1")
		} else if names[s.Name] {
			ps.Add(field("name"), fmt.Sprintf("%q is listed twice", s.Name), "give each level its own name")
		}
		names[s.Name] = true
		if _, ok := highUrgency[s.EventSeverity]; !ok {
			ps.Add(field("eventSeverity"), fmt.Sprintf("%q is not one PagerDuty accepts", s.EventSeverity), "use critical, error, warning or info")
		} else if events[s.EventSeverity] {
			ps.Add(field("eventSeverity"), fmt.Sprintf("%q belongs to two levels", s.EventSeverity), "give each level its own")
		}
		events[s.EventSeverity] = true
		high = high || s.HighUrgency()
		if s.ResponseMinutes < 1 {
			ps.Add(field("responseMinutes"), fmt.Sprintf("response time %d min is too short", s.ResponseMinutes), "give at least 1 minute")
		}
		if s.EscalationMinutes < 0 {
			ps.Add(field("escalationMinutes"), fmt.Sprintf("escalation time %d min is negative", s.EscalationMinutes), "use 0 for immediate escalation")
		}
	}
	if !high {
		ps.Add("playbook", "no level has event severity critical or error, so nothing would page or escalate", "map the most severe level to critical")
	}
	return ps
}

// escalationDelayMinutes is how long a high-urgency incident stays with a
// level of the escalation policy before it moves on: the response time plus
// the escalation time, taken from the strictest high-urgency level because
// one policy serves every severity of a service. Seed: SEV-1, 15 + 0.
func (p playbook) escalationDelayMinutes() int {
	delay := 0
	for _, s := range p {
		if d := s.ResponseMinutes + s.EscalationMinutes; s.HighUrgency() && (delay == 0 || d < delay) {
			delay = d
		}
	}
	return delay
}

// acknowledgementTimeout is the service's acknowledgementTimeout: the
// shortest non-immediate escalation time (seed: SEV-2, 2 h). An incident that
// is acknowledged but still open by then returns to triggered, so its
// responder is notified again and, if it is high urgency, the escalation
// policy takes it to the next level. "null" (disabled) when every level
// escalates immediately, because the policy alone then carries escalation.
func (p playbook) acknowledgementTimeout() string {
	shortest := 0
	for _, s := range p {
		if s.EscalationMinutes > 0 && (shortest == 0 || s.EscalationMinutes < shortest) {
			shortest = s.EscalationMinutes
		}
	}
	if shortest == 0 {
		return "null"
	}
	return seconds(shortest)
}

// autoResolveTimeout is the service's autoResolveTimeout: the playbook's
// latest deadline, response plus escalation of the slowest level (seed:
// SEV-4, 24 h + 72 h). Incidents are resolved by their sources (Alertmanager
// sends resolved events, CloudWatch sends OK); this only clears an incident
// whose resolve was lost, and never before any level's clock has run out.
// An alert that is still firing opens a new incident on Alertmanager's next
// repeat notification.
func (p playbook) autoResolveTimeout() string {
	latest := 0
	for _, s := range p {
		latest = max(latest, s.ResponseMinutes+s.EscalationMinutes)
	}
	return seconds(latest)
}

// levels names the playbook levels of one urgency, in playbook order, for descriptions.
func (p playbook) levels(high bool) []string {
	var out []string
	for _, s := range p {
		if s.HighUrgency() == high {
			out = append(out, s.Name)
		}
	}
	return out
}

func seconds(minutes int) string { return strconv.Itoa(minutes * 60) }
