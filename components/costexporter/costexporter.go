// Package costexporter owns the deployment of the cost exporter Lambda
// (functions/costexporter): the function, its least-privilege role, its
// log group, the secret holding the Slack webhook and PagerDuty routing
// key, the daily schedule, the alarms on what it publishes and on itself,
// and a dashboard of cost by service. It builds nothing (the program passes
// the zip from functions/costexporter/build) and reads no config.
//
// Timing, in UTC. Cost Explorer has no published refresh hour; it refreshes
// at least once a day and yesterday's figures keep settling for hours after
// midnight. The schedule (default 10:00) leaves the day ten hours to settle
// and still stamps its points under 24 hours old (see the exporter's package
// doc for why that matters to alarms). Day D's points are stamped D 23:59
// and visible by about D+1 12:00.
//
//   - Over budget: Maximum of TotalDailyCost over 1 day > budget, missing
//     data not breaching. A bad day alarms from when its point is visible
//     until its stamp leaves the 24-hour window (about 12 hours), so every
//     over-budget day is one ALARM transition, one notification.
//   - Errors: AWS/Lambda Errors (Sum, 1 hour) > 0: any failed invocation,
//     retries included, and a failed init (bad environment).
//   - Missing: SampleCount of TotalDailyCost < 1 in 2 of 2 daily periods,
//     missing data breaching. Normally only the newest period can be empty
//     (today's point is not out yet), so this fires when a whole day's total
//     never arrived: from about D+1 23:59 for a day D that failed, until a
//     run (or a re-run with --day) publishes. It catches what the errors
//     alarm cannot: a disabled rule, throttled async delivery, a deleted
//     function. On a new stack it is in ALARM until the first run has
//     published; invoke the function once after the first deploy.
package costexporter

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:CostExporter"

// DefaultSchedule runs at 10:00 UTC (see the package doc).
const DefaultSchedule = "cron(0 10 * * ? *)"

const day = 86400

// CostExporter is the component.
type CostExporter struct {
	pulumi.ResourceState

	FunctionName     pulumi.StringOutput `pulumi:"functionName"`
	FunctionArn      pulumi.StringOutput `pulumi:"functionArn"`
	SecretArn        pulumi.StringOutput `pulumi:"secretArn"`
	DashboardName    pulumi.StringOutput `pulumi:"dashboardName"`
	BudgetAlarmName  pulumi.StringOutput `pulumi:"budgetAlarmName"`
	ErrorsAlarmName  pulumi.StringOutput `pulumi:"errorsAlarmName"`
	MissingAlarmName pulumi.StringOutput `pulumi:"missingAlarmName"`
}

// New creates the exporter and everything around it.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*CostExporter, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("cost exporter %q: %w", name, err)
	}
	body, err := dashboardBody(args.Region, args.functionName(), args.Schedule, args.DailyBudgetUSD)
	if err != nil {
		return nil, fmt.Errorf("cost exporter %q: %w", name, err)
	}
	c := &CostExporter{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: &args, parent: pulumi.Parent(c)}
	fn, secretArn, err := b.function()
	if err != nil {
		return nil, err
	}
	if err := b.schedule(fn); err != nil {
		return nil, err
	}
	alarms, err := newAlarms(ctx, name, &args, fn.Name, b.parent)
	if err != nil {
		return nil, err
	}
	dash, err := cloudwatch.NewDashboard(ctx, conventions.Child(name, "dashboard"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(args.dashboardName()),
		DashboardBody: pulumi.String(body),
	}, b.parent)
	if err != nil {
		return nil, err
	}

	c.FunctionName = fn.Name
	c.FunctionArn = fn.Arn
	c.SecretArn = secretArn
	c.DashboardName = dash.DashboardName
	c.BudgetAlarmName = alarms.budget.Name
	c.ErrorsAlarmName = alarms.errors.Name
	c.MissingAlarmName = alarms.missing.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"functionName": c.FunctionName, "functionArn": c.FunctionArn, "secretArn": c.SecretArn,
		"dashboardName": c.DashboardName, "budgetAlarmName": c.BudgetAlarmName,
		"errorsAlarmName": c.ErrorsAlarmName, "missingAlarmName": c.MissingAlarmName,
	})
}
