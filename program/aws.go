package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/components/pagerduty"
	"github.com/klearkarma/observability/stacks"
)

// buildAWS creates what the platform keeps in the AWS account itself: the
// CloudWatch log groups and the daily cost alarm. The buckets belong to
// the metrics and logging paths.
func buildAWS(ctx *pulumi.Context, cfg *stacks.Config, p *providers, paging *pagerduty.PagerDuty) error {
	if !cfg.AWS.Enabled {
		return nil
	}
	lg, err := loggroups.New(ctx, "cloudwatch-logs", loggroups.Args{
		Prefix: "/klearkarma/" + cfg.Environment,
		Groups: []loggroups.Group{
			{Role: "application", RetentionDays: cfg.Retention.Logs.Application.Days()},
			{Role: "audit", RetentionDays: cfg.Retention.Logs.Audit.Days()},
		},
	}, p.aws)
	if err != nil {
		return err
	}
	ctx.Export("cloudWatchLogGroups", lg.Names)

	// Billing metrics live only in us-east-1.
	args := costalarm.Args{Name: "klearkarma-" + cfg.Environment, DailyBudgetUSD: cfg.AWS.DailyBudgetUSD}
	if paging != nil {
		args.PagerDutyEndpoint = paging.CloudWatchEndpoint
	}
	if cfg.Email.Enabled {
		args.EmailTo = cfg.Email.DefaultTo
	}
	alarm, err := costalarm.New(ctx, "cost-alarm", args, p.awsBilling)
	if err != nil {
		return err
	}
	ctx.Export("costAlarm", alarm.AlarmName)
	return nil
}
