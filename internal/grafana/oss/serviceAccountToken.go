package oss

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/grafana/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ServiceAccountToken is a token of a Grafana service account
// (grafana:oss/serviceAccountToken:ServiceAccountToken). Every input forces
// replacement; the key is returned only when the token is created.
type ServiceAccountToken struct {
	pulumi.CustomResourceState

	// When the token expires.
	Expiration pulumi.StringOutput `pulumi:"expiration"`
	// Whether the token has expired.
	HasExpired pulumi.BoolOutput `pulumi:"hasExpired"`
	// The token value. Secret.
	Key pulumi.StringOutput `pulumi:"key"`
	// The token name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// Lifetime in seconds; unset or 0 means the token never expires.
	SecondsToLive pulumi.IntPtrOutput `pulumi:"secondsToLive"`
	// The ServiceAccount id ("<org>:<id>"); a bare numeric id also works.
	ServiceAccountId pulumi.StringOutput `pulumi:"serviceAccountId"`
}

// NewServiceAccountToken registers a new resource with the given unique name, arguments, and options.
func NewServiceAccountToken(ctx *pulumi.Context,
	name string, args *ServiceAccountTokenArgs, opts ...pulumi.ResourceOption) (*ServiceAccountToken, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.ServiceAccountId == nil {
		return nil, errors.New("invalid value for required argument 'ServiceAccountId'")
	}
	aliases := pulumi.Aliases([]pulumi.Alias{
		{
			Type: pulumi.String("grafana:index/serviceAccountToken:ServiceAccountToken"),
		},
	})
	opts = append(opts, aliases)
	// key is the token itself; the generated SDK marks it secret the same way.
	secrets := pulumi.AdditionalSecretOutputs([]string{
		"key",
	})
	opts = append(opts, secrets)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource ServiceAccountToken
	err := ctx.RegisterResource("grafana:oss/serviceAccountToken:ServiceAccountToken", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type serviceAccountTokenArgs struct {
	// The token name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
	// Lifetime in seconds; unset or 0 means the token never expires.
	SecondsToLive *int `pulumi:"secondsToLive"`
	// The ServiceAccount id ("<org>:<id>"); a bare numeric id also works.
	ServiceAccountId string `pulumi:"serviceAccountId"`
}

// The set of arguments for constructing a ServiceAccountToken resource.
type ServiceAccountTokenArgs struct {
	// The token name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
	// Lifetime in seconds; unset or 0 means the token never expires.
	SecondsToLive pulumi.IntPtrInput
	// The ServiceAccount id ("<org>:<id>"); a bare numeric id also works.
	ServiceAccountId pulumi.StringInput
}

func (ServiceAccountTokenArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*serviceAccountTokenArgs)(nil)).Elem()
}

type ServiceAccountTokenInput interface {
	pulumi.Input

	ToServiceAccountTokenOutput() ServiceAccountTokenOutput
	ToServiceAccountTokenOutputWithContext(ctx context.Context) ServiceAccountTokenOutput
}

func (*ServiceAccountToken) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceAccountToken)(nil)).Elem()
}

func (i *ServiceAccountToken) ToServiceAccountTokenOutput() ServiceAccountTokenOutput {
	return i.ToServiceAccountTokenOutputWithContext(context.Background())
}

func (i *ServiceAccountToken) ToServiceAccountTokenOutputWithContext(ctx context.Context) ServiceAccountTokenOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceAccountTokenOutput)
}

type ServiceAccountTokenOutput struct{ *pulumi.OutputState }

func (ServiceAccountTokenOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceAccountToken)(nil)).Elem()
}

func (o ServiceAccountTokenOutput) ToServiceAccountTokenOutput() ServiceAccountTokenOutput {
	return o
}

func (o ServiceAccountTokenOutput) ToServiceAccountTokenOutputWithContext(ctx context.Context) ServiceAccountTokenOutput {
	return o
}

// When the token expires.
func (o ServiceAccountTokenOutput) Expiration() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccountToken) pulumi.StringOutput { return v.Expiration }).(pulumi.StringOutput)
}

// Whether the token has expired.
func (o ServiceAccountTokenOutput) HasExpired() pulumi.BoolOutput {
	return o.ApplyT(func(v *ServiceAccountToken) pulumi.BoolOutput { return v.HasExpired }).(pulumi.BoolOutput)
}

// The token value. Secret.
func (o ServiceAccountTokenOutput) Key() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccountToken) pulumi.StringOutput { return v.Key }).(pulumi.StringOutput)
}

// The token name; auto-named from the resource name if unset.
func (o ServiceAccountTokenOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccountToken) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// Lifetime in seconds; unset or 0 means the token never expires.
func (o ServiceAccountTokenOutput) SecondsToLive() pulumi.IntPtrOutput {
	return o.ApplyT(func(v *ServiceAccountToken) pulumi.IntPtrOutput { return v.SecondsToLive }).(pulumi.IntPtrOutput)
}

// The ServiceAccount id ("<org>:<id>"); a bare numeric id also works.
func (o ServiceAccountTokenOutput) ServiceAccountId() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceAccountToken) pulumi.StringOutput { return v.ServiceAccountId }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceAccountTokenInput)(nil)).Elem(), &ServiceAccountToken{})
	pulumi.RegisterOutputType(ServiceAccountTokenOutput{})
}
