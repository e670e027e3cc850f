package oss

import (
	"context"
	"errors"
	"reflect"

	"github.com/klearkarma/observability/internal/grafana/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DataSource is a Grafana data source (grafana:oss/dataSource:DataSource).
type DataSource struct {
	pulumi.CustomResourceState

	// `proxy` (default) or `direct`.
	AccessMode pulumi.StringPtrOutput `pulumi:"accessMode"`
	// Whether basic auth is enabled.
	BasicAuthEnabled pulumi.BoolPtrOutput `pulumi:"basicAuthEnabled"`
	// Basic auth username.
	BasicAuthUsername pulumi.StringPtrOutput `pulumi:"basicAuthUsername"`
	// Database name, for the types that need one.
	DatabaseName pulumi.StringPtrOutput `pulumi:"databaseName"`
	// Custom HTTP headers (name -> value). Secret.
	HttpHeaders pulumi.StringMapOutput `pulumi:"httpHeaders"`
	// Whether this is the org's default data source.
	IsDefault pulumi.BoolPtrOutput `pulumi:"isDefault"`
	// The jsonData object as a JSON string (keys are Grafana's, usually camelCase).
	JsonDataEncoded pulumi.StringPtrOutput `pulumi:"jsonDataEncoded"`
	// A unique name; auto-named from the resource name if unset.
	Name pulumi.StringOutput `pulumi:"name"`
	// The organization id (a string). Changing it replaces the data source.
	OrgId pulumi.StringPtrOutput `pulumi:"orgId"`
	// Grafana Cloud Private Data source Connect network id.
	PrivateDataSourceConnectNetworkId pulumi.StringPtrOutput `pulumi:"privateDataSourceConnectNetworkId"`
	// The secureJsonData object as a JSON string of string values. Secret; never read back from Grafana.
	SecureJsonDataEncoded pulumi.StringPtrOutput `pulumi:"secureJsonDataEncoded"`
	// The data source plugin id, e.g. `prometheus`, `loki`, `tempo`, `elasticsearch`, `jaeger`.
	Type pulumi.StringOutput `pulumi:"type"`
	// Unique identifier; generated if unset. Changing it replaces the data source.
	Uid pulumi.StringOutput `pulumi:"uid"`
	// The data source URL.
	Url pulumi.StringPtrOutput `pulumi:"url"`
	// Username, for the types that need one.
	Username pulumi.StringPtrOutput `pulumi:"username"`
}

// NewDataSource registers a new resource with the given unique name, arguments, and options.
func NewDataSource(ctx *pulumi.Context,
	name string, args *DataSourceArgs, opts ...pulumi.ResourceOption) (*DataSource, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}

	if args.Type == nil {
		return nil, errors.New("invalid value for required argument 'Type'")
	}
	aliases := pulumi.Aliases([]pulumi.Alias{
		{
			Type: pulumi.String("grafana:index/dataSource:DataSource"),
		},
	})
	opts = append(opts, aliases)
	// The schema marks httpHeaders and secureJsonDataEncoded secret; the generated SDK wraps them the same way.
	if args.HttpHeaders != nil {
		args.HttpHeaders = pulumi.ToSecret(args.HttpHeaders).(pulumi.StringMapInput)
	}
	if args.SecureJsonDataEncoded != nil {
		args.SecureJsonDataEncoded = pulumi.ToSecret(args.SecureJsonDataEncoded).(pulumi.StringPtrInput)
	}
	secrets := pulumi.AdditionalSecretOutputs([]string{
		"httpHeaders",
		"secureJsonDataEncoded",
	})
	opts = append(opts, secrets)
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource DataSource
	err := ctx.RegisterResource("grafana:oss/dataSource:DataSource", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

type dataSourceArgs struct {
	// `proxy` (default) or `direct`.
	AccessMode *string `pulumi:"accessMode"`
	// Whether basic auth is enabled.
	BasicAuthEnabled *bool `pulumi:"basicAuthEnabled"`
	// Basic auth username.
	BasicAuthUsername *string `pulumi:"basicAuthUsername"`
	// Database name, for the types that need one.
	DatabaseName *string `pulumi:"databaseName"`
	// Custom HTTP headers (name -> value). Secret.
	HttpHeaders map[string]string `pulumi:"httpHeaders"`
	// Whether this is the org's default data source.
	IsDefault *bool `pulumi:"isDefault"`
	// The jsonData object as a JSON string (keys are Grafana's, usually camelCase).
	JsonDataEncoded *string `pulumi:"jsonDataEncoded"`
	// A unique name; auto-named from the resource name if unset.
	Name *string `pulumi:"name"`
	// The organization id (a string). Changing it replaces the data source.
	OrgId *string `pulumi:"orgId"`
	// Grafana Cloud Private Data source Connect network id.
	PrivateDataSourceConnectNetworkId *string `pulumi:"privateDataSourceConnectNetworkId"`
	// The secureJsonData object as a JSON string of string values. Secret; never read back from Grafana.
	SecureJsonDataEncoded *string `pulumi:"secureJsonDataEncoded"`
	// The data source plugin id, e.g. `prometheus`, `loki`, `tempo`, `elasticsearch`, `jaeger`.
	Type string `pulumi:"type"`
	// Unique identifier; generated if unset. Changing it replaces the data source.
	Uid *string `pulumi:"uid"`
	// The data source URL.
	Url *string `pulumi:"url"`
	// Username, for the types that need one.
	Username *string `pulumi:"username"`
}

// The set of arguments for constructing a DataSource resource.
type DataSourceArgs struct {
	// `proxy` (default) or `direct`.
	AccessMode pulumi.StringPtrInput
	// Whether basic auth is enabled.
	BasicAuthEnabled pulumi.BoolPtrInput
	// Basic auth username.
	BasicAuthUsername pulumi.StringPtrInput
	// Database name, for the types that need one.
	DatabaseName pulumi.StringPtrInput
	// Custom HTTP headers (name -> value). Secret.
	HttpHeaders pulumi.StringMapInput
	// Whether this is the org's default data source.
	IsDefault pulumi.BoolPtrInput
	// The jsonData object as a JSON string (keys are Grafana's, usually camelCase).
	JsonDataEncoded pulumi.StringPtrInput
	// A unique name; auto-named from the resource name if unset.
	Name pulumi.StringPtrInput
	// The organization id (a string). Changing it replaces the data source.
	OrgId pulumi.StringPtrInput
	// Grafana Cloud Private Data source Connect network id.
	PrivateDataSourceConnectNetworkId pulumi.StringPtrInput
	// The secureJsonData object as a JSON string of string values. Secret; never read back from Grafana.
	SecureJsonDataEncoded pulumi.StringPtrInput
	// The data source plugin id, e.g. `prometheus`, `loki`, `tempo`, `elasticsearch`, `jaeger`.
	Type pulumi.StringInput
	// Unique identifier; generated if unset. Changing it replaces the data source.
	Uid pulumi.StringPtrInput
	// The data source URL.
	Url pulumi.StringPtrInput
	// Username, for the types that need one.
	Username pulumi.StringPtrInput
}

func (DataSourceArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*dataSourceArgs)(nil)).Elem()
}

type DataSourceInput interface {
	pulumi.Input

	ToDataSourceOutput() DataSourceOutput
	ToDataSourceOutputWithContext(ctx context.Context) DataSourceOutput
}

func (*DataSource) ElementType() reflect.Type {
	return reflect.TypeOf((**DataSource)(nil)).Elem()
}

func (i *DataSource) ToDataSourceOutput() DataSourceOutput {
	return i.ToDataSourceOutputWithContext(context.Background())
}

func (i *DataSource) ToDataSourceOutputWithContext(ctx context.Context) DataSourceOutput {
	return pulumi.ToOutputWithContext(ctx, i).(DataSourceOutput)
}

type DataSourceOutput struct{ *pulumi.OutputState }

func (DataSourceOutput) ElementType() reflect.Type {
	return reflect.TypeOf((**DataSource)(nil)).Elem()
}

func (o DataSourceOutput) ToDataSourceOutput() DataSourceOutput {
	return o
}

func (o DataSourceOutput) ToDataSourceOutputWithContext(ctx context.Context) DataSourceOutput {
	return o
}

// `proxy` (default) or `direct`.
func (o DataSourceOutput) AccessMode() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.AccessMode }).(pulumi.StringPtrOutput)
}

// Whether basic auth is enabled.
func (o DataSourceOutput) BasicAuthEnabled() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.BoolPtrOutput { return v.BasicAuthEnabled }).(pulumi.BoolPtrOutput)
}

// Basic auth username.
func (o DataSourceOutput) BasicAuthUsername() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.BasicAuthUsername }).(pulumi.StringPtrOutput)
}

// Database name, for the types that need one.
func (o DataSourceOutput) DatabaseName() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.DatabaseName }).(pulumi.StringPtrOutput)
}

// Custom HTTP headers (name -> value). Secret.
func (o DataSourceOutput) HttpHeaders() pulumi.StringMapOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringMapOutput { return v.HttpHeaders }).(pulumi.StringMapOutput)
}

// Whether this is the org's default data source.
func (o DataSourceOutput) IsDefault() pulumi.BoolPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.BoolPtrOutput { return v.IsDefault }).(pulumi.BoolPtrOutput)
}

// The jsonData object as a JSON string (keys are Grafana's, usually camelCase).
func (o DataSourceOutput) JsonDataEncoded() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.JsonDataEncoded }).(pulumi.StringPtrOutput)
}

// A unique name; auto-named from the resource name if unset.
func (o DataSourceOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringOutput { return v.Name }).(pulumi.StringOutput)
}

// The organization id (a string). Changing it replaces the data source.
func (o DataSourceOutput) OrgId() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.OrgId }).(pulumi.StringPtrOutput)
}

// Grafana Cloud Private Data source Connect network id.
func (o DataSourceOutput) PrivateDataSourceConnectNetworkId() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.PrivateDataSourceConnectNetworkId }).(pulumi.StringPtrOutput)
}

// The secureJsonData object as a JSON string of string values. Secret; never read back from Grafana.
func (o DataSourceOutput) SecureJsonDataEncoded() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.SecureJsonDataEncoded }).(pulumi.StringPtrOutput)
}

// The data source plugin id, e.g. `prometheus`, `loki`, `tempo`, `elasticsearch`, `jaeger`.
func (o DataSourceOutput) Type() pulumi.StringOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringOutput { return v.Type }).(pulumi.StringOutput)
}

// Unique identifier; generated if unset. Changing it replaces the data source.
func (o DataSourceOutput) Uid() pulumi.StringOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringOutput { return v.Uid }).(pulumi.StringOutput)
}

// The data source URL.
func (o DataSourceOutput) Url() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.Url }).(pulumi.StringPtrOutput)
}

// Username, for the types that need one.
func (o DataSourceOutput) Username() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *DataSource) pulumi.StringPtrOutput { return v.Username }).(pulumi.StringPtrOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*DataSourceInput)(nil)).Elem(), &DataSource{})
	pulumi.RegisterOutputType(DataSourceOutput{})
}
