package alertmanager_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/internal/pulumitest"
)

type timingsCase struct {
	timings  func(t *alertmanager.Timings)
	replicas int
	want     string // a problem's text; empty for none
}

func TestTimingsAreCheckedTogetherWithTheClusterSize(t *testing.T) {
	cases := map[string]timingsCase{
		"the defaults hold for three nodes":                                      {replicas: 3},
		"the defaults hold for four nodes, the last checking 45 s after a flush": {replicas: 4},
		"five nodes wait longer than the one-minute group interval": {
			replicas: 5, want: "groupInterval: 1m0s is shorter than 5 nodes x the 15s peer timeout (1m15s)"},
		"the seed's 10 s group interval with three nodes re-opens resolved incidents": {
			timings: func(t *alertmanager.Timings) { t.GroupInterval = 10 * time.Second }, replicas: 3,
			want: "the last node checks 30s after a flush, so a resolve landing in that wait reaches PagerDuty before that node's stale copy"},
		"one node has no peers to wait for": {
			timings: func(t *alertmanager.Timings) {
				t.GroupInterval = 10 * time.Second
				t.CriticalRepeatInterval = time.Minute
			}, replicas: 1},
		"a repeat shorter than the group interval is refused": {
			timings: func(t *alertmanager.Timings) { t.CriticalRepeatInterval = 30 * time.Second }, replicas: 3,
			want: "criticalRepeatInterval: 30s is shorter than the group interval (1m0s)"},
		"a zero peer timeout is refused": {
			timings: func(t *alertmanager.Timings) { t.PeerTimeout = 0 }, replicas: 3, want: "peerTimeout: 0s is below 1s"},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc timingsCase) {
		tm := alertmanager.DefaultTimings()
		if tc.timings != nil {
			tc.timings(&tm)
		}
		err := tm.Check(tc.replicas).Err()
		if tc.want == "" {
			require.NoError(t, err)
			return
		}
		require.Error(t, err)
		assert.True(t, strings.Contains(err.Error(), tc.want), "%v", err)
	})
}
