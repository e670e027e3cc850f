package costexporter

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/functions/costexporter/contract"
	"github.com/klearkarma/observability/internal/conventions"
)

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
		Name:               pulumi.String(args.alarmName("over-budget")),
		AlarmDescription:   pulumi.String("Yesterday's AWS cost (Cost Explorer, all services) was over the daily budget of $" + budget + ". See the " + args.dashboardName() + " dashboard."),
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
		Name:               pulumi.String(args.alarmName("errors")),
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
		Name:               pulumi.String(args.alarmName("missing")),
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
