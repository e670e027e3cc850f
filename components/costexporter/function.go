package costexporter

import (
	"encoding/base64"
	"encoding/hex"
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

// builder creates the children, each named after the component and its role.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
}

func (b *builder) role(r string) string { return conventions.Child(b.name, r) }

// function creates the function with its log group, alert secret and role,
// and returns it with the secret's ARN.
func (b *builder) function() (*lambda.Function, pulumi.StringOutput, error) {
	none := pulumi.StringOutput{}
	logs, err := cloudwatch.NewLogGroup(b.ctx, b.role("logs"), &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/aws/lambda/" + b.args.functionName()),
		RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
	}, b.parent)
	if err != nil {
		return nil, none, err
	}
	secret, err := secretsmanager.NewSecret(b.ctx, b.role("alert-secret"), &secretsmanager.SecretArgs{
		// A prefix: AWS appends a unique suffix after the dash.
		NamePrefix:           pulumi.String(conventions.Child(b.args.Name, "cost-alerts") + "-"),
		Description:          pulumi.String("Slack webhook and PagerDuty routing key the cost exporter alerts with (JSON)."),
		RecoveryWindowInDays: pulumi.Int(7),
	}, b.parent)
	if err != nil {
		return nil, none, err
	}
	secretValue, err := secretsmanager.NewSecretVersion(b.ctx, b.role("alert-secret-value"), &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: alertSecretJSON(b.args.SlackWebhookURL, b.args.PagerDutyRoutingKey),
	}, b.parent)
	if err != nil {
		return nil, none, err
	}
	role, policy, err := b.executionRole(secret.Arn, logs.Arn)
	if err != nil {
		return nil, none, err
	}
	fn, err := b.lambda(role.Arn, secret.Arn, logs.Name, pulumi.DependsOn([]pulumi.Resource{logs, policy, secretValue}))
	return fn, secret.Arn, err
}

// executionRole is the function's least-privilege role (see permissions).
func (b *builder) executionRole(secretArn, logGroupArn pulumi.StringOutput) (*iam.Role, *iam.RolePolicy, error) {
	assume, err := encoding.JSON(assumeRolePolicy())
	if err != nil {
		return nil, nil, err
	}
	role, err := iam.NewRole(b.ctx, b.role("role"), &iam.RoleArgs{
		Name:             pulumi.String(b.args.functionName()),
		Description:      pulumi.String("Runs the cost exporter: reads Cost Explorer, writes KlearKarma/Costs metrics, reads its alert secret."),
		AssumeRolePolicy: pulumi.String(assume),
	}, b.parent)
	if err != nil {
		return nil, nil, err
	}
	policy, err := iam.NewRolePolicy(b.ctx, b.role("policy"), &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.All(secretArn, logGroupArn).ApplyT(func(v []any) (string, error) {
			return encoding.JSON(permissions(v[0].(string), v[1].(string)))
		}).(pulumi.StringOutput),
	}, b.parent)
	return role, policy, err
}

// lambda is the function itself: arm64 on provided.al2023, configured
// through contract's environment.
func (b *builder) lambda(roleArn, secretArn, logGroup pulumi.StringOutput, after pulumi.ResourceOption) (*lambda.Function, error) {
	a := b.args
	pageFactor := strconv.FormatFloat(a.PageFactor, 'f', -1, 64)
	if a.PagerDutyRoutingKey == nil {
		pageFactor = "0"
	}
	sum, _ := hex.DecodeString(a.ZipSHA256) // checked in withDefaults
	return lambda.NewFunction(b.ctx, b.role("function"), &lambda.FunctionArgs{
		Name:          pulumi.String(a.functionName()),
		Description:   pulumi.String("Publishes yesterday's AWS cost per service to CloudWatch KlearKarma/Costs and alerts over budget."),
		Role:          roleArn,
		Runtime:       pulumi.String("provided.al2023"),
		Handler:       pulumi.String("bootstrap"),
		Architectures: pulumi.StringArray{pulumi.String("arm64")},
		Code:          pulumi.NewFileArchive(a.ZipPath),
		// Lambda's own format: base64 of the raw SHA-256 of the zip.
		SourceCodeHash: pulumi.String(base64.StdEncoding.EncodeToString(sum)),
		MemorySize:     pulumi.Int(a.MemoryMB),
		Timeout:        pulumi.Int(a.TimeoutSeconds),
		Environment: &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
			contract.EnvDailyBudgetUSD:     pulumi.String(strconv.FormatFloat(a.DailyBudgetUSD, 'f', -1, 64)),
			contract.EnvPageFactor:         pulumi.String(pageFactor),
			contract.EnvAlertSecretARN:     secretArn,
			contract.EnvPagerDutyEventsURL: pulumi.String(a.PagerDutyEventsURL),
			contract.EnvCostExplorerRegion: pulumi.String(contract.DefaultCostExplorerRegion),
			contract.EnvMaxAttempts:        pulumi.String(strconv.Itoa(contract.DefaultMaxAttempts)),
		}},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: logGroup},
	}, b.parent, after)
}

// schedule runs the function daily (Args.Schedule) through EventBridge.
func (b *builder) schedule(fn *lambda.Function) error {
	rule, err := cloudwatch.NewEventRule(b.ctx, b.role("schedule"), &cloudwatch.EventRuleArgs{
		Name:               pulumi.String(b.args.functionName()),
		Description:        pulumi.String("Daily run of the cost exporter for the previous UTC day."),
		ScheduleExpression: pulumi.String(b.args.Schedule),
	}, b.parent)
	if err != nil {
		return err
	}
	permission, err := lambda.NewPermission(b.ctx, b.role("invoke-permission"), &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.Name,
		Principal: pulumi.String("events.amazonaws.com"),
		SourceArn: rule.Arn,
	}, b.parent)
	if err != nil {
		return err
	}
	_, err = cloudwatch.NewEventTarget(b.ctx, b.role("schedule-target"), &cloudwatch.EventTargetArgs{
		Rule: rule.Name,
		Arn:  fn.Arn,
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{permission}))
	return err
}
