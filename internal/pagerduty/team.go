package pagerduty

import (
	"context"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Team is a PagerDuty team (pagerduty:index/team:Team).
type Team struct {
	pulumi.CustomResourceState

	// Default role of new members: `none` (private team) or `manager`.
	DefaultRole pulumi.StringOutput `pulumi:"defaultRole"`
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringOutput `pulumi:"description"`
	// URL of the team in the PagerDuty web UI.
	HtmlUrl pulumi.StringOutput `pulumi:"htmlUrl"`
	// The team name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// Parent team id (needs the Team Hierarchy feature).
	Parent pulumi.StringPtrOutput `pulumi:"parent"`
}

// NewTeam registers a new resource with the given unique name, arguments, and options.
func NewTeam(ctx *pulumi.Context,
	name string, args *TeamArgs, opts ...pulumi.ResourceOption) (*Team, error) {
	if args == nil {
		args = &TeamArgs{}
	}

	if args.Description == nil {
		args.Description = pulumi.StringPtr("Managed by Pulumi")
	}
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Team
	err := ctx.RegisterResource("pagerduty:index/team:Team", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type teamArgs struct {
	// Default role of new members: `none` (private team) or `manager`.
	DefaultRole *string `pulumi:"defaultRole"`
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description *string `pulumi:"description"`
	// The team name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
	// Parent team id (needs the Team Hierarchy feature).
	Parent *string `pulumi:"parent"`
}

// The set of arguments for constructing a Team resource.
type TeamArgs struct {
	// Default role of new members: `none` (private team) or `manager`.
	DefaultRole pulumi.StringPtrInput
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringPtrInput
	// The team name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
	// Parent team id (needs the Team Hierarchy feature).
	Parent pulumi.StringPtrInput
}

func (TeamArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*teamArgs)(nil)).Elem()
}

type TeamInput interface {
	pulumi.Input

	ToTeamOutput() TeamOutput
	ToTeamOutputWithContext(ctx context.Context) TeamOutput
}

func (*Team) ElementType() reflect.Type {
	return reflect.TypeOf((**Team)(nil)).Elem()
}

func (i *Team) ToTeamOutput() TeamOutput {
	return i.ToTeamOutputWithContext(context.Background())
}

func (i *Team) ToTeamOutputWithContext(ctx context.Context) TeamOutput {
	return pulumi.ToOutputWithContext(ctx, i).(TeamOutput)
}

type TeamOutput struct{ *pulumi.OutputState }

func (TeamOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**Team)(nil)).Elem()
}

func (o TeamOutput) ToTeamOutput() TeamOutput {
	return o
}

func (o TeamOutput) ToTeamOutputWithContext(ctx context.Context) TeamOutput {
	return o
}

// Default role of new members: `none` (private team) or `manager`.
func (o TeamOutput) DefaultRole() pulumi.StringOutput {
	return o.ApplyT(func(v *Team) pulumi.StringOutput { return v.DefaultRole }).(pulumi.StringOutput)
}

// Description; defaults to "Managed by Pulumi" as in the schema.
func (o TeamOutput) Description() pulumi.StringOutput {
	return o.ApplyT(func(v *Team) pulumi.StringOutput { return v.Description }).(pulumi.StringOutput)
}

// URL of the team in the PagerDuty web UI.
func (o TeamOutput) HtmlUrl() pulumi.StringOutput {
	return o.ApplyT(func(v *Team) pulumi.StringOutput { return v.HtmlUrl }).(pulumi.StringOutput)
}

// The team name; auto-named from the resource name if unset.
func (o TeamOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *Team) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// Parent team id (needs the Team Hierarchy feature).
func (o TeamOutput) Parent() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Team) pulumi.StringPtrOutput { return v.Parent }).(pulumi.StringPtrOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*TeamInput)(nil)).Elem(), &Team{})
	pulumi.RegisterOutputType(TeamOutput{})
}
