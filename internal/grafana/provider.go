package grafana

import (
	"context"
	"reflect"

	"github.com/klearkarma/observability/internal/grafana/internal"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Provider is the explicit provider for the grafana package
// (pulumi:providers:grafana). Resources use it through pulumi.Provider(p).
type Provider struct {
	pulumi.ProviderResourceState

	// API token, service-account token, basic auth `username:password`, or `anonymous`. Secret.
	// Defaults to $GRAFANA_AUTH.
	Auth pulumi.StringPtrOutput `pulumi:"auth"`
	// Certificate CA bundle (file path or PEM) used to verify the Grafana server's certificate.
	CaCert pulumi.StringPtrOutput `pulumi:"caCert"`
	// Grafana Cloud access policy token. Secret.
	CloudAccessPolicyToken pulumi.StringPtrOutput `pulumi:"cloudAccessPolicyToken"`
	// Grafana Cloud API URL.
	CloudApiUrl pulumi.StringPtrOutput `pulumi:"cloudApiUrl"`
	// Grafana Cloud Provider API token. Secret.
	CloudProviderAccessToken pulumi.StringPtrOutput `pulumi:"cloudProviderAccessToken"`
	// Grafana Cloud Provider API URL.
	CloudProviderUrl pulumi.StringPtrOutput `pulumi:"cloudProviderUrl"`
	// Grafana Connections API token. Secret.
	ConnectionsApiAccessToken pulumi.StringPtrOutput `pulumi:"connectionsApiAccessToken"`
	// Grafana Connections API URL.
	ConnectionsApiUrl pulumi.StringPtrOutput `pulumi:"connectionsApiUrl"`
	// Grafana Fleet Management basic auth `username:password`. Secret.
	FleetManagementAuth pulumi.StringPtrOutput `pulumi:"fleetManagementAuth"`
	// Grafana Fleet Management API URL.
	FleetManagementUrl pulumi.StringPtrOutput `pulumi:"fleetManagementUrl"`
	// Grafana Frontend Observability API token. Secret.
	FrontendO11yApiAccessToken pulumi.StringPtrOutput `pulumi:"frontendO11yApiAccessToken"`
	// Grafana Frontend Observability API URL.
	FrontendO11yApiUrl pulumi.StringPtrOutput `pulumi:"frontendO11yApiUrl"`
	// Grafana k6 API token. Secret.
	K6AccessToken pulumi.StringPtrOutput `pulumi:"k6AccessToken"`
	// Grafana k6 API URL.
	K6Url pulumi.StringPtrOutput `pulumi:"k6Url"`
	// Grafana OnCall access token. Secret.
	OncallAccessToken pulumi.StringPtrOutput `pulumi:"oncallAccessToken"`
	// Grafana OnCall backend address.
	OncallUrl pulumi.StringPtrOutput `pulumi:"oncallUrl"`
	// Synthetic Monitoring access token. Secret.
	SmAccessToken pulumi.StringPtrOutput `pulumi:"smAccessToken"`
	// Synthetic Monitoring backend address.
	SmUrl pulumi.StringPtrOutput `pulumi:"smUrl"`
	// Client TLS certificate (file path or PEM).
	TlsCert pulumi.StringPtrOutput `pulumi:"tlsCert"`
	// Client TLS key (file path or PEM). Secret.
	TlsKey pulumi.StringPtrOutput `pulumi:"tlsKey"`
	// The root URL of the Grafana server.
	Url pulumi.StringPtrOutput `pulumi:"url"`
}

// NewProvider registers a new resource with the given unique name, arguments, and options.
// Like the generated SDK, it fills unset arguments from the GRAFANA_*
// variables (fromEnv), wraps the keys the schema marks secret, and asks the
// engine to keep those outputs secret.
func NewProvider(ctx *pulumi.Context,
	name string, args *ProviderArgs, opts ...pulumi.ResourceOption) (*Provider, error) {
	if args == nil {
		args = &ProviderArgs{}
	}
	args.fromEnv()
	args.wrapSecrets()
	opts = append(opts, pulumi.AdditionalSecretOutputs(providerSecretOutputs))
	opts = internal.PkgResourceDefaultOpts(opts)
	var resource Provider
	err := ctx.RegisterResource("pulumi:providers:grafana", name, args, &resource, opts...)
	if err != nil {
		return nil, err
	}
	return &resource, nil
}

// providerSecretOutputs are the provider properties the schema marks secret.
var providerSecretOutputs = []string{
	"auth", "cloudAccessPolicyToken", "cloudProviderAccessToken", "connectionsApiAccessToken", "fleetManagementAuth",
	"frontendO11yApiAccessToken", "k6AccessToken", "oncallAccessToken", "smAccessToken", "tlsKey",
}

// fromEnv sets each unset argument that has a GRAFANA_* default in the
// schema from its variable, parsed as the SDK does (an unparsable bool or
// int leaves the argument unset).
func (a *ProviderArgs) fromEnv() {
	for _, d := range []struct {
		arg *pulumi.StringPtrInput
		env string
	}{
		{&a.Auth, "GRAFANA_AUTH"}, {&a.CaCert, "GRAFANA_CA_CERT"},
		{&a.CloudAccessPolicyToken, "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN"}, {&a.CloudApiUrl, "GRAFANA_CLOUD_API_URL"},
		{&a.OncallAccessToken, "GRAFANA_ONCALL_ACCESS_TOKEN"}, {&a.OncallUrl, "GRAFANA_ONCALL_URL"},
		{&a.SmAccessToken, "GRAFANA_SM_ACCESS_TOKEN"}, {&a.SmUrl, "GRAFANA_SM_URL"},
		{&a.TlsCert, "GRAFANA_TLS_CERT"}, {&a.TlsKey, "GRAFANA_TLS_KEY"}, {&a.Url, "GRAFANA_URL"},
	} {
		if *d.arg == nil {
			if v := internal.GetEnvOrDefault(nil, nil, d.env); v != nil {
				*d.arg = pulumi.StringPtr(v.(string))
			}
		}
	}
	for _, d := range []struct {
		arg *pulumi.BoolPtrInput
		env string
	}{{&a.InsecureSkipVerify, "GRAFANA_INSECURE_SKIP_VERIFY"}, {&a.StoreDashboardSha256, "GRAFANA_STORE_DASHBOARD_SHA256"}} {
		if *d.arg == nil {
			if v := internal.GetEnvOrDefault(nil, internal.ParseEnvBool, d.env); v != nil {
				*d.arg = pulumi.BoolPtr(v.(bool))
			}
		}
	}
	for _, d := range []struct {
		arg *pulumi.IntPtrInput
		env string
	}{{&a.Retries, "GRAFANA_RETRIES"}, {&a.RetryWait, "GRAFANA_RETRY_WAIT"}} {
		if *d.arg == nil {
			if v := internal.GetEnvOrDefault(nil, internal.ParseEnvInt, d.env); v != nil {
				*d.arg = pulumi.IntPtr(v.(int))
			}
		}
	}
}

// wrapSecrets makes the arguments the schema marks secret Pulumi secrets,
// as the generated SDK does.
func (a *ProviderArgs) wrapSecrets() {
	for _, arg := range []*pulumi.StringPtrInput{
		&a.Auth, &a.CloudAccessPolicyToken, &a.CloudProviderAccessToken, &a.ConnectionsApiAccessToken, &a.FleetManagementAuth,
		&a.FrontendO11yApiAccessToken, &a.K6AccessToken, &a.OncallAccessToken, &a.SmAccessToken, &a.TlsKey,
	} {
		if *arg != nil {
			*arg = pulumi.ToSecret(*arg).(pulumi.StringPtrInput)
		}
	}
	if a.HttpHeaders != nil {
		a.HttpHeaders = pulumi.ToSecret(a.HttpHeaders).(pulumi.StringMapInput)
	}
}

type providerArgs struct {
	// API token, service-account token, basic auth `username:password`, or `anonymous`. Secret.
	// Defaults to $GRAFANA_AUTH.
	Auth *string `pulumi:"auth"`
	// Certificate CA bundle (file path or PEM) used to verify the Grafana server's certificate.
	CaCert *string `pulumi:"caCert"`
	// Grafana Cloud access policy token. Secret.
	CloudAccessPolicyToken *string `pulumi:"cloudAccessPolicyToken"`
	// Grafana Cloud API URL.
	CloudApiUrl *string `pulumi:"cloudApiUrl"`
	// Grafana Cloud Provider API token. Secret.
	CloudProviderAccessToken *string `pulumi:"cloudProviderAccessToken"`
	// Grafana Cloud Provider API URL.
	CloudProviderUrl *string `pulumi:"cloudProviderUrl"`
	// Grafana Connections API token. Secret.
	ConnectionsApiAccessToken *string `pulumi:"connectionsApiAccessToken"`
	// Grafana Connections API URL.
	ConnectionsApiUrl *string `pulumi:"connectionsApiUrl"`
	// Grafana Fleet Management basic auth `username:password`. Secret.
	FleetManagementAuth *string `pulumi:"fleetManagementAuth"`
	// Grafana Fleet Management API URL.
	FleetManagementUrl *string `pulumi:"fleetManagementUrl"`
	// Grafana Frontend Observability API token. Secret.
	FrontendO11yApiAccessToken *string `pulumi:"frontendO11yApiAccessToken"`
	// Grafana Frontend Observability API URL.
	FrontendO11yApiUrl *string `pulumi:"frontendO11yApiUrl"`
	// Extra HTTP headers sent with every Grafana API request. Secret.
	HttpHeaders map[string]string `pulumi:"httpHeaders"`
	// Skip TLS certificate verification.
	InsecureSkipVerify *bool `pulumi:"insecureSkipVerify"`
	// Grafana k6 API token. Secret.
	K6AccessToken *string `pulumi:"k6AccessToken"`
	// Grafana k6 API URL.
	K6Url *string `pulumi:"k6Url"`
	// Grafana OnCall access token. Secret.
	OncallAccessToken *string `pulumi:"oncallAccessToken"`
	// Grafana OnCall backend address.
	OncallUrl *string `pulumi:"oncallUrl"`
	// The organization id to operate on (an integer here; resources take orgId as a string).
	OrgId *int `pulumi:"orgId"`
	// How many times a failed Grafana API call is retried.
	Retries *int `pulumi:"retries"`
	// HTTP status codes that trigger a retry (default 429 and 5xx).
	RetryStatusCodes []string `pulumi:"retryStatusCodes"`
	// Seconds to wait between retries.
	RetryWait *int `pulumi:"retryWait"`
	// Synthetic Monitoring access token. Secret.
	SmAccessToken *string `pulumi:"smAccessToken"`
	// Synthetic Monitoring backend address.
	SmUrl *string `pulumi:"smUrl"`
	// The Grafana Cloud stack id.
	StackId *int `pulumi:"stackId"`
	// Keep only a sha256 of each dashboard's configJson in state.
	StoreDashboardSha256 *bool `pulumi:"storeDashboardSha256"`
	// Client TLS certificate (file path or PEM).
	TlsCert *string `pulumi:"tlsCert"`
	// Client TLS key (file path or PEM). Secret.
	TlsKey *string `pulumi:"tlsKey"`
	// The root URL of the Grafana server.
	Url *string `pulumi:"url"`
}

// The set of arguments for constructing a Provider resource.
type ProviderArgs struct {
	// API token, service-account token, basic auth `username:password`, or `anonymous`. Secret.
	// Defaults to $GRAFANA_AUTH.
	Auth pulumi.StringPtrInput
	// Certificate CA bundle (file path or PEM) used to verify the Grafana server's certificate.
	CaCert pulumi.StringPtrInput
	// Grafana Cloud access policy token. Secret.
	CloudAccessPolicyToken pulumi.StringPtrInput
	// Grafana Cloud API URL.
	CloudApiUrl pulumi.StringPtrInput
	// Grafana Cloud Provider API token. Secret.
	CloudProviderAccessToken pulumi.StringPtrInput
	// Grafana Cloud Provider API URL.
	CloudProviderUrl pulumi.StringPtrInput
	// Grafana Connections API token. Secret.
	ConnectionsApiAccessToken pulumi.StringPtrInput
	// Grafana Connections API URL.
	ConnectionsApiUrl pulumi.StringPtrInput
	// Grafana Fleet Management basic auth `username:password`. Secret.
	FleetManagementAuth pulumi.StringPtrInput
	// Grafana Fleet Management API URL.
	FleetManagementUrl pulumi.StringPtrInput
	// Grafana Frontend Observability API token. Secret.
	FrontendO11yApiAccessToken pulumi.StringPtrInput
	// Grafana Frontend Observability API URL.
	FrontendO11yApiUrl pulumi.StringPtrInput
	// Extra HTTP headers sent with every Grafana API request. Secret.
	HttpHeaders pulumi.StringMapInput
	// Skip TLS certificate verification.
	InsecureSkipVerify pulumi.BoolPtrInput
	// Grafana k6 API token. Secret.
	K6AccessToken pulumi.StringPtrInput
	// Grafana k6 API URL.
	K6Url pulumi.StringPtrInput
	// Grafana OnCall access token. Secret.
	OncallAccessToken pulumi.StringPtrInput
	// Grafana OnCall backend address.
	OncallUrl pulumi.StringPtrInput
	// The organization id to operate on (an integer here; resources take orgId as a string).
	OrgId pulumi.IntPtrInput
	// How many times a failed Grafana API call is retried.
	Retries pulumi.IntPtrInput
	// HTTP status codes that trigger a retry (default 429 and 5xx).
	RetryStatusCodes pulumi.StringArrayInput
	// Seconds to wait between retries.
	RetryWait pulumi.IntPtrInput
	// Synthetic Monitoring access token. Secret.
	SmAccessToken pulumi.StringPtrInput
	// Synthetic Monitoring backend address.
	SmUrl pulumi.StringPtrInput
	// The Grafana Cloud stack id.
	StackId pulumi.IntPtrInput
	// Keep only a sha256 of each dashboard's configJson in state.
	StoreDashboardSha256 pulumi.BoolPtrInput
	// Client TLS certificate (file path or PEM).
	TlsCert pulumi.StringPtrInput
	// Client TLS key (file path or PEM). Secret.
	TlsKey pulumi.StringPtrInput
	// The root URL of the Grafana server.
	Url pulumi.StringPtrInput
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

// API token, service-account token, basic auth `username:password`, or `anonymous`. Secret.
// Defaults to $GRAFANA_AUTH.
func (o ProviderOutput) Auth() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.Auth }).(pulumi.StringPtrOutput)
}

// Certificate CA bundle (file path or PEM) used to verify the Grafana server's certificate.
func (o ProviderOutput) CaCert() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.CaCert }).(pulumi.StringPtrOutput)
}

// Grafana Cloud access policy token. Secret.
func (o ProviderOutput) CloudAccessPolicyToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.CloudAccessPolicyToken }).(pulumi.StringPtrOutput)
}

// Grafana Cloud API URL.
func (o ProviderOutput) CloudApiUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.CloudApiUrl }).(pulumi.StringPtrOutput)
}

// Grafana Cloud Provider API token. Secret.
func (o ProviderOutput) CloudProviderAccessToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.CloudProviderAccessToken }).(pulumi.StringPtrOutput)
}

// Grafana Cloud Provider API URL.
func (o ProviderOutput) CloudProviderUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.CloudProviderUrl }).(pulumi.StringPtrOutput)
}

// Grafana Connections API token. Secret.
func (o ProviderOutput) ConnectionsApiAccessToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.ConnectionsApiAccessToken }).(pulumi.StringPtrOutput)
}

// Grafana Connections API URL.
func (o ProviderOutput) ConnectionsApiUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.ConnectionsApiUrl }).(pulumi.StringPtrOutput)
}

// Grafana Fleet Management basic auth `username:password`. Secret.
func (o ProviderOutput) FleetManagementAuth() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.FleetManagementAuth }).(pulumi.StringPtrOutput)
}

// Grafana Fleet Management API URL.
func (o ProviderOutput) FleetManagementUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.FleetManagementUrl }).(pulumi.StringPtrOutput)
}

// Grafana Frontend Observability API token. Secret.
func (o ProviderOutput) FrontendO11yApiAccessToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.FrontendO11yApiAccessToken }).(pulumi.StringPtrOutput)
}

// Grafana Frontend Observability API URL.
func (o ProviderOutput) FrontendO11yApiUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.FrontendO11yApiUrl }).(pulumi.StringPtrOutput)
}

// Grafana k6 API token. Secret.
func (o ProviderOutput) K6AccessToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.K6AccessToken }).(pulumi.StringPtrOutput)
}

// Grafana k6 API URL.
func (o ProviderOutput) K6Url() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.K6Url }).(pulumi.StringPtrOutput)
}

// Grafana OnCall access token. Secret.
func (o ProviderOutput) OncallAccessToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.OncallAccessToken }).(pulumi.StringPtrOutput)
}

// Grafana OnCall backend address.
func (o ProviderOutput) OncallUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.OncallUrl }).(pulumi.StringPtrOutput)
}

// Synthetic Monitoring access token. Secret.
func (o ProviderOutput) SmAccessToken() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.SmAccessToken }).(pulumi.StringPtrOutput)
}

// Synthetic Monitoring backend address.
func (o ProviderOutput) SmUrl() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.SmUrl }).(pulumi.StringPtrOutput)
}

// Client TLS certificate (file path or PEM).
func (o ProviderOutput) TlsCert() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.TlsCert }).(pulumi.StringPtrOutput)
}

// Client TLS key (file path or PEM). Secret.
func (o ProviderOutput) TlsKey() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.TlsKey }).(pulumi.StringPtrOutput)
}

// The root URL of the Grafana server.
func (o ProviderOutput) Url() pulumi.StringPtrOutput {
	return o.ApplyT(func(v *Provider) pulumi.StringPtrOutput { return v.Url }).(pulumi.StringPtrOutput)
}

func init() {
	pulumi.RegisterInputType(reflect.TypeOf((*ProviderInput)(nil)).Elem(), &Provider{})
	pulumi.RegisterOutputType(ProviderOutput{})
}
