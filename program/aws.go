package program

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"golang.org/x/mod/modfile"

	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/components/costexporter"
	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/components/pagerduty"
	lambdabuild "github.com/klearkarma/observability/functions/costexporter/build"
	"github.com/klearkarma/observability/stacks"
)

// buildAWS creates what the platform keeps in the AWS account itself: the
// CloudWatch log groups and the daily cost alarm. The buckets belong to
// the metrics and logging paths.
func buildAWS(ctx *pulumi.Context, cfg *stacks.Config, p *providers, paging *pagerduty.PagerDuty, zip zipBuilder) error {
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
	if !cfg.AWS.CostExporter {
		return nil
	}
	return buildCostExporter(ctx, cfg, p, paging, alarm, zip)
}

// buildCostExporter deploys the strategy's cost metrics: a daily Lambda that
// publishes yesterday's cost per AWS service (KlearKarma/Costs) and posts
// the over-budget message to Slack, built from functions/costexporter of
// this checkout. It lives next to the billing alarm in us-east-1 (Cost
// Explorer's region), whose topic its own alarms notify.
func buildCostExporter(ctx *pulumi.Context, cfg *stacks.Config, p *providers, paging *pagerduty.PagerDuty, alarm *costalarm.CostAlarm, lambda zipBuilder) error {
	zip, sum, err := lambda(ctx.Context())
	if err != nil {
		return fmt.Errorf("cost exporter: %w", err)
	}
	if zip == "" {
		return nil // an evaluation that builds no archive (Preflight)
	}
	args := costexporter.Args{
		Name: "klearkarma-" + cfg.Environment, Region: billingRegion,
		ZipPath: zip, ZipSHA256: sum, DailyBudgetUSD: cfg.AWS.DailyBudgetUSD,
		SlackWebhookURL:  cfg.Secrets.SlackWebhookURL,
		LogRetentionDays: 30,
		AlarmActions:     []pulumi.StringInput{alarm.TopicArn},
	}
	if paging != nil {
		args.PagerDutyRoutingKey = paging.DefaultRoutingKey
		if cfg.PagerDuty.ServiceRegion == "eu" {
			args.PagerDutyEventsURL = "https://events.eu.pagerduty.com/v2/enqueue"
		}
	}
	ce, err := costexporter.New(ctx, "cost-exporter", args, p.awsBilling)
	if err != nil {
		return err
	}
	ctx.Export("costExporterFunction", ce.FunctionName)
	ctx.Export("costDashboard", ce.DashboardName)
	return nil
}

// lambdaZip builds the archive from this checkout once per process: the
// sources cannot change while the program runs, and an evaluation (preview,
// then up, or a test evaluating the program many times) would otherwise
// pay a go build each time.
var lambdaZip = func() zipBuilder {
	var (
		once      sync.Once
		path, sum string
		err       error
	)
	return func(ctx context.Context) (string, string, error) {
		once.Do(func() {
			var repo string
			if repo, err = sourceDir(); err != nil {
				return
			}
			path, sum, err = lambdabuild.BuildZip(ctx, repo, filepath.Join(repo, "bin", "lambda"))
		})
		return path, sum, err
	}
}()

// sourceDir is the root of this repository's checkout (the directory of
// the go.mod of this module), found from the working directory up: the
// Lambda is built from it at deploy time.
func sourceDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && modfile.ModulePath(b) == modulePath {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no checkout of %s above %s: the cost exporter is built from the repository at deploy time, so run pulumi (or stackctl) from a checkout", modulePath, dir)
		}
	}
}

// modulePath is this repository's Go module.
const modulePath = "github.com/klearkarma/observability"
