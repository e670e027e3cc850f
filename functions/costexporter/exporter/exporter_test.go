package exporter_test

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/functions/costexporter/contract"
	"github.com/klearkarma/observability/functions/costexporter/exporter"
	"github.com/klearkarma/observability/functions/costexporter/internal/fakeaws"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	day        = "2026-11-30"
	secretARN  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:klearkarma-prod-cost-alerts-AbCdEf"
	routingKey = "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00"
	// scheduled is what the EventBridge rule delivers at 10:00 UTC.
	scheduled = `{"version":"0","id":"5f3e0f2a-1c1e-4c1b-9e5f-000000000000","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-12-01T10:00:00Z","region":"eu-west-1","resources":["arn:aws:events:eu-west-1:123456789012:rule/klearkarma-prod-cost-exporter"],"detail":{}}`
)

// now is the clock: the schedule fired a few seconds ago.
var now = time.Date(2026, 12, 1, 10, 0, 7, 0, time.UTC)

var stamp = time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC)

// aDay is a realistic day of $620.66, over the $500 budget but under 2x.
var aDay = [][]fakeaws.Cost{
	{
		{Service: "Amazon Elastic Compute Cloud - Compute", Amount: "312.4567123456"},
		{Service: "Amazon Relational Database Service", Amount: "148.1"},
		{Service: "EC2 - Other", Amount: "61.2033"},
	},
	{
		{Service: "Amazon Simple Storage Service", Amount: "23.9"},
		{Service: "AmazonCloudWatch", Amount: "11.05"},
		{Service: "Amazon Elastic Kubernetes Service", Amount: "72"},
		{Service: "AWS Lambda", Amount: "0"},
		{Service: "Amazon Route 53", Amount: "-8.05"},
	},
}

type fixture struct {
	f   *fakeaws.Fakes
	e   *exporter.Exporter
	cfg exporter.Config
}

func newFixture(t *testing.T, setup func(*fakeaws.Fakes, *exporter.Config)) *fixture {
	t.Helper()
	f := fakeaws.New(t)
	f.Day = day
	f.Secret = `{"slackWebhookUrl":"` + f.Slack.URL() + `/services/T0000/B0000/XXXXXXXX","pagerDutyRoutingKey":"` + routingKey + `"}`
	f.Env(t, "eu-west-1")
	cfg := exporter.Config{
		DailyBudgetUSD:     500,
		PageFactor:         2,
		AlertSecretARN:     secretARN,
		PagerDutyEventsURL: f.PagerDuty.URL() + "/v2/enqueue",
	}
	if setup != nil {
		setup(f, &cfg)
	}
	e, err := exporter.NewFromAWS(context.Background(), cfg,
		exporter.WithClock(func() time.Time { return now }),
		exporter.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		exporter.WithRetryBackoff(func(int, error) (time.Duration, error) { return 0, nil }))
	require.NoError(t, err)
	return &fixture{f: f, e: e, cfg: cfg}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got), "%s differs; rerun with -update if the change is intended", path)
}

func totalOf(t *testing.T, ps []fakeaws.Point) fakeaws.Point {
	t.Helper()
	for _, p := range ps {
		if p.Metric == contract.TotalMetric {
			return p
		}
	}
	t.Fatalf("no %s among %d points", contract.TotalMetric, len(ps))
	return fakeaws.Point{}
}

func TestHandle(t *testing.T) {
	cases := map[string]struct {
		setup   func(*fakeaws.Fakes, *exporter.Config)
		event   string
		wantErr string
		check   func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report)
	}{
		"two pages of services are read with the page token and published in one call with the total last": {
			setup: func(f *fakeaws.Fakes, c *exporter.Config) { f.Pages = aDay; c.DailyBudgetUSD = 1000 },
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				qs := f.CostQueries(t)
				require.Len(t, qs, 2)
				for _, q := range qs {
					assert.Equal(t, "2026-11-30", q.TimePeriod.Start, "the day before the schedule fired")
					assert.Equal(t, "2026-12-01", q.TimePeriod.End, "End is exclusive: exactly one day")
					assert.Equal(t, "DAILY", q.Granularity)
					assert.Equal(t, []string{"BlendedCost"}, q.Metrics)
					require.Len(t, q.GroupBy, 1)
					assert.Equal(t, "DIMENSION", q.GroupBy[0].Type)
					assert.Equal(t, "SERVICE", q.GroupBy[0].Key)
				}
				assert.Empty(t, qs[0].NextPageToken)
				assert.Equal(t, "page-1", qs[1].NextPageToken)
				assert.Contains(t, fakeaws.SigningScope(f.CostExplorer.Requests()[0]), "/us-east-1/ce/", "Cost Explorer is called in us-east-1")

				calls := f.PutCalls(t)
				require.Len(t, calls, 1)
				assert.Equal(t, "KlearKarma/Costs", calls[0].Namespace)
				assert.Contains(t, fakeaws.SigningScope(f.CloudWatch.Requests()[0]), "/eu-west-1/monitoring/", "metrics go to the function's region")
				data := calls[0].Data
				require.Len(t, data, 9)
				last := data[len(data)-1]
				assert.Equal(t, fakeaws.Point{Metric: "TotalDailyCost", Value: 620.6600123456, Timestamp: stamp, Unit: "None"}, roundValue(last))
				for _, p := range data[:len(data)-1] {
					assert.Equal(t, "DailyCost", p.Metric)
					assert.Equal(t, stamp, p.Timestamp, "every point of the day carries the same stamp")
				}
				assert.Equal(t, &exporter.Report{Day: day, TotalUSD: rep.TotalUSD, BudgetUSD: 1000, Services: 8, Estimated: true, PutMetricDataCalls: 1}, rep)
				assert.InDelta(t, 620.6600123456, rep.TotalUSD, 1e-9)
				assert.Empty(t, f.SecretsManager.Requests(), "under budget the secret is not read")
				assert.Empty(t, f.Slack.Requests())
				assert.Empty(t, f.PagerDuty.Requests())
			},
		},
		"a day with no costs publishes a zero total and no service series": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = nil },
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				pts := f.Published(t)
				require.Len(t, pts, 1)
				assert.Equal(t, fakeaws.Point{Metric: "TotalDailyCost", Value: 0, Timestamp: stamp, Unit: "None"}, pts[0])
				assert.Equal(t, 0, rep.Services)
			},
		},
		"a zero and a negative cost (a credit) are published as they are and count in the total": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				f.Pages = [][]fakeaws.Cost{{
					{Service: "AWS Lambda", Amount: "0"},
					{Service: "Amazon Elastic Kubernetes Service", Amount: "-7.25"},
					{Service: "Amazon Simple Storage Service", Amount: "20.00"},
				}}
			},
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				got := map[string]float64{}
				for _, p := range f.Published(t) {
					got[p.Metric+"/"+p.Service] = p.Value
				}
				assert.Equal(t, map[string]float64{
					"DailyCost/AWS Lambda":                        0,
					"DailyCost/Amazon Elastic Kubernetes Service": -7.25,
					"DailyCost/Amazon Simple Storage Service":     20,
					"TotalDailyCost/":                             12.75,
				}, got)
			},
		},
		"two throttling answers from Cost Explorer are retried by the SDK and the third attempt succeeds": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay[:1]; f.Throttles = 2 },
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				reqs := f.CostExplorer.Requests()
				require.Len(t, reqs, 3, "two throttled attempts and one that succeeds")
				assert.Equal(t, "attempt=3; max=6", reqs[2].Header.Get("Amz-Sdk-Request"), "the SDK's standard retryer made the attempts")
				assert.Len(t, f.PutCalls(t), 1)
				assert.Equal(t, 3, rep.Services)
			},
		},
		"throttling past the configured attempts fails the run and publishes nothing": {
			setup:   func(f *fakeaws.Fakes, c *exporter.Config) { f.Pages = aDay; f.Throttles = 100; c.MaxAttempts = 3 },
			wantErr: "ThrottlingException",
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Len(t, f.CostExplorer.Requests(), 3)
				assert.Empty(t, f.CloudWatch.Requests())
			},
		},
		"an access-denied answer from Cost Explorer fails the run, says the fix and publishes nothing": {
			setup:   func(f *fakeaws.Fakes, _ *exporter.Config) { f.CostExplorerError = "AccessDeniedException" },
			wantErr: "needs ce:GetCostAndUsage",
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Len(t, f.CostExplorer.Requests(), 1, "access denied is not retried")
				assert.Empty(t, f.CloudWatch.Requests())
			},
		},
		"a cost in another currency fails the run and publishes nothing": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				f.Pages = [][]fakeaws.Cost{{{Service: "Amazon Simple Storage Service", Amount: "3", Unit: "EUR"}}}
			},
			wantErr: `is in "EUR", not USD`,
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Empty(t, f.CloudWatch.Requests())
			},
		},
		"a Secrets Manager failure on an over-budget day fails before anything is published": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				f.Pages = aDay
				f.SecretError = "ResourceNotFoundException"
			},
			wantErr: "GetSecretValue " + secretARN,
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Empty(t, f.CloudWatch.Requests())
				assert.Empty(t, f.Slack.Requests())
			},
		},
		"a secret without a routing key fails a day that calls for a page before anything is published": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				f.Pages = [][]fakeaws.Cost{{{Service: "Amazon Elastic Compute Cloud - Compute", Amount: "1500"}}}
				f.Secret = `{"slackWebhookUrl":"` + f.Slack.URL() + `/services/T/B/X"}`
			},
			wantErr: "has no pagerDutyRoutingKey",
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Empty(t, f.CloudWatch.Requests())
			},
		},
		"1500 services take two PutMetricData calls and the total rides in the last": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				all := fakeaws.Services(1500, "0.1")
				f.Pages = [][]fakeaws.Cost{all[:700], all[700:1400], all[1400:]}
			},
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				calls := f.PutCalls(t)
				require.Len(t, calls, 2)
				assert.Len(t, calls[0].Data, 1000, "PutMetricData takes at most 1000 metrics")
				assert.Len(t, calls[1].Data, 501)
				assert.Equal(t, "TotalDailyCost", calls[1].Data[500].Metric)
				assert.InDelta(t, 150.0, calls[1].Data[500].Value, 1e-9)
				assert.Len(t, fakeaws.SortedServices(f.Published(t)), 1500)
				assert.Equal(t, 2, rep.PutMetricDataCalls)
				assert.Equal(t, "gzip", f.CloudWatch.Requests()[0].Header.Get("Content-Encoding"), "the SDK compresses large PutMetricData bodies")
			},
		},
		"a CloudWatch failure on the second call fails the run and leaves the total unpublished": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				f.Pages = [][]fakeaws.Cost{fakeaws.Services(1200, "1")}
				f.FailPutCall = 2
			},
			wantErr: "PutMetricData KlearKarma/Costs call 2 of 2",
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Len(t, f.PutCalls(t), 2, "a 400 is not retried")
				for _, p := range f.Published(t) {
					assert.NotEqual(t, "TotalDailyCost", p.Metric, "without its total the day counts as missing")
				}
			},
		},
		"an over-budget day posts the seed's Slack message and pages nobody under twice the budget": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay },
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				reqs := f.Slack.Requests()
				require.Len(t, reqs, 1)
				assert.Equal(t, "/services/T0000/B0000/XXXXXXXX", reqs[0].Path)
				assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
				golden(t, "slack_over_budget.json", fakeaws.Body(t, reqs[0]))
				assert.Empty(t, f.PagerDuty.Requests())
				assert.True(t, rep.OverBudget && rep.SlackPosted && !rep.Paged)
				assert.Len(t, f.PutCalls(t), 1, "metrics are published before the alerts")
			},
		},
		"a day over twice the budget triggers one PagerDuty event with a per-day dedup key, then Slack": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) {
				f.Pages = [][]fakeaws.Cost{append([]fakeaws.Cost{{Service: "Amazon Elastic Compute Cloud - Compute", Amount: "1187.3"}}, aDay[0][1:]...)}
			},
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				reqs := f.PagerDuty.Requests()
				require.Len(t, reqs, 1)
				assert.Equal(t, "/v2/enqueue", reqs[0].Path)
				golden(t, "pagerduty_event.json", fakeaws.Body(t, reqs[0]))
				var ev exporter.PagerDutyEvent
				require.NoError(t, json.Unmarshal(reqs[0].Body, &ev))
				assert.Equal(t, "klearkarma-daily-cost-2026-11-30", ev.DedupKey)
				assert.Equal(t, routingKey, ev.RoutingKey, "from the secret")
				assert.Len(t, f.Slack.Requests(), 1)
				assert.True(t, rep.Paged && rep.SlackPosted)
			},
		},
		"a Slack failure fails the run after the metrics are out": {
			setup:   func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay; f.SlackStatus = 404 },
			wantErr: "Slack webhook answered 404 Not Found",
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				assert.Len(t, f.PutCalls(t), 1)
				require.NotNil(t, rep)
				assert.False(t, rep.SlackPosted)
			},
		},
		"an explicit day in the payload is the day exported": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay[:1] },
			event: `{"day":"2026-11-25"}`,
			check: func(t *testing.T, f *fakeaws.Fakes, rep *exporter.Report) {
				assert.Equal(t, "2026-11-25", f.CostQueries(t)[0].TimePeriod.Start)
				assert.Equal(t, time.Date(2026, 11, 25, 23, 59, 0, 0, time.UTC), f.Published(t)[0].Timestamp)
				assert.Equal(t, "2026-11-25", rep.Day)
			},
		},
		"a retry delivered after midnight still exports the day the schedule meant": {
			setup: func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay[:1] },
			event: strings.Replace(scheduled, "2026-12-01T10:00:00Z", "2026-11-30T10:00:00Z", 1),
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Equal(t, "2026-11-29", f.CostQueries(t)[0].TimePeriod.Start, "the event's time, not the clock (2026-12-01), picks the day")
			},
		},
		"a day that has not ended is refused before Cost Explorer is called": {
			event:   `{"day":"2026-12-01"}`,
			wantErr: "has not ended yet",
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Empty(t, f.CostExplorer.Requests())
			},
		},
		"a day older than CloudWatch accepts is refused before Cost Explorer is called": {
			event:   `{"day":"2026-11-16"}`,
			wantErr: "at most 14 days old",
			check: func(t *testing.T, f *fakeaws.Fakes, _ *exporter.Report) {
				assert.Empty(t, f.CostExplorer.Requests())
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			fx := newFixture(t, tc.setup)
			event := tc.event
			if event == "" {
				event = scheduled
			}
			rep, err := fx.e.Handle(context.Background(), json.RawMessage(event))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			if tc.check != nil {
				tc.check(t, fx.f, rep)
			}
		})
	}
}

// roundValue keeps the assertion on the sum readable: the float sum of the
// amounts differs from the decimal one in the last bits only.
func roundValue(p fakeaws.Point) fakeaws.Point {
	p.Value = float64(int64(p.Value*1e10+0.5)) / 1e10
	return p
}

func TestRunningTheSameDayTwicePublishesTheSamePoints(t *testing.T) {
	fx := newFixture(t, func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay })
	for range 2 {
		_, err := fx.e.Handle(context.Background(), json.RawMessage(scheduled))
		require.NoError(t, err)
	}
	calls := fx.f.PutCalls(t)
	require.Len(t, calls, 2)
	assert.Equal(t, calls[0], calls[1], "same timestamps, same values: the Maximum the alarms read is unchanged")
	assert.Equal(t, stamp, totalOf(t, calls[1].Data).Timestamp)
	assert.Len(t, fx.f.SecretsManager.Requests(), 1, "the warm container reads the secret once")
	assert.Len(t, fx.f.Slack.Requests(), 2, "each run of an over-budget day posts")
}

func TestAFailedPostDropsTheCachedSecret(t *testing.T) {
	fx := newFixture(t, func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay; f.SlackStatus = 410 })
	_, err := fx.e.Handle(context.Background(), json.RawMessage(scheduled))
	require.Error(t, err)
	fx.f.SlackStatus = 0
	_, err = fx.e.Handle(context.Background(), json.RawMessage(scheduled))
	require.NoError(t, err)
	assert.Len(t, fx.f.SecretsManager.Requests(), 2, "the retry re-reads a possibly rotated webhook")
}

func TestPlanPublishesNothing(t *testing.T) {
	fx := newFixture(t, func(f *fakeaws.Fakes, _ *exporter.Config) { f.Pages = aDay })
	p, err := fx.e.Plan(context.Background(), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.NotNil(t, p.Slack)
	assert.Nil(t, p.PagerDuty)
	assert.Equal(t, "Amazon Elastic Compute Cloud - Compute", p.Services[0].Service, "sorted by cost")
	assert.Equal(t, "Amazon Route 53", p.Services[len(p.Services)-1].Service, "the credit last")
	require.Len(t, p.Calls(), 1)
	assert.Len(t, p.Calls()[0].Data, 9)
	assert.Empty(t, fx.f.CloudWatch.Requests())
	assert.Empty(t, fx.f.SecretsManager.Requests())
	assert.Empty(t, fx.f.Slack.Requests())
}

func TestConfigFromEnv(t *testing.T) {
	cases := map[string]struct {
		env     map[string]string
		want    exporter.Config
		wantErr []string
	}{
		"the budget alone gives the documented defaults": {
			env: map[string]string{contract.EnvDailyBudgetUSD: "500"},
			want: exporter.Config{DailyBudgetUSD: 500, PageFactor: 2, PagerDutyEventsURL: "https://events.pagerduty.com/v2/enqueue",
				CostExplorerRegion: "us-east-1", MaxAttempts: 6},
		},
		"every variable the component sets is read": {
			env: map[string]string{contract.EnvDailyBudgetUSD: "100.5", contract.EnvPageFactor: "0", contract.EnvAlertSecretARN: secretARN,
				contract.EnvPagerDutyEventsURL: "https://events.eu.pagerduty.com/v2/enqueue", contract.EnvCostExplorerRegion: "us-east-1", contract.EnvMaxAttempts: "4"},
			want: exporter.Config{DailyBudgetUSD: 100.5, PageFactor: 0, AlertSecretARN: secretARN,
				PagerDutyEventsURL: "https://events.eu.pagerduty.com/v2/enqueue", CostExplorerRegion: "us-east-1", MaxAttempts: 4},
		},
		"a missing budget and a bad factor are both reported with their variables": {
			env:     map[string]string{contract.EnvPageFactor: "lots"},
			wantErr: []string{contract.EnvDailyBudgetUSD, contract.EnvPageFactor + `="lots" is not a number`},
		},
		"a page factor below one would page under budget and is refused": {
			env:     map[string]string{contract.EnvDailyBudgetUSD: "500", contract.EnvPageFactor: "0.5"},
			wantErr: []string{"at least 1"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := exporter.ConfigFromEnv(func(k string) string { return tc.env[k] })
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					assert.ErrorContains(t, err, w)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
