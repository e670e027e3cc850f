package pagerduty

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// EscalationPolicy is a PagerDuty escalation policy (pagerduty:index/escalationPolicy:EscalationPolicy).
type EscalationPolicy struct {
	pulumi.CustomResourceState

	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringOutput `pulumi:"description"`
	// The policy name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// How many times the policy repeats after the last rule (0-9).
	NumLoops pulumi.IntPtrOutput `pulumi:"numLoops"`
	// The escalation levels, in order.
	Rules EscalationPolicyRuleArrayOutput `pulumi:"rules"`
	// A single Team id (a string, not a list: the upstream list holds at most one).
	Teams pulumi.StringPtrOutput `pulumi:"teams"`
}

// NewEscalationPolicy registers a new resource with the given unique name, arguments, and options.
func NewEscalationPolicy(ctx *pulumi.Context,
	name string, args *EscalationPolicyArgs, opts ...pulumi.ResourceOption) (*EscalationPolicy, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.Rules == nil {
		return nil, errors.New("invalid value for required argument 'Rules'")
	}
	if args.Description == nil {
		args.Description = pulumi.StringPtr("Managed by Pulumi")
	}
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource EscalationPolicy
	err := ctx.RegisterResource("pagerduty:index/escalationPolicy:EscalationPolicy", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type escalationPolicyArgs struct {
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description *string `pulumi:"description"`
	// The policy name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
	// How many times the policy repeats after the last rule (0-9).
	NumLoops *int `pulumi:"numLoops"`
	// The escalation levels, in order.
	Rules []EscalationPolicyRule `pulumi:"rules"`
	// A single Team id (a string, not a list: the upstream list holds at most one).
	Teams *string `pulumi:"teams"`
}

// The set of arguments for constructing a EscalationPolicy resource.
type EscalationPolicyArgs struct {
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringPtrInput
	// The policy name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
	// How many times the policy repeats after the last rule (0-9).
	NumLoops pulumi.IntPtrInput
	// The escalation levels, in order.
	Rules EscalationPolicyRuleArrayInput
	// A single Team id (a string, not a list: the upstream list holds at most one).
	Teams pulumi.StringPtrInput
}

func (EscalationPolicyArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*escalationPolicyArgs)(nil)).Elem()
}

type EscalationPolicyInput interface {
	pulumi.Input

	ToEscalationPolicyOutput() EscalationPolicyOutput
	ToEscalationPolicyOutputWithContext(ctx context.Context) EscalationPolicyOutput
}

func (*EscalationPolicy) ElementType() reflect.Type {
	return reflect.TypeOf((**EscalationPolicy)(nil)).Elem()
}

func (i *EscalationPolicy) ToEscalationPolicyOutput() EscalationPolicyOutput {
	return i.ToEscalationPolicyOutputWithContext(context.Background())
}

func (i *EscalationPolicy) ToEscalationPolicyOutputWithContext(ctx context.Context) EscalationPolicyOutput {
	return pulumi.ToOutputWithContext(ctx, i).(EscalationPolicyOutput)
}

type EscalationPolicyOutput struct{ *pulumi.OutputState }

func (EscalationPolicyOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**EscalationPolicy)(nil)).Elem()
}

func (o EscalationPolicyOutput) ToEscalationPolicyOutput() EscalationPolicyOutput {
	return o
}

func (o EscalationPolicyOutput) ToEscalationPolicyOutputWithContext(ctx context.Context) EscalationPolicyOutput {
	return o
}

// Description; defaults to "Managed by Pulumi" as in the schema.
func (o EscalationPolicyOutput) Description() pulumi.StringOutput {
	return o.ApplyT(func(v *EscalationPolicy) pulumi.StringOutput { return v.Description }).(pulumi.StringOutput)
}

// The policy name; auto-named from the resource name if unset.
func (o EscalationPolicyOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *EscalationPolicy) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// How many times the policy repeats after the last rule (0-9).
func (o EscalationPolicyOutput) NumLoops() pulumi.IntPtrOutput {
	return o.ApplyT(func(v *EscalationPolicy) pulumi.IntPtrOutput { return v.NumLoops }).(pulumi.IntPtrOutput)
}

// The escalation levels, in order.
func (o EscalationPolicyOutput) Rules() EscalationPolicyRuleArrayOutput {
	return o.ApplyT(func(v *EscalationPolicy) EscalationPolicyRuleArrayOutput { return v.Rules }).(EscalationPolicyRuleArrayOutput)
}

// A single Team id (a string, not a list: the upstream list holds at most one).
func (o EscalationPolicyOutput) Teams() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *EscalationPolicy) pulumi.StringPtrOutput { return v.Teams }).(pulumi.StringPtrOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*EscalationPolicyInput)(nil)).Elem(), &EscalationPolicy{})
	pulumi.RegisterOutputType(EscalationPolicyOutput{})
}
