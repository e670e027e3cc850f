package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/functions/costexporter/internal/fakeaws"
)

func TestCLI(t *testing.T) {
	timeNow = func() time.Time { return time.Date(2026, 1, 16, 10, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { timeNow = time.Now })
	cases := map[string]struct {
		args     []string
		wantCode int
		check    func(t *testing.T, f *fakeaws.Fakes, stdout, stderr string)
	}{
		"a dry run prints the calls and the Slack message and publishes nothing": {
			args: []string{"--day", "2026-01-15", "--dry-run", "--budget", "100"},
			check: func(t *testing.T, f *fakeaws.Fakes, stdout, _ string) {
				var out struct {
					Day           string
					TotalUSD      float64
					PutMetricData []struct {
						Namespace string
						Data      []struct{ Metric, Service, Timestamp string }
					}
					Slack     *struct{ Text string }
					PagerDuty *struct {
						DedupKey string `json:"dedup_key"`
					}
				}
				require.NoError(t, json.Unmarshal([]byte(stdout), &out), stdout)
				assert.Equal(t, "2026-01-15", out.Day)
				assert.InDelta(t, 250.0, out.TotalUSD, 1e-9)
				require.Len(t, out.PutMetricData, 1)
				assert.Equal(t, "KlearKarma/Costs", out.PutMetricData[0].Namespace)
				assert.Len(t, out.PutMetricData[0].Data, 3)
				assert.Equal(t, "2026-01-15T23:59:00Z", out.PutMetricData[0].Data[2].Timestamp)
				require.NotNil(t, out.Slack, "over the $100 budget")
				require.NotNil(t, out.PagerDuty, "over twice the budget")
				assert.Equal(t, "klearkarma-daily-cost-2026-01-15", out.PagerDuty.DedupKey)
				assert.Len(t, f.CostExplorer.Requests(), 1)
				assert.Empty(t, f.CloudWatch.Requests())
				assert.Empty(t, f.SecretsManager.Requests())
				assert.Empty(t, f.Slack.Requests())
			},
		},
		"no budget anywhere is refused with the variable and the flag named": {
			args:     []string{"--dry-run"},
			wantCode: 1,
			check: func(t *testing.T, _ *fakeaws.Fakes, _, stderr string) {
				assert.Contains(t, stderr, "KK_DAILY_BUDGET_USD (or --budget)")
			},
		},
		"a malformed day is a usage error": {
			args:     []string{"--day", "30/11/2026", "--budget", "1"},
			wantCode: 2,
			check: func(t *testing.T, _ *fakeaws.Fakes, _, stderr string) {
				assert.Contains(t, stderr, "YYYY-MM-DD")
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := fakeaws.New(t)
			f.Pages = [][]fakeaws.Cost{{{Service: "Amazon Simple Storage Service", Amount: "50"}, {Service: "AWS Lambda", Amount: "200"}}}
			f.Env(t, "eu-west-1")
			t.Setenv("KK_DAILY_BUDGET_USD", "")
			var stdout, stderr bytes.Buffer
			code := runCLI(tc.args, &stdout, &stderr)
			assert.Equal(t, tc.wantCode, code, stderr.String())
			tc.check(t, f, stdout.String(), stderr.String())
		})
	}
}
