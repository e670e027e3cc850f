package pagerduty

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TeamMembership puts a user on a team (pagerduty:index/teamMembership:TeamMembership).
type TeamMembership struct {
	pulumi.CustomResourceState

	// `observer`, `responder` or `manager` (the upstream default).
	Role pulumi.StringPtrOutput `pulumi:"role"`
	// The Team id.
	TeamId pulumi.StringOutput `pulumi:"teamId"`
	// The User id.
	UserId pulumi.StringOutput `pulumi:"userId"`
}

// NewTeamMembership registers a new resource with the given unique name, arguments, and options.
func NewTeamMembership(ctx *pulumi.Context,
	name string, args *TeamMembershipArgs, opts ...pulumi.ResourceOption) (*TeamMembership, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.TeamId == nil {
		return nil, errors.New("invalid value for required argument 'TeamId'")
	}
	if args.UserId == nil {
		return nil, errors.New("invalid value for required argument 'UserId'")
	}
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource TeamMembership
	err := ctx.RegisterResource("pagerduty:index/teamMembership:TeamMembership", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type teamMembershipArgs struct {
	// `observer`, `responder` or `manager` (the upstream default).
	Role *string `pulumi:"role"`
	// The Team id.
	TeamId string `pulumi:"teamId"`
	// The User id.
	UserId string `pulumi:"userId"`
}

// The set of arguments for constructing a TeamMembership resource.
type TeamMembershipArgs struct {
	// `observer`, `responder` or `manager` (the upstream default).
	Role pulumi.StringPtrInput
	// The Team id.
	TeamId pulumi.StringInput
	// The User id.
	UserId pulumi.StringInput
}

func (TeamMembershipArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*teamMembershipArgs)(nil)).Elem()
}

type TeamMembershipInput interface {
	pulumi.Input

	ToTeamMembershipOutput() TeamMembershipOutput
	ToTeamMembershipOutputWithContext(ctx context.Context) TeamMembershipOutput
}

func (*TeamMembership) ElementType() reflect.Type {
	return reflect.TypeOf((**TeamMembership)(nil)).Elem()
}

func (i *TeamMembership) ToTeamMembershipOutput() TeamMembershipOutput {
	return i.ToTeamMembershipOutputWithContext(context.Background())
}

func (i *TeamMembership) ToTeamMembershipOutputWithContext(ctx context.Context) TeamMembershipOutput {
	return pulumi.ToOutputWithContext(ctx, i).(TeamMembershipOutput)
}

type TeamMembershipOutput struct{ *pulumi.OutputState }

func (TeamMembershipOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**TeamMembership)(nil)).Elem()
}

func (o TeamMembershipOutput) ToTeamMembershipOutput() TeamMembershipOutput {
	return o
}

func (o TeamMembershipOutput) ToTeamMembershipOutputWithContext(ctx context.Context) TeamMembershipOutput {
	return o
}

// `observer`, `responder` or `manager` (the upstream default).
func (o TeamMembershipOutput) Role() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *TeamMembership) pulumi.StringPtrOutput { return v.Role }).(pulumi.StringPtrOutput)
}

// The Team id.
func (o TeamMembershipOutput) TeamId() pulumi.StringOutput {
	return o.ApplyT(func(v *TeamMembership) pulumi.StringOutput { return v.TeamId }).(pulumi.StringOutput)
}

// The User id.
func (o TeamMembershipOutput) UserId() pulumi.StringOutput {
	return o.ApplyT(func(v *TeamMembership) pulumi.StringOutput { return v.UserId }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*TeamMembershipInput)(nil)).Elem(), &TeamMembership{})
	pulumi.RegisterOutputType(TeamMembershipOutput{})
}
