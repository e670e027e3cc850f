// The nested object types of the pagerduty resources the program uses, in the
// shape of the SDK's pulumiTypes.go: a plain struct (what outputs hold), XArgs
// (inputs), XArray for repeated blocks and XPtr/XPtrInput for single objects,
// and the matching Outputs. Single objects (MaxItems=1 upstream) are never
// arrays here, as in the schema.
//
// Only what components/pagerduty builds is here: escalation rules with their
// targets, and the service's incident urgency rule. The rest of the schema's
// blocks (assignment strategies, schedule layers, support hours, scheduled
// actions, auto-pause) have no caller and were left out. This file, like the
// package, goes away when the official SDK can be fetched (see doc.go).

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

// The incident urgency rule of a Service.
type ServiceIncidentUrgencyRule struct {
	// `constant` (`use_support_hours` needs support hours, which this binding leaves out).
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
	// `constant` (`use_support_hours` needs support hours, which this binding leaves out).
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

// `constant` (`use_support_hours` needs support hours, which this binding leaves out).
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

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleInput)(nil)).Elem(), EscalationPolicyRuleArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleArrayInput)(nil)).Elem(), EscalationPolicyRuleArray{})
	pulumi.RegisterOutputType(EscalationPolicyRuleOutput{})
	pulumi.RegisterOutputType(EscalationPolicyRuleArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleTargetInput)(nil)).Elem(), EscalationPolicyRuleTargetArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyRuleTargetArrayInput)(nil)).Elem(), EscalationPolicyRuleTargetArray{})
	pulumi.RegisterOutputType(EscalationPolicyRuleTargetOutput{})
	pulumi.RegisterOutputType(EscalationPolicyRuleTargetArrayOutput{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRuleInput)(nil)).Elem(), ServiceIncidentUrgencyRuleArgs{})
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIncidentUrgencyRulePtrInput)(nil)).Elem(), ServiceIncidentUrgencyRuleArgs{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRuleOutput{})
	pulumi.RegisterOutputType(ServiceIncidentUrgencyRulePtrOutput{})
}
