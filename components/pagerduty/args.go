package pagerduty

import (
	"errors"
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Responders are the targets of one level of an escalation policy.
type Responders struct {
	// Emails of existing PagerDuty users, looked up by email. Bare addresses
	// only ("oncall@klearkarma.com", not "On Call <oncall@...>").
	Emails []string
	// ScheduleIDs of existing PagerDuty on-call schedules, e.g. "PABC123".
	ScheduleIDs []string
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
	// Teams by the value of the alerts' team label (e.g. backend,
	// infrastructure, product, payments). Each gets a team, an escalation
	// policy, a service and an Events API v2 integration.
	Teams map[string]Team
	// Management is the second escalation level of every team without its
	// own EscalateTo. Empty, and such a team's policy has a single level.
	Management Responders
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
	defaultTeam       = "infrastructure"
	// reservedTeam is Alertmanager's secret key of the default routing key.
	reservedTeam = "default"
)

var (
	// The team key names child resources and Alertmanager secret keys, so it
	// follows Alertmanager's team-name rule.
	teamKey    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	scheduleID = regexp.MustCompile(`^[A-Z0-9]{2,}$`)
)

func (a *Args) withDefaults() error {
	var errs []error
	if len(a.Teams) == 0 {
		errs = append(errs, errors.New("at least one team is required: give each team label (backend, infrastructure, ...) its responders"))
	}
	if a.NamePrefix == "" {
		a.NamePrefix = defaultNamePrefix
	}
	if err := pdName(a.NamePrefix); err != nil {
		errs = append(errs, fmt.Errorf("name prefix %q: %w", a.NamePrefix, err))
	}
	if a.Playbook == nil {
		a.Playbook = DefaultPlaybook()
	}
	if err := playbook(a.Playbook).validate(); err != nil {
		errs = append(errs, err)
	}
	if a.NumLoops < 0 || a.NumLoops > 9 {
		errs = append(errs, fmt.Errorf("numLoops %d is outside PagerDuty's 0-9", a.NumLoops))
	}

	management, err := checkResponders(a.Management)
	if err != nil {
		errs = append(errs, fmt.Errorf("management: %w", err))
	}
	a.Management = management

	// A copy, so normalising never writes into the caller's map.
	teams := make(map[string]Team, len(a.Teams))
	for _, key := range slices.Sorted(maps.Keys(a.Teams)) {
		t, err := checkTeam(key, a.Teams[key])
		if err != nil {
			errs = append(errs, fmt.Errorf("team %q: %w", key, err))
		}
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
	for _, f := range []struct{ key, team string }{{"defaultTeam", a.DefaultTeam}, {"cloudWatchTeam", a.CloudWatchTeam}} {
		if _, ok := a.Teams[f.team]; !ok && len(a.Teams) > 0 {
			errs = append(errs, fmt.Errorf("%s %q is not one of the teams %v: add the team, or set %s to one of them", f.key, f.team, slices.Sorted(maps.Keys(a.Teams)), f.key))
		}
	}
	return errors.Join(errs...)
}

func checkTeam(key string, t Team) (Team, error) {
	var errs []error
	if !teamKey.MatchString(key) || len(key) > 63 {
		errs = append(errs, errors.New("not a team label: use lower-case letters, digits and '-', as in the alert rules"))
	}
	if key == reservedTeam {
		errs = append(errs, errors.New("the name is reserved for Alertmanager's default routing key: pick the team that should take those alerts as DefaultTeam"))
	}
	if t.DisplayName == "" {
		t.DisplayName = displayName(key)
	}
	if err := pdName(t.DisplayName); err != nil {
		errs = append(errs, fmt.Errorf("display name %q: %w", t.DisplayName, err))
	}
	if t.Responders.empty() {
		errs = append(errs, errors.New("no responders: give at least one user email or schedule id"))
	}
	var err error
	if t.Responders, err = checkResponders(t.Responders); err != nil {
		errs = append(errs, fmt.Errorf("responders: %w", err))
	}
	if t.EscalateTo, err = checkResponders(t.EscalateTo); err != nil {
		errs = append(errs, fmt.Errorf("escalateTo: %w", err))
	}
	return t, errors.Join(errs...)
}

// checkResponders returns trimmed copies and refuses malformed or repeated entries.
func checkResponders(r Responders) (Responders, error) {
	var errs []error
	out := Responders{}
	seen := map[string]bool{}
	for _, raw := range r.Emails {
		email := strings.TrimSpace(raw)
		addr, err := mail.ParseAddress(email)
		switch {
		case err != nil || addr.Name != "" || addr.Address != email:
			errs = append(errs, fmt.Errorf("%q is not a well-formed email address: give the bare address of a PagerDuty user, such as oncall@klearkarma.com", raw))
			continue
		case seen[strings.ToLower(email)]:
			errs = append(errs, fmt.Errorf("%q is listed twice", raw))
			continue
		}
		seen[strings.ToLower(email)] = true
		out.Emails = append(out.Emails, email)
	}
	for _, raw := range r.ScheduleIDs {
		id := strings.TrimSpace(raw)
		switch {
		case !scheduleID.MatchString(id):
			errs = append(errs, fmt.Errorf("%q is not a PagerDuty schedule id: copy it from the schedule's URL, e.g. PABC123", raw))
			continue
		case seen[id]:
			errs = append(errs, fmt.Errorf("schedule %q is listed twice", raw))
			continue
		}
		seen[id] = true
		out.ScheduleIDs = append(out.ScheduleIDs, id)
	}
	return out, errors.Join(errs...)
}

// pdName applies the PagerDuty provider's name rule (escalation policies are
// the strictest): not blank, no trailing space, none of \ / & < >, printable.
func pdName(s string) error {
	if strings.TrimSpace(s) == "" || strings.TrimRightFunc(s, unicode.IsSpace) != s {
		return errors.New("must not be blank or end in white space")
	}
	if strings.ContainsAny(s, `\/&<>`) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return errors.New(`must not contain \ / & < > or non-printable characters (PagerDuty rejects them)`)
	}
	return nil
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
