package pagerduty

import (
	"context"
	"reflect"

	"github.com/klearkarma/observability/internal/pagerduty/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// GetVendor looks up a PagerDuty vendor by name (pagerduty:index/getVendor:getVendor):
// an exact case-insensitive match first, then the name as a case-insensitive regex.
// Use the result's Id as ServiceIntegration.vendor.
func GetVendor(ctx *pulumi.Context, args *GetVendorArgs, opts ...pulumi.InvokeOption) (*GetVendorResult, error) {
	opts = internal.PkgInvokeDefaultOpts(opts)
	var rv GetVendorResult
	err := ctx.Invoke("pagerduty:index/getVendor:getVendor", args, &rv, opts...)
	if err != nil {
		return nil, err
	}
	return &rv, nil
}

// A collection of arguments for invoking getVendor.
type GetVendorArgs struct {
	// The vendor name, e.g. "Amazon CloudWatch".
	Name string `pulumi:"name"`
}

// A collection of values returned by getVendor.
type GetVendorResult struct {
	// The vendor id.
	Id string `pulumi:"id"`
	// The vendor's short name.
	Name string `pulumi:"name"`
	// The vendor's generic service type.
	Type string `pulumi:"type"`
}

func GetVendorOutput(ctx *pulumi.Context, args GetVendorOutputArgs, opts ...pulumi.InvokeOption) GetVendorResultOutput {
	return pulumi.ToOutputWithContext(ctx.Context(), args).
		ApplyT(func(v interface{}) (GetVendorResultOutput, error) {
			args := v.(GetVendorArgs)
			options := pulumi.InvokeOutputOptions{InvokeOptions: internal.PkgInvokeDefaultOpts(opts)}
			return ctx.InvokeOutput("pagerduty:index/getVendor:getVendor", args, GetVendorResultOutput{}, options).(GetVendorResultOutput), nil
		}).(GetVendorResultOutput)
}

// A collection of arguments for invoking getVendor.
type GetVendorOutputArgs struct {
	// The vendor name, e.g. "Amazon CloudWatch".
	Name pulumi.StringInput `pulumi:"name"`
}

func (GetVendorOutputArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*GetVendorArgs)(nil)).Elem()
}

// A collection of values returned by getVendor.
type GetVendorResultOutput struct{ *pulumi.OutputState }

func (GetVendorResultOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*GetVendorResult)(nil)).Elem()
}

func (o GetVendorResultOutput) ToGetVendorResultOutput() GetVendorResultOutput {
	return o
}

func (o GetVendorResultOutput) ToGetVendorResultOutputWithContext(ctx context.Context) GetVendorResultOutput {
	return o
}

// The vendor id.
func (o GetVendorResultOutput) Id() pulumi.StringOutput {
	return o.ApplyT(func(v GetVendorResult) string { return v.Id }).(pulumi.StringOutput)
}

// The vendor's short name.
func (o GetVendorResultOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v GetVendorResult) string { return v.Name }).(pulumi.StringOutput)
}

// The vendor's generic service type.
func (o GetVendorResultOutput) Type() pulumi.StringOutput {
	return o.ApplyT(func(v GetVendorResult) string { return v.Type }).(pulumi.StringOutput)
}

func init() {
	pulumi.RegisterOutputType(GetVendorResultOutput{})
}
