// The nested object types of the pagerduty resources, in the shape of the SDK's
// pulumiTypes.go: a plain struct (what outputs hold), XArgs (inputs), XArray for
// repeated blocks and XPtr/XPtrInput for single objects, and the matching Outputs.
// Single objects (MaxItems=1 upstream) are never arrays here, as in the schema.

package pagerduty

import (
	"context"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// One escalation level of an EscalationPolicy.
type EscalationPolicyRule struct {
	// Minutes before the incident escalates to the next rule (>= 1).
	EscalationDelayInMinutes int `pulumi:"escalationDelayInMinutes"`
	// How the rule assigns (a single object). Needs the Teams feature.
	EscalationRuleAssignmentStrategy *EscalationPolicyRuleEscalationRuleAssignmentStrategy `pulumi:"escalationRuleAssignmentStrategy"`
	// The rule id (computed).
	Id *string `pulumi:"id"`
	// Who is notified.
	Targets []EscalationPolicyRuleTarget `pulumi:"targets"`
}

// EscalationPolicyRuleInput is an input type that accepts EscalationPolicyRuleArgs and EscalationPolicyRuleOutput values.
type EscalationPolicyRuleInput interface {
	pulumi.Input

	ToEscalationPolicyRuleOutput() EscalationPolicyRuleOutput
	ToEscalationPolicyRuleOutputWithContext(context.Context) EscalationPolicyRuleOutput
}

// One escalation level of an EscalationPolicy.
type EscalationPolicyRuleArgs struct {
	// Minutes before the incident escalates to the next rule (>= 1).
	EscalationDelayInMinutes pulumi.IntInput `pulumi:"escalationDelayInMinutes"`
	// How the rule assigns (a single object). Needs the Teams feature.
	EscalationRuleAssignmentStrategy EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrInput `pulumi:"escalationRuleAssignmentStrategy"`
	// The rule id (computed).
	Id pulumi.StringPtrInput `pulumi:"id"`
	// Who is notified.
	Targets EscalationPolicyRuleTargetArrayInput `pulumi:"targets"`
}

func (EscalationPolicyRuleArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*EscalationPolicyRule)(nil)).Elem()
}

func (i EscalationPolicyRuleArgs) ToEscalationPolicyRuleOutput() EscalationPolicyRuleOutput {
	return i.ToEscalationPolicyRuleOutputWithContext(context.Background())
}

func (i EscalationPolicyRuleArgs) ToEscalationPolicyRuleOutputWithContext(ctx context.Context) EscalationPolicyRuleOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyRuleOutput)
}

// EscalationPolicyRuleArrayInput is an input type that accepts EscalationPolicyRuleArray and EscalationPolicyRuleArrayOutput values.
type EscalationPolicyRuleArrayInput interface {
	pulumi.Input

	ToEscalationPolicyRuleArrayOutput() EscalationPolicyRuleArrayOutput
	ToEscalationPolicyRuleArrayOutputWithContext(context.Context) EscalationPolicyRuleArrayOutput
}

type EscalationPolicyRuleArray []EscalationPolicyRuleInput

func (EscalationPolicyRuleArray) ElementType() reflect.Type {
	return reflect.TypeOf((*[]EscalationPolicyRule)(nil)).Elem()
}

func (i EscalationPolicyRuleArray) ToEscalationPolicyRuleArrayOutput() EscalationPolicyRuleArrayOutput {
	return i.ToEscalationPolicyRuleArrayOutputWithContext(context.Background())
}

func (i EscalationPolicyRuleArray) ToEscalationPolicyRuleArrayOutputWithContext(ctx context.Context) EscalationPolicyRuleArrayOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyRuleArrayOutput)
}

type EscalationPolicyRuleOutput struct{ *pulumi.OutputState }

func (EscalationPolicyRuleOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*EscalationPolicyRule)(nil)).Elem()
}

func (o EscalationPolicyRuleOutput) ToEscalationPolicyRuleOutput() EscalationPolicyRuleOutput {
	return o
}

func (o EscalationPolicyRuleOutput) ToEscalationPolicyRuleOutputWithContext(ctx context.Context) EscalationPolicyRuleOutput {
	return o
}

// Minutes before the incident escalates to the next rule (>= 1).
func (o EscalationPolicyRuleOutput) EscalationDelayInMinutes() pulumi.IntOutput {
	return o.ApplyT(func(v EscalationPolicyRule) int { return v.EscalationDelayInMinutes }).(pulumi.IntOutput)
}

// How the rule assigns (a single object). Needs the Teams feature.
func (o EscalationPolicyRuleOutput) EscalationRuleAssignmentStrategy() EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return o.ApplyT(func(v EscalationPolicyRule) *EscalationPolicyRuleEscalationRuleAssignmentStrategy {
		return v.EscalationRuleAssignmentStrategy
	}).(EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput)
}

// The rule id (computed).
func (o EscalationPolicyRuleOutput) Id() pulumi.StringPtrOutput {
	return o.ApplyT(func(v EscalationPolicyRule) *string { return v.Id }).(pulumi.StringPtrOutput)
}

// Who is notified.
func (o EscalationPolicyRuleOutput) Targets() EscalationPolicyRuleTargetArrayOutput {
	return o.ApplyT(func(v EscalationPolicyRule) []EscalationPolicyRuleTarget { return v.Targets }).(EscalationPolicyRuleTargetArrayOutput)
}

type EscalationPolicyRuleArrayOutput struct{ *pulumi.OutputState }

func (EscalationPolicyRuleArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]EscalationPolicyRule)(nil)).Elem()
}

func (o EscalationPolicyRuleArrayOutput) ToEscalationPolicyRuleArrayOutput() EscalationPolicyRuleArrayOutput {
	return o
}

func (o EscalationPolicyRuleArrayOutput) ToEscalationPolicyRuleArrayOutputWithContext(ctx context.Context) EscalationPolicyRuleArrayOutput {
	return o
}

func (o EscalationPolicyRuleArrayOutput) Index(i pulumi.IntInput) EscalationPolicyRuleOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) EscalationPolicyRule {
		return vs[0].([]EscalationPolicyRule)[vs[1].(int)]
	}).(EscalationPolicyRuleOutput)
}

// The assignment strategy of an escalation rule.
type EscalationPolicyRuleEscalationRuleAssignmentStrategy struct {
	// `round_robin` or `assign_to_everyone`.
	Type *string `pulumi:"type"`
}

// EscalationPolicyRuleEscalationRuleAssignmentStrategyInput is an input type that accepts EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs and EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput values.
type EscalationPolicyRuleEscalationRuleAssignmentStrategyInput interface {
	pulumi.Input

	ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput
	ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutputWithContext(context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput
}

// The assignment strategy of an escalation rule.
type EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs struct {
	// `round_robin` or `assign_to_everyone`.
	Type pulumi.StringPtrInput `pulumi:"type"`
}

func (EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*EscalationPolicyRuleEscalationRuleAssignmentStrategy)(nil)).Elem()
}

func (i EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput {
	return i.ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutputWithContext(context.Background())
}

func (i EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutputWithContext(ctx context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput)
}

func (i EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return i.ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(context.Background())
}

func (i EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(ctx context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput).ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(ctx)
}

// EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrInput is an input type that accepts EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs, EscalationPolicyRuleEscalationRuleAssignmentStrategyPtr and EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput values.
type EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrInput interface {
	pulumi.Input

	ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput
	ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput
}

// EscalationPolicyRuleEscalationRuleAssignmentStrategyPtr wraps EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs as a EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrInput.
func EscalationPolicyRuleEscalationRuleAssignmentStrategyPtr(v *EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs) EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrInput {
	return v
}

type EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput struct{ *pulumi.OutputState }

func (EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*EscalationPolicyRuleEscalationRuleAssignmentStrategy)(nil)).Elem()
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput {
	return o
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyOutputWithContext(ctx context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput {
	return o
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return o.ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(context.Background())
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(ctx context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return o.ApplyTWithContext(ctx, func(_ context.Context, v EscalationPolicyRuleEscalationRuleAssignmentStrategy) *EscalationPolicyRuleEscalationRuleAssignmentStrategy {
		return &v
	}).(EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput)
}

// `round_robin` or `assign_to_everyone`.
func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v EscalationPolicyRuleEscalationRuleAssignmentStrategy) *string { return v.Type }).(pulumi.StringPtrOutput)
}

type EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput struct{ *pulumi.OutputState }

func (EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**EscalationPolicyRuleEscalationRuleAssignmentStrategy)(nil)).Elem()
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput() EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return o
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput) ToEscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutputWithContext(ctx context.Context) EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput {
	return o
}

func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput) Elem() EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput {
	return o.ApplyT(func(v *EscalationPolicyRuleEscalationRuleAssignmentStrategy) EscalationPolicyRuleEscalationRuleAssignmentStrategy {
		if v != nil {
			return *v
		}
		var ret EscalationPolicyRuleEscalationRuleAssignmentStrategy
		return ret
	}).(EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput)
}

// `round_robin` or `assign_to_everyone`.
func (o EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *EscalationPolicyRuleEscalationRuleAssignmentStrategy) *string {
		if v == nil {
			return nil
		}
		return v.Type
	}).(pulumi.StringPtrOutput)
}

// A target of an escalation rule.
type EscalationPolicyRuleTarget struct {
	// A User or Schedule id.
	Id string `pulumi:"id"`
	// `user_reference` (default) or `schedule_reference`.
	Type *string `pulumi:"type"`
}

// EscalationPolicyRuleTargetInput is an input type that accepts EscalationPolicyRuleTargetArgs and EscalationPolicyRuleTargetOutput values.
type EscalationPolicyRuleTargetInput interface {
	pulumi.Input

	ToEscalationPolicyRuleTargetOutput() EscalationPolicyRuleTargetOutput
	ToEscalationPolicyRuleTargetOutputWithContext(context.Context) EscalationPolicyRuleTargetOutput
}

// A target of an escalation rule.
type EscalationPolicyRuleTargetArgs struct {
	// A User or Schedule id.
	Id pulumi.StringInput `pulumi:"id"`
	// `user_reference` (default) or `schedule_reference`.
	Type pulumi.StringPtrInput `pulumi:"type"`
}

func (EscalationPolicyRuleTargetArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*EscalationPolicyRuleTarget)(nil)).Elem()
}

func (i EscalationPolicyRuleTargetArgs) ToEscalationPolicyRuleTargetOutput() EscalationPolicyRuleTargetOutput {
	return i.ToEscalationPolicyRuleTargetOutputWithContext(context.Background())
}

func (i EscalationPolicyRuleTargetArgs) ToEscalationPolicyRuleTargetOutputWithContext(ctx context.Context) EscalationPolicyRuleTargetOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyRuleTargetOutput)
}

// EscalationPolicyRuleTargetArrayInput is an input type that accepts EscalationPolicyRuleTargetArray and EscalationPolicyRuleTargetArrayOutput values.
type EscalationPolicyRuleTargetArrayInput interface {
	pulumi.Input

	ToEscalationPolicyRuleTargetArrayOutput() EscalationPolicyRuleTargetArrayOutput
	ToEscalationPolicyRuleTargetArrayOutputWithContext(context.Context) EscalationPolicyRuleTargetArrayOutput
}

type EscalationPolicyRuleTargetArray []EscalationPolicyRuleTargetInput

func (EscalationPolicyRuleTargetArray) ElementType() reflect.Type {
	return reflect.TypeOf((*[]EscalationPolicyRuleTarget)(nil)).Elem()
}

func (i EscalationPolicyRuleTargetArray) ToEscalationPolicyRuleTargetArrayOutput() EscalationPolicyRuleTargetArrayOutput {
	return i.ToEscalationPolicyRuleTargetArrayOutputWithContext(context.Background())
}

func (i EscalationPolicyRuleTargetArray) ToEscalationPolicyRuleTargetArrayOutputWithContext(ctx context.Context) EscalationPolicyRuleTargetArrayOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyRuleTargetArrayOutput)
}

type EscalationPolicyRuleTargetOutput struct{ *pulumi.OutputState }

func (EscalationPolicyRuleTargetOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*EscalationPolicyRuleTarget)(nil)).Elem()
}

func (o EscalationPolicyRuleTargetOutput) ToEscalationPolicyRuleTargetOutput() EscalationPolicyRuleTargetOutput {
	return o
}

func (o EscalationPolicyRuleTargetOutput) ToEscalationPolicyRuleTargetOutputWithContext(ctx context.Context) EscalationPolicyRuleTargetOutput {
	return o
}

// A User or Schedule id.
func (o EscalationPolicyRuleTargetOutput) Id() pulumi.StringOutput {
	return o.ApplyT(func(v EscalationPolicyRuleTarget) string { return v.Id }).(pulumi.StringOutput)
}

// `user_reference` (default) or `schedule_reference`.
func (o EscalationPolicyRuleTargetOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v EscalationPolicyRuleTarget) *string { return v.Type }).(pulumi.StringPtrOutput)
}

type EscalationPolicyRuleTargetArrayOutput struct{ *pulumi.OutputState }

func (EscalationPolicyRuleTargetArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]EscalationPolicyRuleTarget)(nil)).Elem()
}

func (o EscalationPolicyRuleTargetArrayOutput) ToEscalationPolicyRuleTargetArrayOutput() EscalationPolicyRuleTargetArrayOutput {
	return o
}

func (o EscalationPolicyRuleTargetArrayOutput) ToEscalationPolicyRuleTargetArrayOutputWithContext(ctx context.Context) EscalationPolicyRuleTargetArrayOutput {
	return o
}

func (o EscalationPolicyRuleTargetArrayOutput) Index(i pulumi.IntInput) EscalationPolicyRuleTargetOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) EscalationPolicyRuleTarget {
		return vs[0].([]EscalationPolicyRuleTarget)[vs[1].(int)]
	}).(EscalationPolicyRuleTargetOutput)
}

// The rendered final layer of a Schedule.
type ScheduleFinalSchedule struct {
	// Name.
	Name *string `pulumi:"name"`
	// Coverage percentage.
	RenderedCoveragePercentage *string `pulumi:"renderedCoveragePercentage"`
}

type ScheduleFinalScheduleOutput struct{ *pulumi.OutputState }

func (ScheduleFinalScheduleOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ScheduleFinalSchedule)(nil)).Elem()
}

func (o ScheduleFinalScheduleOutput) ToScheduleFinalScheduleOutput() ScheduleFinalScheduleOutput {
	return o
}

func (o ScheduleFinalScheduleOutput) ToScheduleFinalScheduleOutputWithContext(ctx context.Context) ScheduleFinalScheduleOutput {
	return o
}

// Name.
func (o ScheduleFinalScheduleOutput) Name() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ScheduleFinalSchedule) *string { return v.Name }).(pulumi.StringPtrOutput)
}

// Coverage percentage.
func (o ScheduleFinalScheduleOutput) RenderedCoveragePercentage() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ScheduleFinalSchedule) *string { return v.RenderedCoveragePercentage }).(pulumi.StringPtrOutput)
}

type ScheduleFinalScheduleArrayOutput struct{ *pulumi.OutputState }

func (ScheduleFinalScheduleArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ScheduleFinalSchedule)(nil)).Elem()
}

func (o ScheduleFinalScheduleArrayOutput) ToScheduleFinalScheduleArrayOutput() ScheduleFinalScheduleArrayOutput {
	return o
}

func (o ScheduleFinalScheduleArrayOutput) ToScheduleFinalScheduleArrayOutputWithContext(ctx context.Context) ScheduleFinalScheduleArrayOutput {
	return o
}

func (o ScheduleFinalScheduleArrayOutput) Index(i pulumi.IntInput) ScheduleFinalScheduleOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) ScheduleFinalSchedule {
		return vs[0].([]ScheduleFinalSchedule)[vs[1].(int)]
	}).(ScheduleFinalScheduleOutput)
}

// One layer of a Schedule.
type ScheduleLayer struct {
	// RFC3339 end; open-ended if unset.
	End *string `pulumi:"end"`
	// The layer id (computed).
	Id *string `pulumi:"id"`
	// The layer name (computed if unset).
	Name *string `pulumi:"name"`
	// Coverage percentage (computed).
	RenderedCoveragePercentage *string `pulumi:"renderedCoveragePercentage"`
	// Times the layer is on call.
	Restrictions []ScheduleLayerRestriction `pulumi:"restrictions"`
	// Length of one on-call turn (3600-31536000).
	RotationTurnLengthSeconds int `pulumi:"rotationTurnLengthSeconds"`
	// RFC3339 start of the rotation.
	RotationVirtualStart string `pulumi:"rotationVirtualStart"`
	// RFC3339 start of the layer.
	Start string `pulumi:"start"`
	// User ids, in rotation order.
	Users []string `pulumi:"users"`
}

// ScheduleLayerInput is an input type that accepts ScheduleLayerArgs and ScheduleLayerOutput values.
type ScheduleLayerInput interface {
	pulumi.Input

	ToScheduleLayerOutput() ScheduleLayerOutput
	ToScheduleLayerOutputWithContext(context.Context) ScheduleLayerOutput
}

// One layer of a Schedule.
type ScheduleLayerArgs struct {
	// RFC3339 end; open-ended if unset.
	End pulumi.StringPtrInput `pulumi:"end"`
	// The layer id (computed).
	Id pulumi.StringPtrInput `pulumi:"id"`
	// The layer name (computed if unset).
	Name pulumi.StringPtrInput `pulumi:"name"`
	// Coverage percentage (computed).
	RenderedCoveragePercentage pulumi.StringPtrInput `pulumi:"renderedCoveragePercentage"`
	// Times the layer is on call.
	Restrictions ScheduleLayerRestrictionArrayInput `pulumi:"restrictions"`
	// Length of one on-call turn (3600-31536000).
	RotationTurnLengthSeconds pulumi.IntInput `pulumi:"rotationTurnLengthSeconds"`
	// RFC3339 start of the rotation.
	RotationVirtualStart pulumi.StringInput `pulumi:"rotationVirtualStart"`
	// RFC3339 start of the layer.
	Start pulumi.StringInput `pulumi:"start"`
	// User ids, in rotation order.
	Users pulumi.StringArrayInput `pulumi:"users"`
}

func (ScheduleLayerArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ScheduleLayer)(nil)).Elem()
}

func (i ScheduleLayerArgs) ToScheduleLayerOutput() ScheduleLayerOutput {
	return i.ToScheduleLayerOutputWithContext(context.Background())
}

func (i ScheduleLayerArgs) ToScheduleLayerOutputWithContext(ctx context.Context) ScheduleLayerOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ScheduleLayerOutput)
}

// ScheduleLayerArrayInput is an input type that accepts ScheduleLayerArray and ScheduleLayerArrayOutput values.
type ScheduleLayerArrayInput interface {
	pulumi.Input

	ToScheduleLayerArrayOutput() ScheduleLayerArrayOutput
	ToScheduleLayerArrayOutputWithContext(context.Context) ScheduleLayerArrayOutput
}

type ScheduleLayerArray []ScheduleLayerInput

func (ScheduleLayerArray) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ScheduleLayer)(nil)).Elem()
}

func (i ScheduleLayerArray) ToScheduleLayerArrayOutput() ScheduleLayerArrayOutput {
	return i.ToScheduleLayerArrayOutputWithContext(context.Background())
}

func (i ScheduleLayerArray) ToScheduleLayerArrayOutputWithContext(ctx context.Context) ScheduleLayerArrayOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ScheduleLayerArrayOutput)
}

type ScheduleLayerOutput struct{ *pulumi.OutputState }

func (ScheduleLayerOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ScheduleLayer)(nil)).Elem()
}

func (o ScheduleLayerOutput) ToScheduleLayerOutput() ScheduleLayerOutput {
	return o
}

func (o ScheduleLayerOutput) ToScheduleLayerOutputWithContext(ctx context.Context) ScheduleLayerOutput {
	return o
}

// RFC3339 end; open-ended if unset.
func (o ScheduleLayerOutput) End() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ScheduleLayer) *string { return v.End }).(pulumi.StringPtrOutput)
}

// The layer id (computed).
func (o ScheduleLayerOutput) Id() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ScheduleLayer) *string { return v.Id }).(pulumi.StringPtrOutput)
}

// The layer name (computed if unset).
func (o ScheduleLayerOutput) Name() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ScheduleLayer) *string { return v.Name }).(pulumi.StringPtrOutput)
}

// Coverage percentage (computed).
func (o ScheduleLayerOutput) RenderedCoveragePercentage() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ScheduleLayer) *string { return v.RenderedCoveragePercentage }).(pulumi.StringPtrOutput)
}

// Times the layer is on call.
func (o ScheduleLayerOutput) Restrictions() ScheduleLayerRestrictionArrayOutput {
	return o.ApplyT(func(v ScheduleLayer) []ScheduleLayerRestriction { return v.Restrictions }).(ScheduleLayerRestrictionArrayOutput)
}

// Length of one on-call turn (3600-31536000).
func (o ScheduleLayerOutput) RotationTurnLengthSeconds() pulumi.IntOutput {
	return o.ApplyT(func(v ScheduleLayer) int { return v.RotationTurnLengthSeconds }).(pulumi.IntOutput)
}

// RFC3339 start of the rotation.
func (o ScheduleLayerOutput) RotationVirtualStart() pulumi.StringOutput {
	return o.ApplyT(func(v ScheduleLayer) string { return v.RotationVirtualStart }).(pulumi.StringOutput)
}

// RFC3339 start of the layer.
func (o ScheduleLayerOutput) Start() pulumi.StringOutput {
	return o.ApplyT(func(v ScheduleLayer) string { return v.Start }).(pulumi.StringOutput)
}

// User ids, in rotation order.
func (o ScheduleLayerOutput) Users() pulumi.StringArrayOutput {
	return o.ApplyT(func(v ScheduleLayer) []string { return v.Users }).(pulumi.StringArrayOutput)
}

type ScheduleLayerArrayOutput struct{ *pulumi.OutputState }

func (ScheduleLayerArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ScheduleLayer)(nil)).Elem()
}

func (o ScheduleLayerArrayOutput) ToScheduleLayerArrayOutput() ScheduleLayerArrayOutput {
	return o
}

func (o ScheduleLayerArrayOutput) ToScheduleLayerArrayOutputWithContext(ctx context.Context) ScheduleLayerArrayOutput {
	return o
}

func (o ScheduleLayerArrayOutput) Index(i pulumi.IntInput) ScheduleLayerOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) ScheduleLayer {
		return vs[0].([]ScheduleLayer)[vs[1].(int)]
	}).(ScheduleLayerOutput)
}

// A restriction of a ScheduleLayer.
type ScheduleLayerRestriction struct {
	// Length of the restriction (1-604799).
	DurationSeconds int `pulumi:"durationSeconds"`
	// 1 = Monday ... 7 = Sunday (weekly restrictions only).
	StartDayOfWeek *int `pulumi:"startDayOfWeek"`
	// `HH:mm:ss`.
	StartTimeOfDay string `pulumi:"startTimeOfDay"`
	// `daily_restriction` or `weekly_restriction`.
	Type string `pulumi:"type"`
}

// ScheduleLayerRestrictionInput is an input type that accepts ScheduleLayerRestrictionArgs and ScheduleLayerRestrictionOutput values.
type ScheduleLayerRestrictionInput interface {
	pulumi.Input

	ToScheduleLayerRestrictionOutput() ScheduleLayerRestrictionOutput
	ToScheduleLayerRestrictionOutputWithContext(context.Context) ScheduleLayerRestrictionOutput
}

// A restriction of a ScheduleLayer.
type ScheduleLayerRestrictionArgs struct {
	// Length of the restriction (1-604799).
	DurationSeconds pulumi.IntInput `pulumi:"durationSeconds"`
	// 1 = Monday ... 7 = Sunday (weekly restrictions only).
	StartDayOfWeek pulumi.IntPtrInput `pulumi:"startDayOfWeek"`
	// `HH:mm:ss`.
	StartTimeOfDay pulumi.StringInput `pulumi:"startTimeOfDay"`
	// `daily_restriction` or `weekly_restriction`.
	Type pulumi.StringInput `pulumi:"type"`
}

func (ScheduleLayerRestrictionArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ScheduleLayerRestriction)(nil)).Elem()
}

func (i ScheduleLayerRestrictionArgs) ToScheduleLayerRestrictionOutput() ScheduleLayerRestrictionOutput {
	return i.ToScheduleLayerRestrictionOutputWithContext(context.Background())
}

func (i ScheduleLayerRestrictionArgs) ToScheduleLayerRestrictionOutputWithContext(ctx context.Context) ScheduleLayerRestrictionOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ScheduleLayerRestrictionOutput)
}

// ScheduleLayerRestrictionArrayInput is an input type that accepts ScheduleLayerRestrictionArray and ScheduleLayerRestrictionArrayOutput values.
type ScheduleLayerRestrictionArrayInput interface {
	pulumi.Input

	ToScheduleLayerRestrictionArrayOutput() ScheduleLayerRestrictionArrayOutput
	ToScheduleLayerRestrictionArrayOutputWithContext(context.Context) ScheduleLayerRestrictionArrayOutput
}

type ScheduleLayerRestrictionArray []ScheduleLayerRestrictionInput

func (ScheduleLayerRestrictionArray) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ScheduleLayerRestriction)(nil)).Elem()
}

func (i ScheduleLayerRestrictionArray) ToScheduleLayerRestrictionArrayOutput() ScheduleLayerRestrictionArrayOutput {
	return i.ToScheduleLayerRestrictionArrayOutputWithContext(context.Background())
}

func (i ScheduleLayerRestrictionArray) ToScheduleLayerRestrictionArrayOutputWithContext(ctx context.Context) ScheduleLayerRestrictionArrayOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ScheduleLayerRestrictionArrayOutput)
}

type ScheduleLayerRestrictionOutput struct{ *pulumi.OutputState }

func (ScheduleLayerRestrictionOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ScheduleLayerRestriction)(nil)).Elem()
}

func (o ScheduleLayerRestrictionOutput) ToScheduleLayerRestrictionOutput() ScheduleLayerRestrictionOutput {
	return o
}

func (o ScheduleLayerRestrictionOutput) ToScheduleLayerRestrictionOutputWithContext(ctx context.Context) ScheduleLayerRestrictionOutput {
	return o
}

// Length of the restriction (1-604799).
func (o ScheduleLayerRestrictionOutput) DurationSeconds() pulumi.IntOutput {
	return o.ApplyT(func(v ScheduleLayerRestriction) int { return v.DurationSeconds }).(pulumi.IntOutput)
}

// 1 = Monday ... 7 = Sunday (weekly restrictions only).
func (o ScheduleLayerRestrictionOutput) StartDayOfWeek() pulumi.IntPtrOutput {
	return o.ApplyT(func(v ScheduleLayerRestriction) *int { return v.StartDayOfWeek }).(pulumi.IntPtrOutput)
}

// `HH:mm:ss`.
func (o ScheduleLayerRestrictionOutput) StartTimeOfDay() pulumi.StringOutput {
	return o.ApplyT(func(v ScheduleLayerRestriction) string { return v.StartTimeOfDay }).(pulumi.StringOutput)
}

// `daily_restriction` or `weekly_restriction`.
func (o ScheduleLayerRestrictionOutput) Type() pulumi.StringOutput {
	return o.ApplyT(func(v ScheduleLayerRestriction) string { return v.Type }).(pulumi.StringOutput)
}

type ScheduleLayerRestrictionArrayOutput struct{ *pulumi.OutputState }

func (ScheduleLayerRestrictionArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ScheduleLayerRestriction)(nil)).Elem()
}

func (o ScheduleLayerRestrictionArrayOutput) ToScheduleLayerRestrictionArrayOutput() ScheduleLayerRestrictionArrayOutput {
	return o
}

func (o ScheduleLayerRestrictionArrayOutput) ToScheduleLayerRestrictionArrayOutputWithContext(ctx context.Context) ScheduleLayerRestrictionArrayOutput {
	return o
}

func (o ScheduleLayerRestrictionArrayOutput) Index(i pulumi.IntInput) ScheduleLayerRestrictionOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) ScheduleLayerRestriction {
		return vs[0].([]ScheduleLayerRestriction)[vs[1].(int)]
	}).(ScheduleLayerRestrictionOutput)
}

// Auto-pause notification settings of a Service.
type ServiceAutoPauseNotificationsParameters struct {
	// Whether auto-pause is on.
	Enabled *bool `pulumi:"enabled"`
	// Seconds to pause: 120, 180, 300, 600 or 900 when enabled.
	Timeout *int `pulumi:"timeout"`
}

// ServiceAutoPauseNotificationsParametersInput is an input type that accepts ServiceAutoPauseNotificationsParametersArgs and ServiceAutoPauseNotificationsParametersOutput values.
type ServiceAutoPauseNotificationsParametersInput interface {
	pulumi.Input

	ToServiceAutoPauseNotificationsParametersOutput() ServiceAutoPauseNotificationsParametersOutput
	ToServiceAutoPauseNotificationsParametersOutputWithContext(context.Context) ServiceAutoPauseNotificationsParametersOutput
}

// Auto-pause notification settings of a Service.
type ServiceAutoPauseNotificationsParametersArgs struct {
	// Whether auto-pause is on.
	Enabled pulumi.BoolPtrInput `pulumi:"enabled"`
	// Seconds to pause: 120, 180, 300, 600 or 900 when enabled.
	Timeout pulumi.IntPtrInput `pulumi:"timeout"`
}

func (ServiceAutoPauseNotificationsParametersArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceAutoPauseNotificationsParameters)(nil)).Elem()
}

func (i ServiceAutoPauseNotificationsParametersArgs) ToServiceAutoPauseNotificationsParametersOutput() ServiceAutoPauseNotificationsParametersOutput {
	return i.ToServiceAutoPauseNotificationsParametersOutputWithContext(context.Background())
}

func (i ServiceAutoPauseNotificationsParametersArgs) ToServiceAutoPauseNotificationsParametersOutputWithContext(ctx context.Context) ServiceAutoPauseNotificationsParametersOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceAutoPauseNotificationsParametersOutput)
}

func (i ServiceAutoPauseNotificationsParametersArgs) ToServiceAutoPauseNotificationsParametersPtrOutput() ServiceAutoPauseNotificationsParametersPtrOutput {
	return i.ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(context.Background())
}

func (i ServiceAutoPauseNotificationsParametersArgs) ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(ctx context.Context) ServiceAutoPauseNotificationsParametersPtrOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceAutoPauseNotificationsParametersOutput).ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(ctx)
}

// ServiceAutoPauseNotificationsParametersPtrInput is an input type that accepts ServiceAutoPauseNotificationsParametersArgs, ServiceAutoPauseNotificationsParametersPtr and ServiceAutoPauseNotificationsParametersPtrOutput values.
type ServiceAutoPauseNotificationsParametersPtrInput interface {
	pulumi.Input

	ToServiceAutoPauseNotificationsParametersPtrOutput() ServiceAutoPauseNotificationsParametersPtrOutput
	ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(context.Context) ServiceAutoPauseNotificationsParametersPtrOutput
}

// ServiceAutoPauseNotificationsParametersPtr wraps ServiceAutoPauseNotificationsParametersArgs as a ServiceAutoPauseNotificationsParametersPtrInput.
func ServiceAutoPauseNotificationsParametersPtr(v *ServiceAutoPauseNotificationsParametersArgs) ServiceAutoPauseNotificationsParametersPtrInput {
	return v
}

type ServiceAutoPauseNotificationsParametersOutput struct{ *pulumi.OutputState }

func (ServiceAutoPauseNotificationsParametersOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceAutoPauseNotificationsParameters)(nil)).Elem()
}

func (o ServiceAutoPauseNotificationsParametersOutput) ToServiceAutoPauseNotificationsParametersOutput() ServiceAutoPauseNotificationsParametersOutput {
	return o
}

func (o ServiceAutoPauseNotificationsParametersOutput) ToServiceAutoPauseNotificationsParametersOutputWithContext(ctx context.Context) ServiceAutoPauseNotificationsParametersOutput {
	return o
}

func (o ServiceAutoPauseNotificationsParametersOutput) ToServiceAutoPauseNotificationsParametersPtrOutput() ServiceAutoPauseNotificationsParametersPtrOutput {
	return o.ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(context.Background())
}

func (o ServiceAutoPauseNotificationsParametersOutput) ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(ctx context.Context) ServiceAutoPauseNotificationsParametersPtrOutput {
	return o.ApplyTWithContext(ctx, func(_ context.Context, v ServiceAutoPauseNotificationsParameters) *ServiceAutoPauseNotificationsParameters {
		return &v
	}).(ServiceAutoPauseNotificationsParametersPtrOutput)
}

// Whether auto-pause is on.
func (o ServiceAutoPauseNotificationsParametersOutput) Enabled() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v ServiceAutoPauseNotificationsParameters) *bool { return v.Enabled }).(pulumi.BoolPtrOutput)
}

// Seconds to pause: 120, 180, 300, 600 or 900 when enabled.
func (o ServiceAutoPauseNotificationsParametersOutput) Timeout() pulumi.IntPtrOutput {
	return o.ApplyT(func(v ServiceAutoPauseNotificationsParameters) *int { return v.Timeout }).(pulumi.IntPtrOutput)
}

type ServiceAutoPauseNotificationsParametersPtrOutput struct{ *pulumi.OutputState }

func (ServiceAutoPauseNotificationsParametersPtrOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceAutoPauseNotificationsParameters)(nil)).Elem()
}

func (o ServiceAutoPauseNotificationsParametersPtrOutput) ToServiceAutoPauseNotificationsParametersPtrOutput() ServiceAutoPauseNotificationsParametersPtrOutput {
	return o
}

func (o ServiceAutoPauseNotificationsParametersPtrOutput) ToServiceAutoPauseNotificationsParametersPtrOutputWithContext(ctx context.Context) ServiceAutoPauseNotificationsParametersPtrOutput {
	return o
}

func (o ServiceAutoPauseNotificationsParametersPtrOutput) Elem() ServiceAutoPauseNotificationsParametersOutput {
	return o.ApplyT(func(v *ServiceAutoPauseNotificationsParameters) ServiceAutoPauseNotificationsParameters {
		if v != nil {
			return *v
		}
		var ret ServiceAutoPauseNotificationsParameters
		return ret
	}).(ServiceAutoPauseNotificationsParametersOutput)
}

// Whether auto-pause is on.
func (o ServiceAutoPauseNotificationsParametersPtrOutput) Enabled() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v *ServiceAutoPauseNotificationsParameters) *bool {
		if v == nil {
			return nil
		}
		return v.Enabled
	}).(pulumi.BoolPtrOutput)
}

// Seconds to pause: 120, 180, 300, 600 or 900 when enabled.
func (o ServiceAutoPauseNotificationsParametersPtrOutput) Timeout() pulumi.IntPtrOutput {
	return o.ApplyT(func(v *ServiceAutoPauseNotificationsParameters) *int {
		if v == nil {
			return nil
		}
		return v.Timeout
	}).(pulumi.IntPtrOutput)
}

// The incident urgency rule of a Service.
type ServiceIncidentUrgencyRule struct {
	// Urgency during support hours (a single object).
	DuringSupportHours *ServiceIncidentUrgencyRuleDuringSupportHours `pulumi:"duringSupportHours"`
	// Urgency outside support hours (a single object).
	OutsideSupportHours *ServiceIncidentUrgencyRuleOutsideSupportHours `pulumi:"outsideSupportHours"`
	// `constant` or `use_support_hours`.
	Type string `pulumi:"type"`
	// `low`, `high` or `severity_based`; only with type `constant`.
	Urgency *string `pulumi:"urgency"`
}

// ServiceIncidentUrgencyRuleInput is an input type that accepts ServiceIncidentUrgencyRuleArgs and ServiceIncidentUrgencyRuleOutput values.
type ServiceIncidentUrgencyRuleInput interface {
	pulumi.Input

	ToServiceIncidentUrgencyRuleOutput() ServiceIncidentUrgencyRuleOutput
	ToServiceIncidentUrgencyRuleOutputWithContext(context.Context) ServiceIncidentUrgencyRuleOutput
}

// The incident urgency rule of a Service.
type ServiceIncidentUrgencyRuleArgs struct {
	// Urgency during support hours (a single object).
	DuringSupportHours ServiceIncidentUrgencyRuleDuringSupportHoursPtrInput `pulumi:"duringSupportHours"`
	// Urgency outside support hours (a single object).
	OutsideSupportHours ServiceIncidentUrgencyRuleOutsideSupportHoursPtrInput `pulumi:"outsideSupportHours"`
	// `constant` or `use_support_hours`.
	Type pulumi.StringInput `pulumi:"type"`
	// `low`, `high` or `severity_based`; only with type `constant`.
	Urgency pulumi.StringPtrInput `pulumi:"urgency"`
}

func (ServiceIncidentUrgencyRuleArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceIncidentUrgencyRule)(nil)).Elem()
}

func (i ServiceIncidentUrgencyRuleArgs) ToServiceIncidentUrgencyRuleOutput() ServiceIncidentUrgencyRuleOutput {
	return i.ToServiceIncidentUrgencyRuleOutputWithContext(context.Background())
}

func (i ServiceIncidentUrgencyRuleArgs) ToServiceIncidentUrgencyRuleOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIncidentUrgencyRuleOutput)
}

func (i ServiceIncidentUrgencyRuleArgs) ToServiceIncidentUrgencyRulePtrOutput() ServiceIncidentUrgencyRulePtrOutput {
	return i.ToServiceIncidentUrgencyRulePtrOutputWithContext(context.Background())
}

func (i ServiceIncidentUrgencyRuleArgs) ToServiceIncidentUrgencyRulePtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRulePtrOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIncidentUrgencyRuleOutput).ToServiceIncidentUrgencyRulePtrOutputWithContext(ctx)
}

// ServiceIncidentUrgencyRulePtrInput is an input type that accepts ServiceIncidentUrgencyRuleArgs, ServiceIncidentUrgencyRulePtr and ServiceIncidentUrgencyRulePtrOutput values.
type ServiceIncidentUrgencyRulePtrInput interface {
	pulumi.Input

	ToServiceIncidentUrgencyRulePtrOutput() ServiceIncidentUrgencyRulePtrOutput
	ToServiceIncidentUrgencyRulePtrOutputWithContext(context.Context) ServiceIncidentUrgencyRulePtrOutput
}

// ServiceIncidentUrgencyRulePtr wraps ServiceIncidentUrgencyRuleArgs as a ServiceIncidentUrgencyRulePtrInput.
func ServiceIncidentUrgencyRulePtr(v *ServiceIncidentUrgencyRuleArgs) ServiceIncidentUrgencyRulePtrInput {
	return v
}

type ServiceIncidentUrgencyRuleOutput struct{ *pulumi.OutputState }

func (ServiceIncidentUrgencyRuleOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceIncidentUrgencyRule)(nil)).Elem()
}

func (o ServiceIncidentUrgencyRuleOutput) ToServiceIncidentUrgencyRuleOutput() ServiceIncidentUrgencyRuleOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleOutput) ToServiceIncidentUrgencyRuleOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleOutput) ToServiceIncidentUrgencyRulePtrOutput() ServiceIncidentUrgencyRulePtrOutput {
	return o.ToServiceIncidentUrgencyRulePtrOutputWithContext(context.Background())
}

func (o ServiceIncidentUrgencyRuleOutput) ToServiceIncidentUrgencyRulePtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRulePtrOutput {
	return o.ApplyTWithContext(ctx, func(_ context.Context, v ServiceIncidentUrgencyRule) *ServiceIncidentUrgencyRule {
		return &v
	}).(ServiceIncidentUrgencyRulePtrOutput)
}

// Urgency during support hours (a single object).
func (o ServiceIncidentUrgencyRuleOutput) DuringSupportHours() ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRule) *ServiceIncidentUrgencyRuleDuringSupportHours {
		return v.DuringSupportHours
	}).(ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput)
}

// Urgency outside support hours (a single object).
func (o ServiceIncidentUrgencyRuleOutput) OutsideSupportHours() ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRule) *ServiceIncidentUrgencyRuleOutsideSupportHours {
		return v.OutsideSupportHours
	}).(ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput)
}

// `constant` or `use_support_hours`.
func (o ServiceIncidentUrgencyRuleOutput) Type() pulumi.StringOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRule) string { return v.Type }).(pulumi.StringOutput)
}

// `low`, `high` or `severity_based`; only with type `constant`.
func (o ServiceIncidentUrgencyRuleOutput) Urgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRule) *string { return v.Urgency }).(pulumi.StringPtrOutput)
}

type ServiceIncidentUrgencyRulePtrOutput struct{ *pulumi.OutputState }

func (ServiceIncidentUrgencyRulePtrOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceIncidentUrgencyRule)(nil)).Elem()
}

func (o ServiceIncidentUrgencyRulePtrOutput) ToServiceIncidentUrgencyRulePtrOutput() ServiceIncidentUrgencyRulePtrOutput {
	return o
}

func (o ServiceIncidentUrgencyRulePtrOutput) ToServiceIncidentUrgencyRulePtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRulePtrOutput {
	return o
}

func (o ServiceIncidentUrgencyRulePtrOutput) Elem() ServiceIncidentUrgencyRuleOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRule) ServiceIncidentUrgencyRule {
		if v != nil {
			return *v
		}
		var ret ServiceIncidentUrgencyRule
		return ret
	}).(ServiceIncidentUrgencyRuleOutput)
}

// Urgency during support hours (a single object).
func (o ServiceIncidentUrgencyRulePtrOutput) DuringSupportHours() ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRule) *ServiceIncidentUrgencyRuleDuringSupportHours {
		if v == nil {
			return nil
		}
		return v.DuringSupportHours
	}).(ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput)
}

// Urgency outside support hours (a single object).
func (o ServiceIncidentUrgencyRulePtrOutput) OutsideSupportHours() ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRule) *ServiceIncidentUrgencyRuleOutsideSupportHours {
		if v == nil {
			return nil
		}
		return v.OutsideSupportHours
	}).(ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput)
}

// `constant` or `use_support_hours`.
func (o ServiceIncidentUrgencyRulePtrOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRule) *string {
		if v == nil {
			return nil
		}
		return &v.Type
	}).(pulumi.StringPtrOutput)
}

// `low`, `high` or `severity_based`; only with type `constant`.
func (o ServiceIncidentUrgencyRulePtrOutput) Urgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRule) *string {
		if v == nil {
			return nil
		}
		return v.Urgency
	}).(pulumi.StringPtrOutput)
}

// Urgency during support hours.
type ServiceIncidentUrgencyRuleDuringSupportHours struct {
	// `constant`.
	Type *string `pulumi:"type"`
	// `low`, `high` or `severity_based`.
	Urgency *string `pulumi:"urgency"`
}

// ServiceIncidentUrgencyRuleDuringSupportHoursInput is an input type that accepts ServiceIncidentUrgencyRuleDuringSupportHoursArgs and ServiceIncidentUrgencyRuleDuringSupportHoursOutput values.
type ServiceIncidentUrgencyRuleDuringSupportHoursInput interface {
	pulumi.Input

	ToServiceIncidentUrgencyRuleDuringSupportHoursOutput() ServiceIncidentUrgencyRuleDuringSupportHoursOutput
	ToServiceIncidentUrgencyRuleDuringSupportHoursOutputWithContext(context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursOutput
}

// Urgency during support hours.
type ServiceIncidentUrgencyRuleDuringSupportHoursArgs struct {
	// `constant`.
	Type pulumi.StringPtrInput `pulumi:"type"`
	// `low`, `high` or `severity_based`.
	Urgency pulumi.StringPtrInput `pulumi:"urgency"`
}

func (ServiceIncidentUrgencyRuleDuringSupportHoursArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceIncidentUrgencyRuleDuringSupportHours)(nil)).Elem()
}

func (i ServiceIncidentUrgencyRuleDuringSupportHoursArgs) ToServiceIncidentUrgencyRuleDuringSupportHoursOutput() ServiceIncidentUrgencyRuleDuringSupportHoursOutput {
	return i.ToServiceIncidentUrgencyRuleDuringSupportHoursOutputWithContext(context.Background())
}

func (i ServiceIncidentUrgencyRuleDuringSupportHoursArgs) ToServiceIncidentUrgencyRuleDuringSupportHoursOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIncidentUrgencyRuleDuringSupportHoursOutput)
}

func (i ServiceIncidentUrgencyRuleDuringSupportHoursArgs) ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput() ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return i.ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(context.Background())
}

func (i ServiceIncidentUrgencyRuleDuringSupportHoursArgs) ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIncidentUrgencyRuleDuringSupportHoursOutput).ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(ctx)
}

// ServiceIncidentUrgencyRuleDuringSupportHoursPtrInput is an input type that accepts ServiceIncidentUrgencyRuleDuringSupportHoursArgs, ServiceIncidentUrgencyRuleDuringSupportHoursPtr and ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput values.
type ServiceIncidentUrgencyRuleDuringSupportHoursPtrInput interface {
	pulumi.Input

	ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput() ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput
	ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput
}

// ServiceIncidentUrgencyRuleDuringSupportHoursPtr wraps ServiceIncidentUrgencyRuleDuringSupportHoursArgs as a ServiceIncidentUrgencyRuleDuringSupportHoursPtrInput.
func ServiceIncidentUrgencyRuleDuringSupportHoursPtr(v *ServiceIncidentUrgencyRuleDuringSupportHoursArgs) ServiceIncidentUrgencyRuleDuringSupportHoursPtrInput {
	return v
}

type ServiceIncidentUrgencyRuleDuringSupportHoursOutput struct{ *pulumi.OutputState }

func (ServiceIncidentUrgencyRuleDuringSupportHoursOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceIncidentUrgencyRuleDuringSupportHours)(nil)).Elem()
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursOutput) ToServiceIncidentUrgencyRuleDuringSupportHoursOutput() ServiceIncidentUrgencyRuleDuringSupportHoursOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursOutput) ToServiceIncidentUrgencyRuleDuringSupportHoursOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursOutput) ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput() ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return o.ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(context.Background())
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursOutput) ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return o.ApplyTWithContext(ctx, func(_ context.Context, v ServiceIncidentUrgencyRuleDuringSupportHours) *ServiceIncidentUrgencyRuleDuringSupportHours {
		return &v
	}).(ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput)
}

// `constant`.
func (o ServiceIncidentUrgencyRuleDuringSupportHoursOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRuleDuringSupportHours) *string { return v.Type }).(pulumi.StringPtrOutput)
}

// `low`, `high` or `severity_based`.
func (o ServiceIncidentUrgencyRuleDuringSupportHoursOutput) Urgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRuleDuringSupportHours) *string { return v.Urgency }).(pulumi.StringPtrOutput)
}

type ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput struct{ *pulumi.OutputState }

func (ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceIncidentUrgencyRuleDuringSupportHours)(nil)).Elem()
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput) ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput() ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput) ToServiceIncidentUrgencyRuleDuringSupportHoursPtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput) Elem() ServiceIncidentUrgencyRuleDuringSupportHoursOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRuleDuringSupportHours) ServiceIncidentUrgencyRuleDuringSupportHours {
		if v != nil {
			return *v
		}
		var ret ServiceIncidentUrgencyRuleDuringSupportHours
		return ret
	}).(ServiceIncidentUrgencyRuleDuringSupportHoursOutput)
}

// `constant`.
func (o ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRuleDuringSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.Type
	}).(pulumi.StringPtrOutput)
}

// `low`, `high` or `severity_based`.
func (o ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput) Urgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRuleDuringSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.Urgency
	}).(pulumi.StringPtrOutput)
}

// Urgency outside support hours.
type ServiceIncidentUrgencyRuleOutsideSupportHours struct {
	// `constant`.
	Type *string `pulumi:"type"`
	// `low`, `high` or `severity_based`.
	Urgency *string `pulumi:"urgency"`
}

// ServiceIncidentUrgencyRuleOutsideSupportHoursInput is an input type that accepts ServiceIncidentUrgencyRuleOutsideSupportHoursArgs and ServiceIncidentUrgencyRuleOutsideSupportHoursOutput values.
type ServiceIncidentUrgencyRuleOutsideSupportHoursInput interface {
	pulumi.Input

	ToServiceIncidentUrgencyRuleOutsideSupportHoursOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursOutput
	ToServiceIncidentUrgencyRuleOutsideSupportHoursOutputWithContext(context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursOutput
}

// Urgency outside support hours.
type ServiceIncidentUrgencyRuleOutsideSupportHoursArgs struct {
	// `constant`.
	Type pulumi.StringPtrInput `pulumi:"type"`
	// `low`, `high` or `severity_based`.
	Urgency pulumi.StringPtrInput `pulumi:"urgency"`
}

func (ServiceIncidentUrgencyRuleOutsideSupportHoursArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceIncidentUrgencyRuleOutsideSupportHours)(nil)).Elem()
}

func (i ServiceIncidentUrgencyRuleOutsideSupportHoursArgs) ToServiceIncidentUrgencyRuleOutsideSupportHoursOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursOutput {
	return i.ToServiceIncidentUrgencyRuleOutsideSupportHoursOutputWithContext(context.Background())
}

func (i ServiceIncidentUrgencyRuleOutsideSupportHoursArgs) ToServiceIncidentUrgencyRuleOutsideSupportHoursOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIncidentUrgencyRuleOutsideSupportHoursOutput)
}

func (i ServiceIncidentUrgencyRuleOutsideSupportHoursArgs) ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return i.ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(context.Background())
}

func (i ServiceIncidentUrgencyRuleOutsideSupportHoursArgs) ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIncidentUrgencyRuleOutsideSupportHoursOutput).ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(ctx)
}

// ServiceIncidentUrgencyRuleOutsideSupportHoursPtrInput is an input type that accepts ServiceIncidentUrgencyRuleOutsideSupportHoursArgs, ServiceIncidentUrgencyRuleOutsideSupportHoursPtr and ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput values.
type ServiceIncidentUrgencyRuleOutsideSupportHoursPtrInput interface {
	pulumi.Input

	ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput
	ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput
}

// ServiceIncidentUrgencyRuleOutsideSupportHoursPtr wraps ServiceIncidentUrgencyRuleOutsideSupportHoursArgs as a ServiceIncidentUrgencyRuleOutsideSupportHoursPtrInput.
func ServiceIncidentUrgencyRuleOutsideSupportHoursPtr(v *ServiceIncidentUrgencyRuleOutsideSupportHoursArgs) ServiceIncidentUrgencyRuleOutsideSupportHoursPtrInput {
	return v
}

type ServiceIncidentUrgencyRuleOutsideSupportHoursOutput struct{ *pulumi.OutputState }

func (ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceIncidentUrgencyRuleOutsideSupportHours)(nil)).Elem()
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) ToServiceIncidentUrgencyRuleOutsideSupportHoursOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) ToServiceIncidentUrgencyRuleOutsideSupportHoursOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return o.ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(context.Background())
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return o.ApplyTWithContext(ctx, func(_ context.Context, v ServiceIncidentUrgencyRuleOutsideSupportHours) *ServiceIncidentUrgencyRuleOutsideSupportHours {
		return &v
	}).(ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput)
}

// `constant`.
func (o ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRuleOutsideSupportHours) *string { return v.Type }).(pulumi.StringPtrOutput)
}

// `low`, `high` or `severity_based`.
func (o ServiceIncidentUrgencyRuleOutsideSupportHoursOutput) Urgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceIncidentUrgencyRuleOutsideSupportHours) *string { return v.Urgency }).(pulumi.StringPtrOutput)
}

type ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput struct{ *pulumi.OutputState }

func (ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceIncidentUrgencyRuleOutsideSupportHours)(nil)).Elem()
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput) ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput() ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput) ToServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutputWithContext(ctx context.Context) ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput {
	return o
}

func (o ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput) Elem() ServiceIncidentUrgencyRuleOutsideSupportHoursOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRuleOutsideSupportHours) ServiceIncidentUrgencyRuleOutsideSupportHours {
		if v != nil {
			return *v
		}
		var ret ServiceIncidentUrgencyRuleOutsideSupportHours
		return ret
	}).(ServiceIncidentUrgencyRuleOutsideSupportHoursOutput)
}

// `constant`.
func (o ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRuleOutsideSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.Type
	}).(pulumi.StringPtrOutput)
}

// `low`, `high` or `severity_based`.
func (o ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput) Urgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceIncidentUrgencyRuleOutsideSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.Urgency
	}).(pulumi.StringPtrOutput)
}

// An urgency change at a support-hours boundary.
type ServiceScheduledAction struct {
	// When the action runs.
	Ats []ServiceScheduledActionAt `pulumi:"ats"`
	// `high` or `low`.
	ToUrgency *string `pulumi:"toUrgency"`
	// `urgency_change`.
	Type *string `pulumi:"type"`
}

// ServiceScheduledActionInput is an input type that accepts ServiceScheduledActionArgs and ServiceScheduledActionOutput values.
type ServiceScheduledActionInput interface {
	pulumi.Input

	ToServiceScheduledActionOutput() ServiceScheduledActionOutput
	ToServiceScheduledActionOutputWithContext(context.Context) ServiceScheduledActionOutput
}

// An urgency change at a support-hours boundary.
type ServiceScheduledActionArgs struct {
	// When the action runs.
	Ats ServiceScheduledActionAtArrayInput `pulumi:"ats"`
	// `high` or `low`.
	ToUrgency pulumi.StringPtrInput `pulumi:"toUrgency"`
	// `urgency_change`.
	Type pulumi.StringPtrInput `pulumi:"type"`
}

func (ServiceScheduledActionArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceScheduledAction)(nil)).Elem()
}

func (i ServiceScheduledActionArgs) ToServiceScheduledActionOutput() ServiceScheduledActionOutput {
	return i.ToServiceScheduledActionOutputWithContext(context.Background())
}

func (i ServiceScheduledActionArgs) ToServiceScheduledActionOutputWithContext(ctx context.Context) ServiceScheduledActionOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceScheduledActionOutput)
}

// ServiceScheduledActionArrayInput is an input type that accepts ServiceScheduledActionArray and ServiceScheduledActionArrayOutput values.
type ServiceScheduledActionArrayInput interface {
	pulumi.Input

	ToServiceScheduledActionArrayOutput() ServiceScheduledActionArrayOutput
	ToServiceScheduledActionArrayOutputWithContext(context.Context) ServiceScheduledActionArrayOutput
}

type ServiceScheduledActionArray []ServiceScheduledActionInput

func (ServiceScheduledActionArray) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ServiceScheduledAction)(nil)).Elem()
}

func (i ServiceScheduledActionArray) ToServiceScheduledActionArrayOutput() ServiceScheduledActionArrayOutput {
	return i.ToServiceScheduledActionArrayOutputWithContext(context.Background())
}

func (i ServiceScheduledActionArray) ToServiceScheduledActionArrayOutputWithContext(ctx context.Context) ServiceScheduledActionArrayOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceScheduledActionArrayOutput)
}

type ServiceScheduledActionOutput struct{ *pulumi.OutputState }

func (ServiceScheduledActionOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceScheduledAction)(nil)).Elem()
}

func (o ServiceScheduledActionOutput) ToServiceScheduledActionOutput() ServiceScheduledActionOutput {
	return o
}

func (o ServiceScheduledActionOutput) ToServiceScheduledActionOutputWithContext(ctx context.Context) ServiceScheduledActionOutput {
	return o
}

// When the action runs.
func (o ServiceScheduledActionOutput) Ats() ServiceScheduledActionAtArrayOutput {
	return o.ApplyT(func(v ServiceScheduledAction) []ServiceScheduledActionAt { return v.Ats }).(ServiceScheduledActionAtArrayOutput)
}

// `high` or `low`.
func (o ServiceScheduledActionOutput) ToUrgency() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceScheduledAction) *string { return v.ToUrgency }).(pulumi.StringPtrOutput)
}

// `urgency_change`.
func (o ServiceScheduledActionOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceScheduledAction) *string { return v.Type }).(pulumi.StringPtrOutput)
}

type ServiceScheduledActionArrayOutput struct{ *pulumi.OutputState }

func (ServiceScheduledActionArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ServiceScheduledAction)(nil)).Elem()
}

func (o ServiceScheduledActionArrayOutput) ToServiceScheduledActionArrayOutput() ServiceScheduledActionArrayOutput {
	return o
}

func (o ServiceScheduledActionArrayOutput) ToServiceScheduledActionArrayOutputWithContext(ctx context.Context) ServiceScheduledActionArrayOutput {
	return o
}

func (o ServiceScheduledActionArrayOutput) Index(i pulumi.IntInput) ServiceScheduledActionOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) ServiceScheduledAction {
		return vs[0].([]ServiceScheduledAction)[vs[1].(int)]
	}).(ServiceScheduledActionOutput)
}

// When a scheduled action runs.
type ServiceScheduledActionAt struct {
	// `support_hours_start` or `support_hours_end`.
	Name *string `pulumi:"name"`
	// `named_time`.
	Type *string `pulumi:"type"`
}

// ServiceScheduledActionAtInput is an input type that accepts ServiceScheduledActionAtArgs and ServiceScheduledActionAtOutput values.
type ServiceScheduledActionAtInput interface {
	pulumi.Input

	ToServiceScheduledActionAtOutput() ServiceScheduledActionAtOutput
	ToServiceScheduledActionAtOutputWithContext(context.Context) ServiceScheduledActionAtOutput
}

// When a scheduled action runs.
type ServiceScheduledActionAtArgs struct {
	// `support_hours_start` or `support_hours_end`.
	Name pulumi.StringPtrInput `pulumi:"name"`
	// `named_time`.
	Type pulumi.StringPtrInput `pulumi:"type"`
}

func (ServiceScheduledActionAtArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceScheduledActionAt)(nil)).Elem()
}

func (i ServiceScheduledActionAtArgs) ToServiceScheduledActionAtOutput() ServiceScheduledActionAtOutput {
	return i.ToServiceScheduledActionAtOutputWithContext(context.Background())
}

func (i ServiceScheduledActionAtArgs) ToServiceScheduledActionAtOutputWithContext(ctx context.Context) ServiceScheduledActionAtOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceScheduledActionAtOutput)
}

// ServiceScheduledActionAtArrayInput is an input type that accepts ServiceScheduledActionAtArray and ServiceScheduledActionAtArrayOutput values.
type ServiceScheduledActionAtArrayInput interface {
	pulumi.Input

	ToServiceScheduledActionAtArrayOutput() ServiceScheduledActionAtArrayOutput
	ToServiceScheduledActionAtArrayOutputWithContext(context.Context) ServiceScheduledActionAtArrayOutput
}

type ServiceScheduledActionAtArray []ServiceScheduledActionAtInput

func (ServiceScheduledActionAtArray) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ServiceScheduledActionAt)(nil)).Elem()
}

func (i ServiceScheduledActionAtArray) ToServiceScheduledActionAtArrayOutput() ServiceScheduledActionAtArrayOutput {
	return i.ToServiceScheduledActionAtArrayOutputWithContext(context.Background())
}

func (i ServiceScheduledActionAtArray) ToServiceScheduledActionAtArrayOutputWithContext(ctx context.Context) ServiceScheduledActionAtArrayOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceScheduledActionAtArrayOutput)
}

type ServiceScheduledActionAtOutput struct{ *pulumi.OutputState }

func (ServiceScheduledActionAtOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceScheduledActionAt)(nil)).Elem()
}

func (o ServiceScheduledActionAtOutput) ToServiceScheduledActionAtOutput() ServiceScheduledActionAtOutput {
	return o
}

func (o ServiceScheduledActionAtOutput) ToServiceScheduledActionAtOutputWithContext(ctx context.Context) ServiceScheduledActionAtOutput {
	return o
}

// `support_hours_start` or `support_hours_end`.
func (o ServiceScheduledActionAtOutput) Name() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceScheduledActionAt) *string { return v.Name }).(pulumi.StringPtrOutput)
}

// `named_time`.
func (o ServiceScheduledActionAtOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceScheduledActionAt) *string { return v.Type }).(pulumi.StringPtrOutput)
}

type ServiceScheduledActionAtArrayOutput struct{ *pulumi.OutputState }

func (ServiceScheduledActionAtArrayOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*[]ServiceScheduledActionAt)(nil)).Elem()
}

func (o ServiceScheduledActionAtArrayOutput) ToServiceScheduledActionAtArrayOutput() ServiceScheduledActionAtArrayOutput {
	return o
}

func (o ServiceScheduledActionAtArrayOutput) ToServiceScheduledActionAtArrayOutputWithContext(ctx context.Context) ServiceScheduledActionAtArrayOutput {
	return o
}

func (o ServiceScheduledActionAtArrayOutput) Index(i pulumi.IntInput) ServiceScheduledActionAtOutput {
	return pulumi.All(o, i).ApplyT(func(vs []interface{}) ServiceScheduledActionAt {
		return vs[0].([]ServiceScheduledActionAt)[vs[1].(int)]
	}).(ServiceScheduledActionAtOutput)
}

// Support hours of a Service.
type ServiceSupportHours struct {
	// 1 = Monday ... 7 = Sunday.
	DaysOfWeeks []int `pulumi:"daysOfWeeks"`
	// `HH:mm:ss`.
	EndTime *string `pulumi:"endTime"`
	// `HH:mm:ss`.
	StartTime *string `pulumi:"startTime"`
	// IANA time zone.
	TimeZone *string `pulumi:"timeZone"`
	// `fixed_time_per_day`.
	Type *string `pulumi:"type"`
}

// ServiceSupportHoursInput is an input type that accepts ServiceSupportHoursArgs and ServiceSupportHoursOutput values.
type ServiceSupportHoursInput interface {
	pulumi.Input

	ToServiceSupportHoursOutput() ServiceSupportHoursOutput
	ToServiceSupportHoursOutputWithContext(context.Context) ServiceSupportHoursOutput
}

// Support hours of a Service.
type ServiceSupportHoursArgs struct {
	// 1 = Monday ... 7 = Sunday.
	DaysOfWeeks pulumi.IntArrayInput `pulumi:"daysOfWeeks"`
	// `HH:mm:ss`.
	EndTime pulumi.StringPtrInput `pulumi:"endTime"`
	// `HH:mm:ss`.
	StartTime pulumi.StringPtrInput `pulumi:"startTime"`
	// IANA time zone.
	TimeZone pulumi.StringPtrInput `pulumi:"timeZone"`
	// `fixed_time_per_day`.
	Type pulumi.StringPtrInput `pulumi:"type"`
}

func (ServiceSupportHoursArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceSupportHours)(nil)).Elem()
}

func (i ServiceSupportHoursArgs) ToServiceSupportHoursOutput() ServiceSupportHoursOutput {
	return i.ToServiceSupportHoursOutputWithContext(context.Background())
}

func (i ServiceSupportHoursArgs) ToServiceSupportHoursOutputWithContext(ctx context.Context) ServiceSupportHoursOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceSupportHoursOutput)
}

func (i ServiceSupportHoursArgs) ToServiceSupportHoursPtrOutput() ServiceSupportHoursPtrOutput {
	return i.ToServiceSupportHoursPtrOutputWithContext(context.Background())
}

func (i ServiceSupportHoursArgs) ToServiceSupportHoursPtrOutputWithContext(ctx context.Context) ServiceSupportHoursPtrOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceSupportHoursOutput).ToServiceSupportHoursPtrOutputWithContext(ctx)
}

// ServiceSupportHoursPtrInput is an input type that accepts ServiceSupportHoursArgs, ServiceSupportHoursPtr and ServiceSupportHoursPtrOutput values.
type ServiceSupportHoursPtrInput interface {
	pulumi.Input

	ToServiceSupportHoursPtrOutput() ServiceSupportHoursPtrOutput
	ToServiceSupportHoursPtrOutputWithContext(context.Context) ServiceSupportHoursPtrOutput
}

// ServiceSupportHoursPtr wraps ServiceSupportHoursArgs as a ServiceSupportHoursPtrInput.
func ServiceSupportHoursPtr(v *ServiceSupportHoursArgs) ServiceSupportHoursPtrInput {
	return v
}

type ServiceSupportHoursOutput struct{ *pulumi.OutputState }

func (ServiceSupportHoursOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ServiceSupportHours)(nil)).Elem()
}

func (o ServiceSupportHoursOutput) ToServiceSupportHoursOutput() ServiceSupportHoursOutput {
	return o
}

func (o ServiceSupportHoursOutput) ToServiceSupportHoursOutputWithContext(ctx context.Context) ServiceSupportHoursOutput {
	return o
}

func (o ServiceSupportHoursOutput) ToServiceSupportHoursPtrOutput() ServiceSupportHoursPtrOutput {
	return o.ToServiceSupportHoursPtrOutputWithContext(context.Background())
}

func (o ServiceSupportHoursOutput) ToServiceSupportHoursPtrOutputWithContext(ctx context.Context) ServiceSupportHoursPtrOutput {
	return o.ApplyTWithContext(ctx, func(_ context.Context, v ServiceSupportHours) *ServiceSupportHours {
		return &v
	}).(ServiceSupportHoursPtrOutput)
}

// 1 = Monday ... 7 = Sunday.
func (o ServiceSupportHoursOutput) DaysOfWeeks() pulumi.IntArrayOutput {
	return o.ApplyT(func(v ServiceSupportHours) []int { return v.DaysOfWeeks }).(pulumi.IntArrayOutput)
}

// `HH:mm:ss`.
func (o ServiceSupportHoursOutput) EndTime() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceSupportHours) *string { return v.EndTime }).(pulumi.StringPtrOutput)
}

// `HH:mm:ss`.
func (o ServiceSupportHoursOutput) StartTime() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceSupportHours) *string { return v.StartTime }).(pulumi.StringPtrOutput)
}

// IANA time zone.
func (o ServiceSupportHoursOutput) TimeZone() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceSupportHours) *string { return v.TimeZone }).(pulumi.StringPtrOutput)
}

// `fixed_time_per_day`.
func (o ServiceSupportHoursOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v ServiceSupportHours) *string { return v.Type }).(pulumi.StringPtrOutput)
}

type ServiceSupportHoursPtrOutput struct{ *pulumi.OutputState }

func (ServiceSupportHoursPtrOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceSupportHours)(nil)).Elem()
}

func (o ServiceSupportHoursPtrOutput) ToServiceSupportHoursPtrOutput() ServiceSupportHoursPtrOutput {
	return o
}

func (o ServiceSupportHoursPtrOutput) ToServiceSupportHoursPtrOutputWithContext(ctx context.Context) ServiceSupportHoursPtrOutput {
	return o
}

func (o ServiceSupportHoursPtrOutput) Elem() ServiceSupportHoursOutput {
	return o.ApplyT(func(v *ServiceSupportHours) ServiceSupportHours {
		if v != nil {
			return *v
		}
		var ret ServiceSupportHours
		return ret
	}).(ServiceSupportHoursOutput)
}

// 1 = Monday ... 7 = Sunday.
func (o ServiceSupportHoursPtrOutput) DaysOfWeeks() pulumi.IntArrayOutput {
	return o.ApplyT(func(v *ServiceSupportHours) []int {
		if v == nil {
			return nil
		}
		return v.DaysOfWeeks
	}).(pulumi.IntArrayOutput)
}

// `HH:mm:ss`.
func (o ServiceSupportHoursPtrOutput) EndTime() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.EndTime
	}).(pulumi.StringPtrOutput)
}

// `HH:mm:ss`.
func (o ServiceSupportHoursPtrOutput) StartTime() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.StartTime
	}).(pulumi.StringPtrOutput)
}

// IANA time zone.
func (o ServiceSupportHoursPtrOutput) TimeZone() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.TimeZone
	}).(pulumi.StringPtrOutput)
}

// `fixed_time_per_day`.
func (o ServiceSupportHoursPtrOutput) Type() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *ServiceSupportHours) *string {
		if v == nil {
			return nil
		}
		return v.Type
	}).(pulumi.StringPtrOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleInput)(nil)).Elem(), EscalationPolicyRuleArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleArrayInput)(nil)).Elem(), EscalationPolicyRuleArray{})
	pulumi.RegisterOutputType(EscalationPolicyRuleOutput{})
	pulumi.RegisterOutputType(EscalationPolicyRuleArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleEscalationRuleAssignmentStrategyInput)(nil)).Elem(), EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrInput)(nil)).Elem(), EscalationPolicyRuleEscalationRuleAssignmentStrategyArgs{})
	pulumi.RegisterOutputType(EscalationPolicyRuleEscalationRuleAssignmentStrategyOutput{})
	pulumi.RegisterOutputType(EscalationPolicyRuleEscalationRuleAssignmentStrategyPtrOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleTargetInput)(nil)).Elem(), EscalationPolicyRuleTargetArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleTargetArrayInput)(nil)).Elem(), EscalationPolicyRuleTargetArray{})
	pulumi.RegisterOutputType(EscalationPolicyRuleTargetOutput{})
	pulumi.RegisterOutputType(EscalationPolicyRuleTargetArrayOutput{})
	pulumi.RegisterOutputType(ScheduleFinalScheduleOutput{})
	pulumi.RegisterOutputType(ScheduleFinalScheduleArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ScheduleLayerInput)(nil)).Elem(), ScheduleLayerArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ScheduleLayerArrayInput)(nil)).Elem(), ScheduleLayerArray{})
	pulumi.RegisterOutputType(ScheduleLayerOutput{})
	pulumi.RegisterOutputType(ScheduleLayerArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ScheduleLayerRestrictionInput)(nil)).Elem(), ScheduleLayerRestrictionArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ScheduleLayerRestrictionArrayInput)(nil)).Elem(), ScheduleLayerRestrictionArray{})
	pulumi.RegisterOutputType(ScheduleLayerRestrictionOutput{})
	pulumi.RegisterOutputType(ScheduleLayerRestrictionArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceAutoPauseNotificationsParametersInput)(nil)).Elem(), ServiceAutoPauseNotificationsParametersArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceAutoPauseNotificationsParametersPtrInput)(nil)).Elem(), ServiceAutoPauseNotificationsParametersArgs{})
	pulumi.RegisterOutputType(ServiceAutoPauseNotificationsParametersOutput{})
	pulumi.RegisterOutputType(ServiceAutoPauseNotificationsParametersPtrOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRuleInput)(nil)).Elem(), ServiceIncidentUrgencyRuleArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRulePtrInput)(nil)).Elem(), ServiceIncidentUrgencyRuleArgs{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRuleOutput{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRulePtrOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRuleDuringSupportHoursInput)(nil)).Elem(), ServiceIncidentUrgencyRuleDuringSupportHoursArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRuleDuringSupportHoursPtrInput)(nil)).Elem(), ServiceIncidentUrgencyRuleDuringSupportHoursArgs{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRuleDuringSupportHoursOutput{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRuleDuringSupportHoursPtrOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRuleOutsideSupportHoursInput)(nil)).Elem(), ServiceIncidentUrgencyRuleOutsideSupportHoursArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRuleOutsideSupportHoursPtrInput)(nil)).Elem(), ServiceIncidentUrgencyRuleOutsideSupportHoursArgs{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRuleOutsideSupportHoursOutput{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRuleOutsideSupportHoursPtrOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceScheduledActionInput)(nil)).Elem(), ServiceScheduledActionArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceScheduledActionArrayInput)(nil)).Elem(), ServiceScheduledActionArray{})
	pulumi.RegisterOutputType(ServiceScheduledActionOutput{})
	pulumi.RegisterOutputType(ServiceScheduledActionArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceScheduledActionAtInput)(nil)).Elem(), ServiceScheduledActionAtArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceScheduledActionAtArrayInput)(nil)).Elem(), ServiceScheduledActionAtArray{})
	pulumi.RegisterOutputType(ServiceScheduledActionAtOutput{})
	pulumi.RegisterOutputType(ServiceScheduledActionAtArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceSupportHoursInput)(nil)).Elem(), ServiceSupportHoursArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceSupportHoursPtrInput)(nil)).Elem(), ServiceSupportHoursArgs{})
	pulumi.RegisterOutputType(ServiceSupportHoursOutput{})
	pulumi.RegisterOutputType(ServiceSupportHoursPtrOutput{})
}
