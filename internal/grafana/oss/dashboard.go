package oss

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/grafana/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Dashboard is a Grafana dashboard (grafana:oss/dashboard:Dashboard). Its title and
// uid live inside configJson; there are no separate inputs for them.
type Dashboard struct {
	pulumi.CustomResourceState

	// The complete dashboard model as a JSON string. The output is the provider's normalized form.
	ConfigJson pulumi.StringOutput `pulumi:"configJson"`
	// The numeric id Grafana assigned.
	DashboardId pulumi.IntOutput `pulumi:"dashboardId"`
	// The uid of the folder to save the dashboard in (a Folder id "<org>:<uid>" also works). Unset means General.
	Folder pulumi.StringPtrOutput `pulumi:"folder"`
	// Commit message for the version history.
	Message pulumi.StringPtrOutput `pulumi:"message"`
	// The organization id (a string). Changing it replaces the dashboard.
	OrgId pulumi.StringPtrOutput `pulumi:"orgId"`
	// Overwrite an existing dashboard with the same uid or title.
	Overwrite pulumi.BoolPtrOutput `pulumi:"overwrite"`
	// The uid Grafana stores (from configJson, or generated).
	Uid pulumi.StringOutput `pulumi:"uid"`
	// The dashboard's full URL.
	Url pulumi.StringOutput `pulumi:"url"`
	// The dashboard's version number in Grafana.
	Version pulumi.IntOutput `pulumi:"version"`
}

// NewDashboard registers a new resource with the given unique name, arguments, and options.
func NewDashboard(ctx *pulumi.Context,
	name string, args *DashboardArgs, opts ...pulumi.ResourceOption) (*Dashboard, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.ConfigJson == nil {
		return nil, errors.New("invalid value for required argument 'ConfigJson'")
	}
	aliases := pulumi.Aliases([]pulumi.Alias{
		{
			Type: pulumi.String("grafana:index/dashboard:Dashboard"),
		},
	})
	opts = append(opts, aliases)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Dashboard
	err := ctx.RegisterResource("grafana:oss/dashboard:Dashboard", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type dashboardArgs struct {
	// The complete dashboard model as a JSON string. The output is the provider's normalized form.
	ConfigJson string `pulumi:"configJson"`
	// The uid of the folder to save the dashboard in (a Folder id "<org>:<uid>" also works). Unset means General.
	Folder *string `pulumi:"folder"`
	// Commit message for the version history.
	Message *string `pulumi:"message"`
	// The organization id (a string). Changing it replaces the dashboard.
	OrgId *string `pulumi:"orgId"`
	// Overwrite an existing dashboard with the same uid or title.
	Overwrite *bool `pulumi:"overwrite"`
}

// The set of arguments for constructing a Dashboard resource.
type DashboardArgs struct {
	// The complete dashboard model as a JSON string. The output is the provider's normalized form.
	ConfigJson pulumi.StringInput
	// The uid of the folder to save the dashboard in (a Folder id "<org>:<uid>" also works). Unset means General.
	Folder pulumi.StringPtrInput
	// Commit message for the version history.
	Message pulumi.StringPtrInput
	// The organization id (a string). Changing it replaces the dashboard.
	OrgId pulumi.StringPtrInput
	// Overwrite an existing dashboard with the same uid or title.
	Overwrite pulumi.BoolPtrInput
}

func (DashboardArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*dashboardArgs)(nil)).Elem()
}

type DashboardInput interface {
	pulumi.Input

	ToDashboardOutput() DashboardOutput
	ToDashboardOutputWithContext(ctx context.Context) DashboardOutput
}

func (*Dashboard) ElementType() reflect.Type {
	return reflect.TypeOf((**Dashboard)(nil)).Elem()
}

func (i *Dashboard) ToDashboardOutput() DashboardOutput {
	return i.ToDashboardOutputWithContext(context.Background())
}

func (i *Dashboard) ToDashboardOutputWithContext(ctx context.Context) DashboardOutput {
	return pulumi.ToOutputWithContext(ctx, i).(DashboardOutput)
}

type DashboardOutput struct{ *pulumi.OutputState }

func (DashboardOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**Dashboard)(nil)).Elem()
}

func (o DashboardOutput) ToDashboardOutput() DashboardOutput {
	return o
}

func (o DashboardOutput) ToDashboardOutputWithContext(ctx context.Context) DashboardOutput {
	return o
}

// The complete dashboard model as a JSON string. The output is the provider's normalized form.
func (o DashboardOutput) ConfigJson() pulumi.StringOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.StringOutput { return v.ConfigJson }).(pulumi.StringOutput)
}

// The numeric id Grafana assigned.
func (o DashboardOutput) DashboardId() pulumi.IntOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.IntOutput { return v.DashboardId }).(pulumi.IntOutput)
}

// The uid of the folder to save the dashboard in (a Folder id "<org>:<uid>" also works). Unset means General.
func (o DashboardOutput) Folder() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.StringPtrOutput { return v.Folder }).(pulumi.StringPtrOutput)
}

// Commit message for the version history.
func (o DashboardOutput) Message() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.StringPtrOutput { return v.Message }).(pulumi.StringPtrOutput)
}

// The organization id (a string). Changing it replaces the dashboard.
func (o DashboardOutput) OrgId() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.StringPtrOutput { return v.OrgId }).(pulumi.StringPtrOutput)
}

// Overwrite an existing dashboard with the same uid or title.
func (o DashboardOutput) Overwrite() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.BoolPtrOutput { return v.Overwrite }).(pulumi.BoolPtrOutput)
}

// The uid Grafana stores (from configJson, or generated).
func (o DashboardOutput) Uid() pulumi.StringOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.StringOutput { return v.Uid }).(pulumi.StringOutput)
}

// The dashboard's full URL.
func (o DashboardOutput) Url() pulumi.StringOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.StringOutput { return v.Url }).(pulumi.StringOutput)
}

// The dashboard's version number in Grafana.
func (o DashboardOutput) Version() pulumi.IntOutput {
	return o.ApplyT(func(v *Dashboard) pulumi.IntOutput { return v.Version }).(pulumi.IntOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*DashboardInput)(nil)).Elem(), &Dashboard{})
	pulumi.RegisterOutputType(DashboardOutput{})
}
