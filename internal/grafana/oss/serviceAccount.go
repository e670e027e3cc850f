package oss

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/grafana/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ServiceAccount is a Grafana service account (grafana:oss/serviceAccount:ServiceAccount; Grafana >= 9.1).
type ServiceAccount struct {
	pulumi.CustomResourceState

	// Whether the service account is disabled.
	IsDisabled pulumi.BoolOutput `pulumi:"isDisabled"`
	// The name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// The organization id (a string).
	OrgId pulumi.StringOutput `pulumi:"orgId"`
	// `Viewer`, `Editor`, `Admin` or `None`.
	Role pulumi.StringOutput `pulumi:"role"`
}

// NewServiceAccount registers a new resource with the given unique name, arguments, and options.
func NewServiceAccount(ctx *pulumi.Context,
	name string, args *ServiceAccountArgs, opts ...pulumi.ResourceOption) (*ServiceAccount, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.Role == nil {
		return nil, errors.New("invalid value for required argument 'Role'")
	}
	aliases := pulumi.Aliases([]pulumi.Alias{
		{
			Type: pulumi.String("grafana:index/serviceAccount:ServiceAccount"),
		},
	})
	opts = append(opts, aliases)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource ServiceAccount
	err := ctx.RegisterResource("grafana:oss/serviceAccount:ServiceAccount", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type serviceAccountArgs struct {
	// Whether the service account is disabled.
	IsDisabled *bool `pulumi:"isDisabled"`
	// The name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
	// The organization id (a string).
	OrgId *string `pulumi:"orgId"`
	// `Viewer`, `Editor`, `Admin` or `None`.
	Role string `pulumi:"role"`
}

// The set of arguments for constructing a ServiceAccount resource.
type ServiceAccountArgs struct {
	// Whether the service account is disabled.
	IsDisabled pulumi.BoolPtrInput
	// The name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
	// The organization id (a string).
	OrgId pulumi.StringPtrInput
	// `Viewer`, `Editor`, `Admin` or `None`.
	Role pulumi.StringInput
}

func (ServiceAccountArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*serviceAccountArgs)(nil)).Elem()
}

type ServiceAccountInput interface {
	pulumi.Input

	ToServiceAccountOutput() ServiceAccountOutput
	ToServiceAccountOutputWithContext(ctx context.Context) ServiceAccountOutput
}

func (*ServiceAccount) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceAccount)(nil)).Elem()
}

func (i *ServiceAccount) ToServiceAccountOutput() ServiceAccountOutput {
	return i.ToServiceAccountOutputWithContext(context.Background())
}

func (i *ServiceAccount) ToServiceAccountOutputWithContext(ctx context.Context) ServiceAccountOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceAccountOutput)
}

type ServiceAccountOutput struct{ *pulumi.OutputState }

func (ServiceAccountOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceAccount)(nil)).Elem()
}

func (o ServiceAccountOutput) ToServiceAccountOutput() ServiceAccountOutput {
	return o
}

func (o ServiceAccountOutput) ToServiceAccountOutputWithContext(ctx context.Context) ServiceAccountOutput {
	return o
}

// Whether the service account is disabled.
func (o ServiceAccountOutput) IsDisabled() pulumi.BoolOutput {
	return o.ApplyT(func(v *ServiceAccount) pulumi.BoolOutput { return v.IsDisabled }).(pulumi.BoolOutput)
}

// The name; auto-named from the resource name if unset.
func (o ServiceAccountOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccount) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// The organization id (a string).
func (o ServiceAccountOutput) OrgId() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccount) pulumi.StringOutput { return v.OrgId }).(pulumi.StringOutput)
}

// `Viewer`, `Editor`, `Admin` or `None`.
func (o ServiceAccountOutput) Role() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccount) pulumi.StringOutput { return v.Role }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceAccountInput)(nil)).Elem(), &ServiceAccount{})
	pulumi.RegisterOutputType(ServiceAccountOutput{})
}
