package costalarm_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func TestCostAlarm(t *testing.T) {
	cases := map[string]struct {
		args    costalarm.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"spend above the daily budget in a day raises the alarm to PagerDuty and email": {
			args: costalarm.Args{Name: "klearkarma-prod", DailyBudgetUSD: 500,
				PagerDutyEndpoint: pulumi.ToSecret(pulumi.String("https://events.pagerduty.com/integration/k/enqueue")).(pulumi.StringOutput),
				EmailTo:           "alerts@klearkarma.com"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				alarm := rec.Get(t, "aws:cloudwatch/metricAlarm:MetricAlarm::cost-alarm").Mappable()
				assert.Equal(t, 500.0, alarm["threshold"])
				assert.Equal(t, "GreaterThanThreshold", alarm["comparisonOperator"])
				q := alarm["metricQueries"].([]any)
				metric := q[0].(map[string]any)["metric"].(map[string]any)
				assert.Equal(t, "AWS/Billing", metric["namespace"])
				assert.Equal(t, "EstimatedCharges", metric["metricName"])
				assert.Equal(t, 86400.0, metric["period"])
				assert.Equal(t, "DIFF(charges)", q[1].(map[string]any)["expression"])
				pd := rec.Get(t, "aws:sns/topicSubscription:TopicSubscription::cost-pagerduty")
				assert.True(t, pd["endpoint"].IsSecret(), "the endpoint holds the integration key")
				assert.Equal(t, "https", pd["protocol"].StringValue())
				assert.True(t, rec.Has("aws:sns/topicSubscription:TopicSubscription::cost-email"))
			},
		},
		"without PagerDuty or email only the topic and the alarm exist": {
			args: costalarm.Args{Name: "klearkarma-dev", DailyBudgetUSD: 100},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 0, rec.CountType("aws:sns/topicSubscription:TopicSubscription"))
				assert.True(t, rec.Has("aws:sns/topic:Topic::cost-topic"))
			},
		},
		"a budget of zero is refused":  {args: costalarm.Args{Name: "x"}, wantErr: "dailyBudgetUsd: 0 is not a budget"},
		"a malformed email is refused": {args: costalarm.Args{Name: "x", DailyBudgetUSD: 1, EmailTo: "alerts at klearkarma"}, wantErr: `emailTo: "alerts at klearkarma" is not an email address`},
		"a missing name is refused":    {args: costalarm.Args{DailyBudgetUSD: 1}, wantErr: "name: is required"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := costalarm.New(ctx, "cost", tc.args)
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}
