package pagerduty

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedPlaybookMapping(t *testing.T) {
	pb := playbook(DefaultPlaybook())
	require.Empty(t, pb.check())
	cases := map[string]struct {
		got, want any
	}{
		"SEV-1 and SEV-2 page at high urgency, SEV-3 and SEV-4 wait at low": {
			got:  [][]string{pb.levels(true), pb.levels(false)},
			want: [][]string{{"SEV-1", "SEV-2"}, {"SEV-3", "SEV-4"}},
		},
		"an unacknowledged SEV-1 escalates the moment its 15 minutes run out": {
			got: pb.escalationDelayMinutes(), want: 15,
		},
		"an acknowledged incident still open after SEV-2's 2 hours re-triggers": {
			got: pb.acknowledgementTimeout(), want: "7200",
		},
		"nothing auto-resolves before SEV-4's 24 + 72 hours": {
			got: pb.autoResolveTimeout(), want: "345600",
		},
		"a playbook whose levels all escalate immediately disables the acknowledgement timeout": {
			got:  playbook{{Name: "P1", EventSeverity: EventCritical, ResponseMinutes: 5}}.acknowledgementTimeout(),
			want: "null",
		},
		"the strictest high-urgency level sets the delay whatever its position": {
			got: playbook{
				{Name: "B", EventSeverity: EventError, ResponseMinutes: 30, EscalationMinutes: 30},
				{Name: "A", EventSeverity: EventCritical, ResponseMinutes: 10, EscalationMinutes: 5},
				{Name: "C", EventSeverity: EventWarning, ResponseMinutes: 1, EscalationMinutes: 1},
			}.escalationDelayMinutes(),
			want: 15,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
}

func TestPlaybookValidation(t *testing.T) {
	cases := map[string]struct {
		pb   playbook
		want []string
	}{
		"an empty playbook fails":           {pb: playbook{}, want: []string{"at least one severity level"}},
		"an unknown event severity fails":   {pb: playbook{{Name: "SEV-1", EventSeverity: "page", ResponseMinutes: 15}}, want: []string{`"page" is not one PagerDuty accepts`}},
		"two levels with one severity fail": {pb: playbook{{Name: "A", EventSeverity: EventCritical, ResponseMinutes: 1}, {Name: "B", EventSeverity: EventCritical, ResponseMinutes: 1}}, want: []string{"belongs to two levels"}},
		"a level listed twice fails":        {pb: playbook{{Name: "A", EventSeverity: EventCritical, ResponseMinutes: 1}, {Name: "A", EventSeverity: EventError, ResponseMinutes: 1}}, want: []string{`"A" is listed twice`}},
		"a zero response time and a negative escalation fail together": {
			pb:   playbook{{Name: "SEV-1", EventSeverity: EventCritical, EscalationMinutes: -1}},
			want: []string{"response time 0 min", "escalation time -1 min is negative"},
		},
		"a level without a name fails": {pb: playbook{{EventSeverity: EventCritical, ResponseMinutes: 1}}, want: []string{"playbook[0].name: is required", "such as SEV-1"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.pb.check().Err()
			require.Error(t, err)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}
