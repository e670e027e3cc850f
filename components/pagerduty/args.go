package pagerduty

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// Responders are the targets of one level of an escalation policy. The
// stack configuration uses this type for each team under
// pagerduty.teams, so the json names are its keys.
type Responders struct {
	// Emails of existing PagerDuty users, looked up by email. Bare addresses
	// only ("oncall@klearkarma.com", not "On Call <oncall@...>").
	Emails []string `json:"emails" doc:"PagerDuty users by login email (looked up, not created); bare addresses."`
	// ScheduleIDs of existing PagerDuty on-call schedules, e.g. "PABC123".
	ScheduleIDs []string `json:"schedules" doc:"PagerDuty schedule ids, such as PABC123."`
}

func (r Responders) empty() bool { return len(r.Emails) == 0 && len(r.ScheduleIDs) == 0 }

// Team is one team of the alert rules' team label.
type Team struct {
	// DisplayName names the team's PagerDuty objects after Args.NamePrefix;
	// defaults to the capitalised key ("backend" gives "Backend").
	DisplayName string
	// Responders are the first level: they are paged and, if they are users,
	// become members of the PagerDuty team. At least one is required.
	Responders Responders
	// EscalateTo is the second level, notified when the first does not
	// acknowledge a high-urgency incident in time. Defaults to Args.Management.
	EscalateTo Responders
}

// Args configure the PagerDuty teams, escalation policies and services.
type Args struct {
	// Teams by the value of the alerts' team label (conventions.Teams:
	// backend, infrastructure, payments, product). Each gets a team, an
	// escalation policy, a service and an Events API v2 integration.
	Teams map[string]Team
	// Management is the second escalation level of every team without its
	// own EscalateTo. Empty, and such a team's policy has a single level,
	// which Check refuses for the teams that page at high urgency.
	Management Responders
	// PagingTeams are the teams whose alerts open high-urgency incidents
	// (the rules' critical alerts: rules.PagingTeams). DefaultTeam and
	// CloudWatchTeam page at high urgency too (critical alerts without a
	// team, alarms without a severity), so they are added. Each needs a
	// second level: a high-urgency incident nobody acknowledges moves to
	// the next level after the playbook's SEV-1 delay, and with one level
	// it only goes round the first again.
	PagingTeams []string
	// Playbook is the incident response playbook; defaults to DefaultPlaybook().
	Playbook []Severity
	// NamePrefix starts every PagerDuty name ("Klear Karma Backend"). Names
	// are account-wide, so two stacks sharing an account need two prefixes.
	// Defaults to "Klear Karma".
	NamePrefix string
	// DefaultTeam is the team whose key is DefaultRoutingKey, which pages
	// critical alerts without a team of their own; defaults to infrastructure,
	// the team that runs the platform those alerts mostly come from.
	DefaultTeam string
	// CloudWatchTeam is the team whose service gets the Amazon CloudWatch
	// integration; defaults to infrastructure.
	CloudWatchTeam string
	// NumLoops is how often an unacknowledged high-urgency incident goes
	// round the escalation policy again after its last level (0-9).
	NumLoops int
}

const (
	defaultNamePrefix = "Klear Karma"
	defaultTeam       = string(conventions.TeamInfrastructure)
	// reservedTeam is Alertmanager's secret key of the default routing key.
	reservedTeam = "default"
)

var scheduleID = regexp.MustCompile(`^[A-Z0-9]{2,}$`)

// Check states every rule of Args, on a copy with the defaults filled in.
// Fields are named as the stack configuration's pagerduty keys:
// "teams.<team>" (a team without responders), "teams.<team>.emails[i]" and
// "teams.<team>.schedules[i]" (its first level), "namePrefix"; and for what
// the configuration does not set, "teams.<team>.escalateTo.emails[i]",
// "management.emails[i]", "playbook[i].<field>", "numLoops",
// "defaultTeam" and "cloudWatchTeam"; a paging team without a second level
// is "teams.<team>.escalateTo".
func (a Args) Check() check.Problems {
	_, ps := a.normalized()
	return ps
}

// withDefaults fills the defaults, trims the responders and checks.
func (a *Args) withDefaults() error {
	n, ps := a.normalized()
	*a = n
	return ps.Err()
}

// normalized is a copy of a with the defaults filled in and the responders
// trimmed, so normalising never writes into the caller's map, and what is
// wrong with it.
func (a Args) normalized() (Args, check.Problems) {
	var ps check.Problems
	if len(a.Teams) == 0 {
		ps.Add("teams", "has no team", "give each team label (backend, infrastructure, ...) its responders")
	}
	if a.NamePrefix == "" {
		a.NamePrefix = defaultNamePrefix
	}
	checkName(&ps, "namePrefix", a.NamePrefix)
	if a.Playbook == nil {
		a.Playbook = DefaultPlaybook()
	}
	ps = append(ps, playbook(a.Playbook).check()...)
	if a.NumLoops < 0 || a.NumLoops > 9 {
		ps.Add("numLoops", fmt.Sprintf("%d is outside PagerDuty's 0-9", a.NumLoops), "repeat the policy 0 to 9 times")
	}
	a.Management = a.Management.checked(&ps, "management")

	teams := make(map[string]Team, len(a.Teams))
	for _, key := range slices.Sorted(maps.Keys(a.Teams)) {
		t := checkTeam(&ps, key, a.Teams[key])
		if t.EscalateTo.empty() {
			t.EscalateTo = a.Management
		}
		teams[key] = t
	}
	a.Teams = teams

	if a.DefaultTeam == "" {
		a.DefaultTeam = defaultTeam
	}
	if a.CloudWatchTeam == "" {
		a.CloudWatchTeam = defaultTeam
	}
	for _, f := range []struct{ field, team string }{{"defaultTeam", a.DefaultTeam}, {"cloudWatchTeam", a.CloudWatchTeam}} {
		if _, ok := a.Teams[f.team]; !ok && len(a.Teams) > 0 {
			ps.Add(f.field, fmt.Sprintf("%q is not one of the teams %v", f.team, slices.Sorted(maps.Keys(a.Teams))),
				fmt.Sprintf("add the team, or set %s to one of them", f.field))
		}
	}
	a.checkEscalation(&ps)
	return a, ps
}

// checkEscalation requires a second level for every team that pages at
// high urgency; it runs after Management has filled the teams' EscalateTo.
func (a Args) checkEscalation(ps *check.Problems) {
	paging := append(slices.Clone(a.PagingTeams), a.DefaultTeam, a.CloudWatchTeam)
	slices.Sort(paging)
	delay := playbook(a.Playbook).escalationDelayMinutes()
	for _, key := range slices.Compact(paging) {
		t, ok := a.Teams[key]
		if !ok || !t.EscalateTo.empty() {
			continue
		}
		ps.Add("teams."+key+".escalateTo", fmt.Sprintf("is empty: the %s team's alerts page at high urgency, and an incident nobody acknowledges within %d min escalates to a second level the policy does not have", key, delay),
			fmt.Sprintf("list who takes it next (a team lead, a secondary on-call schedule) under teams.%s.escalateTo.emails or teams.%s.escalateTo.schedules", key, key))
	}
}

// checkTeam states one team's rules: a key Alertmanager can use, a name
// PagerDuty accepts, and at least one responder.
func checkTeam(ps *check.Problems, key string, t Team) Team {
	field := "teams." + key
	// The key names child resources and Alertmanager secret keys, so it
	// follows Alertmanager's team-name rule.
	if !check.IsDNSLabel(key) {
		ps.Add(field, fmt.Sprintf("%q is not a team label", key), "use lower-case letters, digits and '-', as in the alert rules")
	}
	if key == reservedTeam {
		ps.Add(field, "the name is reserved for Alertmanager's default routing key", "pick the team that should take those alerts as DefaultTeam")
	}
	if t.DisplayName == "" {
		t.DisplayName = displayName(key)
	}
	checkName(ps, field+".displayName", t.DisplayName)
	if t.Responders.empty() {
		ps.Add(field, "has no responders", "list the team's PagerDuty users under emails, or its schedule ids under schedules")
	}
	// The first level's fields are the team's own in the stack
	// configuration (teams.<team>.emails).
	t.Responders = t.Responders.checked(ps, field)
	t.EscalateTo = t.EscalateTo.checked(ps, field+".escalateTo")
	return t
}

// checked returns trimmed copies and reports malformed or repeated entries
// under field.emails[i] and field.schedules[i].
func (r Responders) checked(ps *check.Problems, field string) Responders {
	out := Responders{}
	seen := map[string]bool{}
	for i, raw := range r.Emails {
		f := fmt.Sprintf("%s.emails[%d]", field, i)
		email := strings.TrimSpace(raw)
		n := len(*ps)
		check.Email(ps, f, email, "use the bare address the user logs in to PagerDuty with, such as jane@klearkarma.com")
		switch {
		case len(*ps) > n:
			continue
		case seen[strings.ToLower(email)]:
			ps.Add(f, fmt.Sprintf("%q is listed twice", raw), "list each responder once")
			continue
		}
		seen[strings.ToLower(email)] = true
		out.Emails = append(out.Emails, email)
	}
	for i, raw := range r.ScheduleIDs {
		f := fmt.Sprintf("%s.schedules[%d]", field, i)
		id := strings.TrimSpace(raw)
		switch {
		case !scheduleID.MatchString(id):
			ps.Add(f, fmt.Sprintf("%q is not a PagerDuty schedule id", raw), "copy it from the schedule's URL, such as PABC123")
			continue
		case seen[id]:
			ps.Add(f, fmt.Sprintf("schedule %q is listed twice", raw), "list each schedule once")
			continue
		}
		seen[id] = true
		out.ScheduleIDs = append(out.ScheduleIDs, id)
	}
	return out
}

// checkName applies the PagerDuty provider's name rule (escalation policies
// are the strictest): not blank, no trailing space, none of \ / & < >,
// printable.
func checkName(ps *check.Problems, field, s string) {
	if strings.TrimSpace(s) == "" || strings.TrimRightFunc(s, unicode.IsSpace) != s {
		ps.Add(field, fmt.Sprintf("%q is blank or ends in white space", s), "give a name that ends in a letter or digit")
		return
	}
	if strings.ContainsAny(s, `\/&<>`) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		ps.Add(field, fmt.Sprintf(`%q contains \ / & < > or non-printable characters, which PagerDuty rejects`, s), "leave them out")
	}
}

func displayName(key string) string {
	words := strings.Split(key, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
