package pagerduty

import (
	"context"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Provider is the explicit provider for the pagerduty package
// (pulumi:providers:pagerduty). Resources and invokes use it through pulumi.Provider(p).
type Provider struct {
	pulumi.ProviderResourceState

	// Full API base URL override.
	ApiUrlOverride pulumi.StringPtrOutput `pulumi:"apiUrlOverride"`
	// Service region: empty or `us` (default), or e.g. `eu` for api.eu.pagerduty.com.
	ServiceRegion pulumi.StringPtrOutput `pulumi:"serviceRegion"`
	// The PagerDuty REST API token. Made secret by this binding.
	Token pulumi.StringPtrOutput `pulumi:"token"`
	// A PagerDuty user-level token. Made secret by this binding.
	UserToken pulumi.StringPtrOutput `pulumi:"userToken"`
}

// NewProvider registers a new resource with the given unique name, arguments, and options.
func NewProvider(ctx *pulumi.Context,
	name string, args *ProviderArgs, opts ...pulumi.ResourceOption) (*Provider, error) {
	if args == nil {
		args = &ProviderArgs{}
	}

	if args.SkipCredentialsValidation == nil {
		args.SkipCredentialsValidation = pulumi.BoolPtr(false)
	}
	// Unlike the generated SDK: the schema does not mark token or userToken secret, so the
	// SDK would store them in plaintext in the provider's state. They are API credentials.
	if args.Token != nil {
		args.Token = pulumi.ToSecret(args.Token).(pulumi.StringPtrInput)
	}
	if args.UserToken != nil {
		args.UserToken = pulumi.ToSecret(args.UserToken).(pulumi.StringPtrInput)
	}
	secrets := pulumi.AdditionalSecretOutputs([]string{
		"token",
		"userToken",
	})
	opts = append(opts, secrets)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Provider
	err := ctx.RegisterResource("pulumi:providers:pagerduty", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type providerArgs struct {
	// Full API base URL override.
	ApiUrlOverride *string `pulumi:"apiUrlOverride"`
	// Skip TLS verification.
	InsecureTls *bool `pulumi:"insecureTls"`
	// Service region: empty or `us` (default), or e.g. `eu` for api.eu.pagerduty.com.
	ServiceRegion *string `pulumi:"serviceRegion"`
	// Skip validating the token when the provider starts. Defaults to false.
	SkipCredentialsValidation *bool `pulumi:"skipCredentialsValidation"`
	// The PagerDuty REST API token. Made secret by this binding.
	Token *string `pulumi:"token"`
	// A PagerDuty user-level token. Made secret by this binding.
	UserToken *string `pulumi:"userToken"`
}

// The set of arguments for constructing a Provider resource.
type ProviderArgs struct {
	// Full API base URL override.
	ApiUrlOverride pulumi.StringPtrInput
	// Skip TLS verification.
	InsecureTls pulumi.BoolPtrInput
	// Service region: empty or `us` (default), or e.g. `eu` for api.eu.pagerduty.com.
	ServiceRegion pulumi.StringPtrInput
	// Skip validating the token when the provider starts. Defaults to false.
	SkipCredentialsValidation pulumi.BoolPtrInput
	// The PagerDuty REST API token. Made secret by this binding.
	Token pulumi.StringPtrInput
	// A PagerDuty user-level token. Made secret by this binding.
	UserToken pulumi.StringPtrInput
}

func (ProviderArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*providerArgs)(nil)).Elem()
}

type ProviderInput interface {
	pulumi.Input

	ToProviderOutput() ProviderOutput
	ToProviderOutputWithContext(ctx context.Context) ProviderOutput
}

func (*Provider) ElementType() reflect.Type {
	return reflect.TypeOf((**Provider)(nil)).Elem()
}

func (i *Provider) ToProviderOutput() ProviderOutput {
	return i.ToProviderOutputWithContext(context.Background())
}

func (i *Provider) ToProviderOutputWithContext(ctx context.Context) ProviderOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ProviderOutput)
}

type ProviderOutput struct{ *pulumi.OutputState }

func (ProviderOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**Provider)(nil)).Elem()
}

func (o ProviderOutput) ToProviderOutput() ProviderOutput {
	return o
}

func (o ProviderOutput) ToProviderOutputWithContext(ctx context.Context) ProviderOutput {
	return o
}

// Full API base URL override.
func (o ProviderOutput) ApiUrlOverride() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.ApiUrlOverride }).(pulumi.StringPtrOutput)
}

// Service region: empty or `us` (default), or e.g. `eu` for api.eu.pagerduty.com.
func (o ProviderOutput) ServiceRegion() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.ServiceRegion }).(pulumi.StringPtrOutput)
}

// The PagerDuty REST API token. Made secret by this binding.
func (o ProviderOutput) Token() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.Token }).(pulumi.StringPtrOutput)
}

// A PagerDuty user-level token. Made secret by this binding.
func (o ProviderOutput) UserToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.UserToken }).(pulumi.StringPtrOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ProviderInput)(nil)).Elem(), &Provider{})
	pulumi.RegisterOutputType(ProviderOutput{})
}
