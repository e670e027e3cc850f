package program_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/rules"
)

// Every team whose alerts page at high urgency escalates somewhere: the
// shipped stacks give each a second level, and the program hands it to
// the escalation policy (without it, SEV-1's "escalate after 15 minutes"
// went round the first level again).
func TestTheShippedStacksEscalatePagingTeamsToASecondLevel(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := runStack(t, stack)
			require.NoError(t, err)
			for _, team := range rules.PagingTeams() {
				policy := rec.Get(t, "pagerduty:index/escalationPolicy:EscalationPolicy::pagerduty-"+team+"-policy").Mappable()
				levels, _ := policy["rules"].([]any)
				require.Len(t, levels, 2, "%s: the responders, then who takes an unacknowledged incident", team)
				// The recorder computes no user ids; the component's own
				// test checks who each level is.
				assert.NotEmpty(t, levels[1].(map[string]any)["targets"], team)
			}
		})
	}
}
