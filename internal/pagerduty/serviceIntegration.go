package pagerduty

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ServiceIntegration is an integration of a PagerDuty service
// (pagerduty:index/serviceIntegration:ServiceIntegration). Set exactly one of
// type or vendor. The deprecated integrationKey input and the email
// filter/parser blocks are left out.
type ServiceIntegration struct {
	pulumi.CustomResourceState

	// Email filter mode (email integrations).
	EmailFilterMode pulumi.StringOutput `pulumi:"emailFilterMode"`
	// Email incident creation (email integrations).
	EmailIncidentCreation pulumi.StringOutput `pulumi:"emailIncidentCreation"`
	// Email parsing fallback (email integrations).
	EmailParsingFallback pulumi.StringOutput `pulumi:"emailParsingFallback"`
	// URL of the integration in the PagerDuty web UI.
	HtmlUrl pulumi.StringOutput `pulumi:"htmlUrl"`
	// The address of an email integration.
	IntegrationEmail pulumi.StringOutput `pulumi:"integrationEmail"`
	// The integration (routing) key. Made secret by this binding.
	IntegrationKey pulumi.StringOutput `pulumi:"integrationKey"`
	// The integration name; auto-named from the resource name if unset, so set it.
	Name pulumi.StringOutput `pulumi:"name"`
	// The Service id. Changing it replaces the integration.
	Service pulumi.StringOutput `pulumi:"service"`
	// Generic integration type, e.g. `events_api_v2_inbound_integration`. Conflicts with vendor.
	Type pulumi.StringOutput `pulumi:"type"`
	// Vendor id from GetVendor. Conflicts with type.
	Vendor pulumi.StringOutput `pulumi:"vendor"`
}

// NewServiceIntegration registers a new resource with the given unique name, arguments, and options.
func NewServiceIntegration(ctx *pulumi.Context,
	name string, args *ServiceIntegrationArgs, opts ...pulumi.ResourceOption) (*ServiceIntegration, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.Service == nil {
		return nil, errors.New("invalid value for required argument 'Service'")
	}
	// Unlike the generated SDK: the schema does not mark integrationKey secret, but it is the
	// routing key that lets anyone open incidents on the service.
	secrets := pulumi.AdditionalSecretOutputs([]string{
		"integrationKey",
	})
	opts = append(opts, secrets)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource ServiceIntegration
	err := ctx.RegisterResource("pagerduty:index/serviceIntegration:ServiceIntegration", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	// The engine applies AdditionalSecretOutputs; this also marks the Go value secret when the
	// monitor does not (mocks), so nothing downstream ever handles it in plaintext.
	resource.IntegrationKey = pulumi.ToSecret(resource.IntegrationKey).(pulumi.StringOutput)
	return &resource, nil
}

type serviceIntegrationArgs struct {
	// Email filter mode (email integrations).
	EmailFilterMode *string `pulumi:"emailFilterMode"`
	// Email incident creation (email integrations).
	EmailIncidentCreation *string `pulumi:"emailIncidentCreation"`
	// Email parsing fallback (email integrations).
	EmailParsingFallback *string `pulumi:"emailParsingFallback"`
	// The address of an email integration.
	IntegrationEmail *string `pulumi:"integrationEmail"`
	// The integration name; auto-named from the resource name if unset, so set it.
	Name *string `pulumi:"name"`
	// The Service id. Changing it replaces the integration.
	Service string `pulumi:"service"`
	// Generic integration type, e.g. `events_api_v2_inbound_integration`. Conflicts with vendor.
	Type *string `pulumi:"type"`
	// Vendor id from GetVendor. Conflicts with type.
	Vendor *string `pulumi:"vendor"`
}

// The set of arguments for constructing a ServiceIntegration resource.
type ServiceIntegrationArgs struct {
	// Email filter mode (email integrations).
	EmailFilterMode pulumi.StringPtrInput
	// Email incident creation (email integrations).
	EmailIncidentCreation pulumi.StringPtrInput
	// Email parsing fallback (email integrations).
	EmailParsingFallback pulumi.StringPtrInput
	// The address of an email integration.
	IntegrationEmail pulumi.StringPtrInput
	// The integration name; auto-named from the resource name if unset, so set it.
	Name pulumi.StringPtrInput
	// The Service id. Changing it replaces the integration.
	Service pulumi.StringInput
	// Generic integration type, e.g. `events_api_v2_inbound_integration`. Conflicts with vendor.
	Type pulumi.StringPtrInput
	// Vendor id from GetVendor. Conflicts with type.
	Vendor pulumi.StringPtrInput
}

func (ServiceIntegrationArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*serviceIntegrationArgs)(nil)).Elem()
}

type ServiceIntegrationInput interface {
	pulumi.Input

	ToServiceIntegrationOutput() ServiceIntegrationOutput
	ToServiceIntegrationOutputWithContext(ctx context.Context) ServiceIntegrationOutput
}

func (*ServiceIntegration) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceIntegration)(nil)).Elem()
}

func (i *ServiceIntegration) ToServiceIntegrationOutput() ServiceIntegrationOutput {
	return i.ToServiceIntegrationOutputWithContext(context.Background())
}

func (i *ServiceIntegration) ToServiceIntegrationOutputWithContext(ctx context.Context) ServiceIntegrationOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceIntegrationOutput)
}

type ServiceIntegrationOutput struct{ *pulumi.OutputState }

func (ServiceIntegrationOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**ServiceIntegration)(nil)).Elem()
}

func (o ServiceIntegrationOutput) ToServiceIntegrationOutput() ServiceIntegrationOutput {
	return o
}

func (o ServiceIntegrationOutput) ToServiceIntegrationOutputWithContext(ctx context.Context) ServiceIntegrationOutput {
	return o
}

// Email filter mode (email integrations).
func (o ServiceIntegrationOutput) EmailFilterMode() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.EmailFilterMode }).(pulumi.StringOutput)
}

// Email incident creation (email integrations).
func (o ServiceIntegrationOutput) EmailIncidentCreation() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.EmailIncidentCreation }).(pulumi.StringOutput)
}

// Email parsing fallback (email integrations).
func (o ServiceIntegrationOutput) EmailParsingFallback() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.EmailParsingFallback }).(pulumi.StringOutput)
}

// URL of the integration in the PagerDuty web UI.
func (o ServiceIntegrationOutput) HtmlUrl() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.HtmlUrl }).(pulumi.StringOutput)
}

// The address of an email integration.
func (o ServiceIntegrationOutput) IntegrationEmail() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.IntegrationEmail }).(pulumi.StringOutput)
}

// The integration (routing) key. Made secret by this binding.
func (o ServiceIntegrationOutput) IntegrationKey() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.IntegrationKey }).(pulumi.StringOutput)
}

// The integration name; auto-named from the resource name if unset, so set it.
func (o ServiceIntegrationOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// The Service id. Changing it replaces the integration.
func (o ServiceIntegrationOutput) Service() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.Service }).(pulumi.StringOutput)
}

// Generic integration type, e.g. `events_api_v2_inbound_integration`. Conflicts with vendor.
func (o ServiceIntegrationOutput) Type() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.Type }).(pulumi.StringOutput)
}

// Vendor id from GetVendor. Conflicts with type.
func (o ServiceIntegrationOutput) Vendor() pulumi.StringOutput {
	return o.ApplyT(func(v *ServiceIntegration) pulumi.StringOutput { return v.Vendor }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceIntegrationInput)(nil)).Elem(), &ServiceIntegration{})
	pulumi.RegisterOutputType(ServiceIntegrationOutput{})
}
