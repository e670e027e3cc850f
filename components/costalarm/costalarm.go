// Package costalarm owns the daily cost alert: a CloudWatch alarm on the
// day-over-day growth of AWS's own billing metric (AWS/Billing
// EstimatedCharges) against the daily budget, and the SNS topic that
// carries it to PagerDuty's CloudWatch integration and to email.
//
// This replaces the seed's cost-monitoring script (Cost Explorer -> custom
// metric -> Slack) with AWS-published data: nothing of ours has to run for
// the alert to work. Billing metrics exist only in us-east-1 and only once
// "Receive Billing Alerts" is enabled for the account, so the caller passes
// a us-east-1 provider. EstimatedCharges is month-to-date and resets on the
// 1st; the day-over-day DIFF is then negative and cannot breach.
package costalarm

import (
	"fmt"
	"net/mail"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:CostAlarm"

// Args configure the alarm.
type Args struct {
	// Name prefixes the topic and the alarm, e.g. "klearkarma-prod".
	Name string
	// DailyBudgetUSD is the most the account may spend in a day.
	DailyBudgetUSD float64
	// PagerDutyEndpoint is the CloudWatch integration URL (secret: it holds
	// the integration key); nil sends no page.
	PagerDutyEndpoint pulumi.StringInput
	// EmailTo receives the alarm too ("" for none); SNS asks it to confirm.
	EmailTo string
}

// CostAlarm is the component.
type CostAlarm struct {
	pulumi.ResourceState
	TopicArn  pulumi.StringOutput `pulumi:"topicArn"`
	AlarmName pulumi.StringOutput `pulumi:"alarmName"`
}

// CheckBudget states the budget's rule, which the stack configuration
// checks under its own key: a positive number of US dollars.
func CheckBudget(ps *check.Problems, field string, usd float64) {
	if usd <= 0 {
		ps.Add(field, fmt.Sprintf("%v is not a budget", usd), "set a positive number of US dollars, such as 500")
	}
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	if a.Name == "" {
		ps.Add("name", "is required", "pass the prefix of the topic and alarm names, such as klearkarma-prod")
	}
	CheckBudget(&ps, "dailyBudgetUsd", a.DailyBudgetUSD)
	if a.EmailTo != "" {
		// Display names ("Alerts <alerts@...>") are allowed, as in email.defaultTo.
		if _, err := mail.ParseAddress(a.EmailTo); err != nil {
			ps.Add("emailTo", fmt.Sprintf("%q is not an email address", a.EmailTo), "use an address such as alerts@klearkarma.com, or leave it empty")
		}
	}
	return ps.Err()
}

// New creates the topic, its subscriptions and the alarm.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*CostAlarm, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("cost alarm %q: %w", name, err)
	}
	c := &CostAlarm{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	topic, err := sns.NewTopic(ctx, conventions.Child(name, "topic"), &sns.TopicArgs{
		Name: pulumi.String(conventions.Child(args.Name, "cost-alerts")),
		// AWS-managed key: alarms from CloudWatch can publish to it.
		KmsMasterKeyId: pulumi.String("alias/aws/sns"),
	}, parent)
	if err != nil {
		return nil, err
	}
	if args.PagerDutyEndpoint != nil {
		if _, err := sns.NewTopicSubscription(ctx, conventions.Child(name, "pagerduty"), &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("https"),
			Endpoint:             pulumi.ToSecret(args.PagerDutyEndpoint).(pulumi.StringOutput),
			EndpointAutoConfirms: pulumi.Bool(true), // PagerDuty confirms SNS subscriptions itself
		}, parent); err != nil {
			return nil, err
		}
	}
	if args.EmailTo != "" {
		if _, err := sns.NewTopicSubscription(ctx, conventions.Child(name, "email"), &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(args.EmailTo),
		}, parent); err != nil {
			return nil, err
		}
	}

	const day = 86400
	budget := strconv.FormatFloat(args.DailyBudgetUSD, 'f', 2, 64)
	alarm, err := cloudwatch.NewMetricAlarm(ctx, conventions.Child(name, "alarm"), &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(conventions.Child(args.Name, "daily-cost-over-budget")),
		AlarmDescription:   pulumi.String("AWS spend grew by more than the daily budget of $" + budget + " in the last day (AWS/Billing EstimatedCharges, day over day)."),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		Threshold:          pulumi.Float64(args.DailyBudgetUSD),
		EvaluationPeriods:  pulumi.Int(1),
		DatapointsToAlarm:  pulumi.Int(1),
		TreatMissingData:   pulumi.String("notBreaching"),
		MetricQueries: cloudwatch.MetricAlarmMetricQueryArray{
			&cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("charges"), ReturnData: pulumi.Bool(false),
				Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
					Namespace: pulumi.String("AWS/Billing"), MetricName: pulumi.String("EstimatedCharges"),
					Dimensions: pulumi.StringMap{"Currency": pulumi.String("USD")},
					Period:     pulumi.Int(day), Stat: pulumi.String("Maximum"),
				},
			},
			&cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("daily"), Label: pulumi.String("Spend in the last day (USD)"),
				Expression: pulumi.String("DIFF(charges)"), ReturnData: pulumi.Bool(true),
			},
		},
		AlarmActions: pulumi.Array{topic.Arn},
		OkActions:    pulumi.Array{topic.Arn},
	}, parent)
	if err != nil {
		return nil, err
	}
	c.TopicArn = topic.Arn
	c.AlarmName = alarm.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"topicArn": c.TopicArn, "alarmName": c.AlarmName})
}
