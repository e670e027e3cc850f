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
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/functions/costexporter/contract"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:CostExporter"

// DefaultSchedule runs at 10:00 UTC (see the package doc).
const DefaultSchedule = "cron(0 10 * * ? *)"

const day = 86400

// Args configure the exporter.
type Args struct {
	// Name prefixes every AWS name, e.g. "klearkarma-prod"; the function is
	// Name+"-cost-exporter".
	Name string
	// Region is where the provider deploys (the dashboard's widgets need
	// it); metrics, alarms and dashboard all live there.
	Region string
	// ZipPath and ZipSHA256 come from build.BuildZip. The hash is the
	// function's source code hash, so an identical rebuild shows no diff.
	ZipPath   string
	ZipSHA256 string
	// DailyBudgetUSD is the most the account may spend in a UTC day.
	DailyBudgetUSD float64
	// PageFactor pages PagerDuty above this many times the budget (default
	// 2; at least 1). No PagerDutyRoutingKey: no paging.
	PageFactor float64
	// SlackWebhookURL receives the over-budget message (secret, required).
	SlackWebhookURL pulumi.StringInput
	// PagerDutyRoutingKey is an Events API v2 integration key (secret).
	PagerDutyRoutingKey pulumi.StringInput
	// PagerDutyEventsURL defaults to the US service region's endpoint; the
	// EU region uses https://events.eu.pagerduty.com/v2/enqueue.
	PagerDutyEventsURL string
	// Schedule is the EventBridge schedule expression (default
	// DefaultSchedule).
	Schedule string
	// LogRetentionDays keeps the function's logs (default 30).
	LogRetentionDays int
	// AlarmActions are SNS topic ARNs in Region the three alarms notify
	// (ALARM and OK); none: the alarms only change state.
	AlarmActions []pulumi.StringInput
	// MemoryMB (default 128) and TimeoutSeconds (default 120).
	MemoryMB       int
	TimeoutSeconds int
}

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

// Log retentions CloudWatch Logs accepts.
var retentions = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var (
	awsName  = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	schedule = regexp.MustCompile(`^(cron|rate)\(.+\)$`)
)

func (a *Args) functionName() string { return a.Name + "-cost-exporter" }

func (a *Args) withDefaults() error {
	var errs []error
	switch {
	case a.Name == "":
		errs = append(errs, errors.New("a name is required, such as klearkarma-prod"))
	case !awsName.MatchString(a.Name) || len(a.functionName()) > 64:
		errs = append(errs, fmt.Errorf("name %q must be letters, digits and dashes, at most %d characters (the function name adds -cost-exporter)", a.Name, 64-len("-cost-exporter")))
	}
	if a.Region == "" {
		errs = append(errs, errors.New("a region is required: pass the AWS provider's region"))
	}
	if a.ZipPath == "" {
		errs = append(errs, errors.New("a zip path is required: build it with functions/costexporter/build.BuildZip"))
	} else if _, err := os.Stat(a.ZipPath); err != nil {
		errs = append(errs, fmt.Errorf("zip %s: %w: build it with functions/costexporter/build.BuildZip before New", a.ZipPath, err))
	}
	if b, err := hex.DecodeString(a.ZipSHA256); err != nil || len(b) != 32 {
		errs = append(errs, fmt.Errorf("zip sha256 %q is not 64 hex digits: pass the hash BuildZip returns", a.ZipSHA256))
	}
	if a.DailyBudgetUSD <= 0 {
		errs = append(errs, fmt.Errorf("daily budget %v must be positive", a.DailyBudgetUSD))
	}
	if a.PageFactor == 0 {
		a.PageFactor = contract.DefaultPageFactor
	}
	if a.PageFactor < 1 {
		errs = append(errs, fmt.Errorf("page factor %v must be at least 1: below it a day under budget would page", a.PageFactor))
	}
	if a.SlackWebhookURL == nil {
		errs = append(errs, errors.New("a Slack webhook URL is required (a secret, e.g. config.RequireSecret)"))
	}
	if a.PagerDutyEventsURL == "" {
		a.PagerDutyEventsURL = contract.DefaultPagerDutyEventsURL
	}
	if a.Schedule == "" {
		a.Schedule = DefaultSchedule
	}
	if !schedule.MatchString(a.Schedule) {
		errs = append(errs, fmt.Errorf("schedule %q is not an EventBridge expression such as %s", a.Schedule, DefaultSchedule))
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = 30
	}
	if !slices.Contains(retentions, a.LogRetentionDays) {
		errs = append(errs, fmt.Errorf("log retention %d days is not one CloudWatch Logs accepts (%v)", a.LogRetentionDays, retentions))
	}
	if a.MemoryMB == 0 {
		a.MemoryMB = 128
	}
	if a.MemoryMB < 128 || a.MemoryMB > 10240 {
		errs = append(errs, fmt.Errorf("memory %d MB is outside Lambda's 128-10240", a.MemoryMB))
	}
	if a.TimeoutSeconds == 0 {
		a.TimeoutSeconds = 120
	}
	if a.TimeoutSeconds < 1 || a.TimeoutSeconds > 900 {
		errs = append(errs, fmt.Errorf("timeout %d s is outside Lambda's 1-900", a.TimeoutSeconds))
	}
	return errors.Join(errs...)
}

// New creates the exporter and everything around it.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*CostExporter, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("cost exporter %q: %w", name, err)
	}
	c := &CostExporter{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	fnName := args.functionName()

	logs, err := cloudwatch.NewLogGroup(ctx, conventions.Child(name, "logs"), &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/aws/lambda/" + fnName),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
	}, parent)
	if err != nil {
		return nil, err
	}

	secret, err := secretsmanager.NewSecret(ctx, conventions.Child(name, "alert-secret"), &secretsmanager.SecretArgs{
		NamePrefix:           pulumi.String(args.Name + "-cost-alerts-"),
		Description:          pulumi.String("Slack webhook and PagerDuty routing key the cost exporter alerts with (JSON)."),
		RecoveryWindowInDays: pulumi.Int(7),
	}, parent)
	if err != nil {
		return nil, err
	}
	secretValue, err := secretsmanager.NewSecretVersion(ctx, conventions.Child(name, "alert-secret-value"), &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: alertSecretJSON(args.SlackWebhookURL, args.PagerDutyRoutingKey),
	}, parent)
	if err != nil {
		return nil, err
	}

	assume, err := encoding.JSON(assumeRolePolicy())
	if err != nil {
		return nil, fmt.Errorf("cost exporter %q: %w", name, err)
	}
	role, err := iam.NewRole(ctx, conventions.Child(name, "role"), &iam.RoleArgs{
		Name:             pulumi.String(fnName),
		Description:      pulumi.String("Runs the cost exporter: reads Cost Explorer, writes KlearKarma/Costs metrics, reads its alert secret."),
		AssumeRolePolicy: pulumi.String(assume),
	}, parent)
	if err != nil {
		return nil, err
	}
	policy, err := iam.NewRolePolicy(ctx, conventions.Child(name, "policy"), &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.All(secret.Arn, logs.Arn).ApplyT(func(v []any) (string, error) {
			return encoding.JSON(permissions(v[0].(string), v[1].(string)))
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}

	pageFactor := strconv.FormatFloat(args.PageFactor, 'f', -1, 64)
	if args.PagerDutyRoutingKey == nil {
		pageFactor = "0"
	}
	sum, _ := hex.DecodeString(args.ZipSHA256) // checked in withDefaults
	fn, err := lambda.NewFunction(ctx, conventions.Child(name, "function"), &lambda.FunctionArgs{
		Name:          pulumi.String(fnName),
		Description:   pulumi.String("Publishes yesterday's AWS cost per service to CloudWatch KlearKarma/Costs and alerts over budget."),
		Role:          role.Arn,
		Runtime:       pulumi.String("provided.al2023"),
		Handler:       pulumi.String("bootstrap"),
		Architectures: pulumi.StringArray{pulumi.String("arm64")},
		Code:          pulumi.NewFileArchive(args.ZipPath),
		// Lambda's own format: base64 of the raw SHA-256 of the zip.
		SourceCodeHash: pulumi.String(base64.StdEncoding.EncodeToString(sum)),
		MemorySize:     pulumi.Int(args.MemoryMB),
		Timeout:        pulumi.Int(args.TimeoutSeconds),
		Environment: &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
			contract.EnvDailyBudgetUSD:     pulumi.String(strconv.FormatFloat(args.DailyBudgetUSD, 'f', -1, 64)),
			contract.EnvPageFactor:         pulumi.String(pageFactor),
			contract.EnvAlertSecretARN:     secret.Arn,
			contract.EnvPagerDutyEventsURL: pulumi.String(args.PagerDutyEventsURL),
			contract.EnvCostExplorerRegion: pulumi.String(contract.DefaultCostExplorerRegion),
			contract.EnvMaxAttempts:        pulumi.String(strconv.Itoa(contract.DefaultMaxAttempts)),
		}},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: logs.Name},
	}, parent, pulumi.DependsOn([]pulumi.Resource{logs, policy, secretValue}))
	if err != nil {
		return nil, err
	}

	rule, err := cloudwatch.NewEventRule(ctx, conventions.Child(name, "schedule"), &cloudwatch.EventRuleArgs{
		Name:               pulumi.String(fnName),
		Description:        pulumi.String("Daily run of the cost exporter for the previous UTC day."),
		ScheduleExpression: pulumi.String(args.Schedule),
	}, parent)
	if err != nil {
		return nil, err
	}
	permission, err := lambda.NewPermission(ctx, conventions.Child(name, "invoke-permission"), &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.Name,
		Principal: pulumi.String("events.amazonaws.com"),
		SourceArn: rule.Arn,
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := cloudwatch.NewEventTarget(ctx, conventions.Child(name, "schedule-target"), &cloudwatch.EventTargetArgs{
		Rule: rule.Name,
		Arn:  fn.Arn,
	}, parent, pulumi.DependsOn([]pulumi.Resource{permission})); err != nil {
		return nil, err
	}

	alarms, err := newAlarms(ctx, name, &args, fn.Name, parent)
	if err != nil {
		return nil, err
	}

	body, err := dashboardBody(args.Region, fnName, args.Schedule, args.DailyBudgetUSD)
	if err != nil {
		return nil, fmt.Errorf("cost exporter %q: %w", name, err)
	}
	dash, err := cloudwatch.NewDashboard(ctx, conventions.Child(name, "dashboard"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(args.Name + "-costs"),
		DashboardBody: pulumi.String(body),
	}, parent)
	if err != nil {
		return nil, err
	}

	c.FunctionName = fn.Name
	c.FunctionArn = fn.Arn
	c.SecretArn = secret.Arn
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

// alertSecretJSON is contract.AlertSecret as a secret Output: the values
// never appear unmarked in state.
func alertSecretJSON(slack, pagerDuty pulumi.StringInput) pulumi.StringOutput {
	if pagerDuty == nil {
		pagerDuty = pulumi.String("")
	}
	doc := pulumi.All(slack, pagerDuty).ApplyT(func(v []any) (string, error) {
		return encoding.JSON(contract.AlertSecret{SlackWebhookURL: v[0].(string), PagerDutyRoutingKey: v[1].(string)})
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(doc).(pulumi.StringOutput)
}

type alarmSet struct{ budget, errors, missing *cloudwatch.MetricAlarm }

func newAlarms(ctx *pulumi.Context, name string, args *Args, fnName pulumi.StringOutput, parent pulumi.ResourceOption) (*alarmSet, error) {
	actions := pulumi.Array{}
	for _, a := range args.AlarmActions {
		actions = append(actions, a)
	}
	budget := strconv.FormatFloat(args.DailyBudgetUSD, 'f', 2, 64)
	var s alarmSet
	var err error
	if s.budget, err = cloudwatch.NewMetricAlarm(ctx, conventions.Child(name, "over-budget-alarm"), &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(args.Name + "-cost-exporter-over-budget"),
		AlarmDescription:   pulumi.String("Yesterday's AWS cost (Cost Explorer, all services) was over the daily budget of $" + budget + ". See the " + args.Name + "-costs dashboard."),
		Namespace:          pulumi.String(contract.Namespace),
		MetricName:         pulumi.String(contract.TotalMetric),
		Statistic:          pulumi.String("Maximum"),
		Period:             pulumi.Int(day),
		EvaluationPeriods:  pulumi.Int(1),
		DatapointsToAlarm:  pulumi.Int(1),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		Threshold:          pulumi.Float64(args.DailyBudgetUSD),
		TreatMissingData:   pulumi.String("notBreaching"),
		AlarmActions:       actions, OkActions: actions,
	}, parent); err != nil {
		return nil, err
	}
	if s.errors, err = cloudwatch.NewMetricAlarm(ctx, conventions.Child(name, "errors-alarm"), &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(args.Name + "-cost-exporter-errors"),
		AlarmDescription:   pulumi.String("The cost exporter failed; its log group /aws/lambda/" + args.functionName() + " says why. Re-run a day with: costexporter --day YYYY-MM-DD."),
		Namespace:          pulumi.String("AWS/Lambda"),
		MetricName:         pulumi.String("Errors"),
		Dimensions:         pulumi.StringMap{"FunctionName": fnName},
		Statistic:          pulumi.String("Sum"),
		Period:             pulumi.Int(3600),
		EvaluationPeriods:  pulumi.Int(1),
		DatapointsToAlarm:  pulumi.Int(1),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		Threshold:          pulumi.Float64(0),
		TreatMissingData:   pulumi.String("notBreaching"),
		AlarmActions:       actions, OkActions: actions,
	}, parent); err != nil {
		return nil, err
	}
	if s.missing, err = cloudwatch.NewMetricAlarm(ctx, conventions.Child(name, "missing-alarm"), &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(args.Name + "-cost-exporter-missing"),
		AlarmDescription:   pulumi.String("No daily cost total arrived in KlearKarma/Costs for a whole day: the cost exporter did not run or did not finish. Check the schedule " + args.functionName() + " and the function's logs."),
		Namespace:          pulumi.String(contract.Namespace),
		MetricName:         pulumi.String(contract.TotalMetric),
		Statistic:          pulumi.String("SampleCount"),
		Period:             pulumi.Int(day),
		EvaluationPeriods:  pulumi.Int(2),
		DatapointsToAlarm:  pulumi.Int(2),
		ComparisonOperator: pulumi.String("LessThanThreshold"),
		Threshold:          pulumi.Float64(1),
		TreatMissingData:   pulumi.String("breaching"),
		AlarmActions:       actions, OkActions: actions,
	}, parent); err != nil {
		return nil, err
	}
	return &s, nil
}
