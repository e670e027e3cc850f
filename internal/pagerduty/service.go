package pagerduty

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Service is a PagerDuty technical service (pagerduty:index/service:Service).
// The deprecated alert-grouping inputs (alertGrouping, alertGroupingTimeout,
// alertGroupingParameters) and responsePlay are left out, and so are support
// hours, scheduled actions and auto-pause, which the program does not use.
type Service struct {
	pulumi.CustomResourceState

	// Seconds, as a string, before an acknowledged incident re-triggers; "null" disables it.
	// Upstream default "1800".
	AcknowledgementTimeout pulumi.StringPtrOutput `pulumi:"acknowledgementTimeout"`
	// `create_alerts_and_incidents` or `create_incidents`. Deprecated: upstream ignores changes.
	AlertCreation pulumi.StringPtrOutput `pulumi:"alertCreation"`
	// Seconds, as a string, before an open incident resolves itself; "null" disables it.
	// Upstream default "14400".
	AutoResolveTimeout pulumi.StringPtrOutput `pulumi:"autoResolveTimeout"`
	// Creation time.
	CreatedAt pulumi.StringOutput `pulumi:"createdAt"`
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringOutput `pulumi:"description"`
	// The EscalationPolicy id.
	EscalationPolicy pulumi.StringOutput `pulumi:"escalationPolicy"`
	// URL of the service in the PagerDuty web UI.
	HtmlUrl pulumi.StringOutput `pulumi:"htmlUrl"`
	// How urgent new incidents are (a single object). Computed if unset (constant/high).
	IncidentUrgencyRule ServiceIncidentUrgencyRuleOutput `pulumi:"incidentUrgencyRule"`
	// The service name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// The object type, `service` (used by ServiceDependency).
	Type pulumi.StringOutput `pulumi:"type"`
}

// NewService registers a new resource with the given unique name, arguments, and options.
func NewService(ctx *pulumi.Context,
	name string, args *ServiceArgs, opts ...pulumi.ResourceOption) (*Service, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.EscalationPolicy == nil {
		return nil, errors.New("invalid value for required argument 'EscalationPolicy'")
	}
	if args.Description == nil {
		args.Description = pulumi.StringPtr("Managed by Pulumi")
	}
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Service
	err := ctx.RegisterResource("pagerduty:index/service:Service", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type serviceArgs struct {
	// Seconds, as a string, before an acknowledged incident re-triggers; "null" disables it.
	// Upstream default "1800".
	AcknowledgementTimeout *string `pulumi:"acknowledgementTimeout"`
	// `create_alerts_and_incidents` or `create_incidents`. Deprecated: upstream ignores changes.
	AlertCreation *string `pulumi:"alertCreation"`
	// Seconds, as a string, before an open incident resolves itself; "null" disables it.
	// Upstream default "14400".
	AutoResolveTimeout *string `pulumi:"autoResolveTimeout"`
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description *string `pulumi:"description"`
	// The EscalationPolicy id.
	EscalationPolicy string `pulumi:"escalationPolicy"`
	// How urgent new incidents are (a single object). Computed if unset (constant/high).
	IncidentUrgencyRule *ServiceIncidentUrgencyRule `pulumi:"incidentUrgencyRule"`
	// The service name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
}

// The set of arguments for constructing a Service resource.
type ServiceArgs struct {
	// Seconds, as a string, before an acknowledged incident re-triggers; "null" disables it.
	// Upstream default "1800".
	AcknowledgementTimeout pulumi.StringPtrInput
	// `create_alerts_and_incidents` or `create_incidents`. Deprecated: upstream ignores changes.
	AlertCreation pulumi.StringPtrInput
	// Seconds, as a string, before an open incident resolves itself; "null" disables it.
	// Upstream default "14400".
	AutoResolveTimeout pulumi.StringPtrInput
	// Description; defaults to "Managed by Pulumi" as in the schema.
	Description pulumi.StringPtrInput
	// The EscalationPolicy id.
	EscalationPolicy pulumi.StringInput
	// How urgent new incidents are (a single object). Computed if unset (constant/high).
	IncidentUrgencyRule ServiceIncidentUrgencyRulePtrInput
	// The service name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
}

func (ServiceArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*serviceArgs)(nil)).Elem()
}

type ServiceInput interface {
	pulumi.Input

	ToServiceOutput() ServiceOutput
	ToServiceOutputWithContext(ctx context.Context) ServiceOutput
}

func (*Service) ElementType() reflect.Type {
	return reflect.TypeOf((**Service)(nil)).Elem()
}

func (i *Service) ToServiceOutput() ServiceOutput {
	return i.ToServiceOutputWithContext(context.Background())
}

func (i *Service) ToServiceOutputWithContext(ctx context.Context) ServiceOutput {
	return pulumi.ToOutputWithContext(ctx, i).(ServiceOutput)
}

type ServiceOutput struct{ *pulumi.OutputState }

func (ServiceOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**Service)(nil)).Elem()
}

func (o ServiceOutput) ToServiceOutput() ServiceOutput {
	return o
}

func (o ServiceOutput) ToServiceOutputWithContext(ctx context.Context) ServiceOutput {
	return o
}

// Seconds, as a string, before an acknowledged incident re-triggers; "null" disables it.
// Upstream default "1800".
func (o ServiceOutput) AcknowledgementTimeout() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Service) pulumi.StringPtrOutput { return v.AcknowledgementTimeout }).(pulumi.StringPtrOutput)
}

// `create_alerts_and_incidents` or `create_incidents`. Deprecated: upstream ignores changes.
func (o ServiceOutput) AlertCreation() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Service) pulumi.StringPtrOutput { return v.AlertCreation }).(pulumi.StringPtrOutput)
}

// Seconds, as a string, before an open incident resolves itself; "null" disables it.
// Upstream default "14400".
func (o ServiceOutput) AutoResolveTimeout() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Service) pulumi.StringPtrOutput { return v.AutoResolveTimeout }).(pulumi.StringPtrOutput)
}

// Creation time.
func (o ServiceOutput) CreatedAt() pulumi.StringOutput {
	return o.ApplyT(func(v *Service) pulumi.StringOutput { return v.CreatedAt }).(pulumi.StringOutput)
}

// Description; defaults to "Managed by Pulumi" as in the schema.
func (o ServiceOutput) Description() pulumi.StringOutput {
	return o.ApplyT(func(v *Service) pulumi.StringOutput { return v.Description }).(pulumi.StringOutput)
}

// The EscalationPolicy id.
func (o ServiceOutput) EscalationPolicy() pulumi.StringOutput {
	return o.ApplyT(func(v *Service) pulumi.StringOutput { return v.EscalationPolicy }).(pulumi.StringOutput)
}

// URL of the service in the PagerDuty web UI.
func (o ServiceOutput) HtmlUrl() pulumi.StringOutput {
	return o.ApplyT(func(v *Service) pulumi.StringOutput { return v.HtmlUrl }).(pulumi.StringOutput)
}

// How urgent new incidents are (a single object). Computed if unset (constant/high).
func (o ServiceOutput) IncidentUrgencyRule() ServiceIncidentUrgencyRuleOutput {
	return o.ApplyT(func(v *Service) ServiceIncidentUrgencyRuleOutput { return v.IncidentUrgencyRule }).(ServiceIncidentUrgencyRuleOutput)
}

// The service name; auto-named from the resource name if unset.
func (o ServiceOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *Service) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// The object type, `service` (used by ServiceDependency).
func (o ServiceOutput) Type() pulumi.StringOutput {
	return o.ApplyT(func(v *Service) pulumi.StringOutput { return v.Type }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ServiceInput)(nil)).Elem(), &Service{})
	pulumi.RegisterOutputType(ServiceOutput{})
}
