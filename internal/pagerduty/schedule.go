package pagerduty

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Schedule is a PagerDuty on-call schedule (pagerduty:index/schedule:Schedule).
type Schedule struct {
	pulumi.CustomResourceState

	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringOutput `pulumi:"description"`
	// The rendered final schedule.
	FinalSchedules ScheduleFinalScheduleArrayOutput `pulumi:"finalSchedules"`
	// The schedule layers (at least one).
	Layers ScheduleLayerArrayOutput `pulumi:"layers"`
	// The schedule name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// Whether on-call entries that extend past the query range are kept whole.
	Overflow pulumi.BoolPtrOutput `pulumi:"overflow"`
	// Team ids (a real list here, unlike EscalationPolicy.teams).
	Teams pulumi.StringArrayOutput `pulumi:"teams"`
	// IANA time zone, e.g. `Europe/Berlin`.
	TimeZone pulumi.StringOutput `pulumi:"timeZone"`
}

// NewSchedule registers a new resource with the given unique name, arguments, and options.
func NewSchedule(ctx *pulumi.Context,
	name string, args *ScheduleArgs, opts ...pulumi.ResourceOption) (*Schedule, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.Layers == nil {
		return nil, errors.New("invalid value for required argument 'Layers'")
	}
	if args.TimeZone == nil {
		return nil, errors.New("invalid value for required argument 'TimeZone'")
	}
	if args.Description == nil {
		args.Description = pulumi.StringPtr("Managed by Pulumi")
	}
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Schedule
	err := ctx.RegisterResource("pagerduty:index/schedule:Schedule", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type scheduleArgs struct {
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description *string `pulumi:"description"`
	// The schedule layers (at least one).
	Layers []ScheduleLayer `pulumi:"layers"`
	// The schedule name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
	// Whether on-call entries that extend past the query range are kept whole.
	Overflow *bool `pulumi:"overflow"`
	// Team ids (a real list here, unlike EscalationPolicy.teams).
	Teams []string `pulumi:"teams"`
	// IANA time zone, e.g. `Europe/Berlin`.
	TimeZone string `pulumi:"timeZone"`
}

// The set of arguments for constructing a Schedule resource.
type ScheduleArgs struct {
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringPtrInput
	// The schedule layers (at least one).
	Layers ScheduleLayerArrayInput
	// The schedule name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
	// Whether on-call entries that extend past the query range are kept whole.
	Overflow pulumi.BoolPtrInput
	// Team ids (a real list here, unlike EscalationPolicy.teams).
	Teams pulumi.StringArrayInput
	// IANA time zone, e.g. `Europe/Berlin`.
	TimeZone pulumi.StringInput
}

func (ScheduleArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*scheduleArgs)(nil)).Elem()
}

type ScheduleInput interface {
	pulumi.Input

	ToScheduleOutput() ScheduleOutput
	ToScheduleOutputWithContext(ctx context.Context) ScheduleOutput
}

func (*Schedule) ElementType() reflect.Type {
	return reflect.TypeOf((**Schedule)(nil)).Elem()
}

func (i *Schedule) ToScheduleOutput() ScheduleOutput {
	return i.ToScheduleOutputWithContext(context.Background())
}

func (i *Schedule) ToScheduleOutputWithContext(ctx context.Context) ScheduleOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ScheduleOutput)
}

type ScheduleOutput struct{ *pulumi.OutputState }

func (ScheduleOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**Schedule)(nil)).Elem()
}

func (o ScheduleOutput) ToScheduleOutput() ScheduleOutput {
	return o
}

func (o ScheduleOutput) ToScheduleOutputWithContext(ctx context.Context) ScheduleOutput {
	return o
}

// Description; defaults to "Managed by Pulumi" as in the schema.
func (o ScheduleOutput) Description() pulumi.StringOutput {
	return o.ApplyT(func(v *Schedule) pulumi.StringOutput { return v.Description }).(pulumi.StringOutput)
}

// The rendered final schedule.
func (o ScheduleOutput) FinalSchedules() ScheduleFinalScheduleArrayOutput {
	return o.ApplyT(func(v *Schedule) ScheduleFinalScheduleArrayOutput { return v.FinalSchedules }).(ScheduleFinalScheduleArrayOutput)
}

// The schedule layers (at least one).
func (o ScheduleOutput) Layers() ScheduleLayerArrayOutput {
	return o.ApplyT(func(v *Schedule) ScheduleLayerArrayOutput { return v.Layers }).(ScheduleLayerArrayOutput)
}

// The schedule name; auto-named from the resource name if unset.
func (o ScheduleOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *Schedule) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// Whether on-call entries that extend past the query range are kept whole.
func (o ScheduleOutput) Overflow() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v *Schedule) pulumi.BoolPtrOutput { return v.Overflow }).(pulumi.BoolPtrOutput)
}

// Team ids (a real list here, unlike EscalationPolicy.teams).
func (o ScheduleOutput) Teams() pulumi.StringArrayOutput {
	return o.ApplyT(func(v *Schedule) pulumi.StringArrayOutput { return v.Teams }).(pulumi.StringArrayOutput)
}

// IANA time zone, e.g. `Europe/Berlin`.
func (o ScheduleOutput) TimeZone() pulumi.StringOutput {
	return o.ApplyT(func(v *Schedule) pulumi.StringOutput { return v.TimeZone }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ScheduleInput)(nil)).Elem(), &Schedule{})
	pulumi.RegisterOutputType(ScheduleOutput{})
}
