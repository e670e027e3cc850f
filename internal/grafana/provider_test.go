package grafana_test

import (
	"os"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/grafana"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func run(t *testing.T, program pulumi.RunFunc) (*pulumitest.Recorder, error) {
	t.Helper()
	m := pulumitest.New()
	err := pulumi.RunErr(program, pulumi.WithMocks("observability", "test", m))
	return m, err
}

func keys(pm resource.PropertyMap) []string {
	out := make([]string, 0, len(pm))
	for k := range pm {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

// grafanaEnv are the variables the SDK copies into explicit-provider inputs.
var grafanaEnv = []string{
	"GRAFANA_AUTH", "GRAFANA_CA_CERT", "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN", "GRAFANA_CLOUD_API_URL",
	"GRAFANA_INSECURE_SKIP_VERIFY", "GRAFANA_ONCALL_ACCESS_TOKEN", "GRAFANA_ONCALL_URL", "GRAFANA_RETRIES",
	"GRAFANA_RETRY_WAIT", "GRAFANA_SM_ACCESS_TOKEN", "GRAFANA_SM_URL", "GRAFANA_STORE_DASHBOARD_SHA256",
	"GRAFANA_TLS_CERT", "GRAFANA_TLS_KEY", "GRAFANA_URL",
}

// clearGrafanaEnv unsets them for one test, so the machine's env cannot leak in.
func clearGrafanaEnv(t *testing.T) {
	for _, k := range grafanaEnv {
		t.Setenv(k, "") // registers the restore
		require.NoError(t, os.Unsetenv(k))
	}
}

const providerKey = "pulumi:providers:grafana::gf"

func TestProvider(t *testing.T) {
	secretKeys := []string{
		"auth", "cloudAccessPolicyToken", "cloudProviderAccessToken", "connectionsApiAccessToken",
		"fleetManagementAuth", "frontendO11yApiAccessToken", "httpHeaders", "k6AccessToken",
		"oncallAccessToken", "smAccessToken", "tlsKey",
	}
	cases := map[string]struct {
		args  *grafana.ProviderArgs
		env   map[string]string
		check func(t *testing.T, in resource.PropertyMap, rpc *pulumirpc.RegisterResourceRequest)
	}{
		"url, auth and orgId go out under their schema names, auth as a secret and orgId as a number": {
			args: &grafana.ProviderArgs{
				Url:   pulumi.String("https://grafana.example.com"),
				Auth:  pulumi.String("glsa_token"),
				OrgId: pulumi.Int(1),
			},
			check: func(t *testing.T, in resource.PropertyMap, _ *pulumirpc.RegisterResourceRequest) {
				assert.Equal(t, []string{"auth", "orgId", "url"}, keys(in))
				require.True(t, in["auth"].IsSecret(), "auth must be secret")
				assert.Equal(t, "glsa_token", in["auth"].SecretValue().Element.StringValue())
				assert.False(t, in["url"].IsSecret())
				assert.Equal(t, "https://grafana.example.com", in["url"].StringValue())
				assert.Equal(t, 1.0, in["orgId"].NumberValue())
			},
		},
		"every key the schema marks secret is sent as a secret, even when given as a plain string": {
			args: &grafana.ProviderArgs{
				Auth:                       pulumi.String("a"),
				CloudAccessPolicyToken:     pulumi.String("b"),
				CloudProviderAccessToken:   pulumi.String("c"),
				ConnectionsApiAccessToken:  pulumi.String("d"),
				FleetManagementAuth:        pulumi.String("e"),
				FrontendO11yApiAccessToken: pulumi.String("f"),
				HttpHeaders:                pulumi.StringMap{"X-Scope-OrgID": pulumi.String("g")},
				K6AccessToken:              pulumi.String("h"),
				OncallAccessToken:          pulumi.String("i"),
				SmAccessToken:              pulumi.String("j"),
				TlsKey:                     pulumi.String("k"),
				TlsCert:                    pulumi.String("not secret"),
			},
			check: func(t *testing.T, in resource.PropertyMap, _ *pulumirpc.RegisterResourceRequest) {
				for _, k := range secretKeys {
					require.Contains(t, in, resource.PropertyKey(k))
					assert.True(t, in[resource.PropertyKey(k)].IsSecret(), "%s must be secret", k)
				}
				assert.False(t, in["tlsCert"].IsSecret())
			},
		},
		"the provider registers at the pinned version with the pulumiverse download URL and the SDK's secret outputs": {
			args: &grafana.ProviderArgs{Url: pulumi.String("https://grafana.example.com")},
			check: func(t *testing.T, _ resource.PropertyMap, rpc *pulumirpc.RegisterResourceRequest) {
				assert.True(t, rpc.GetCustom())
				assert.Equal(t, pins.Grafana, rpc.GetVersion())
				assert.Equal(t, "2.38.0", rpc.GetVersion())
				assert.Equal(t, pins.GrafanaPluginDownloadURL, rpc.GetPluginDownloadURL())
				assert.Equal(t, "github://api.github.com/pulumiverse", rpc.GetPluginDownloadURL())
				assert.ElementsMatch(t, []string{
					"auth", "cloudAccessPolicyToken", "cloudProviderAccessToken", "connectionsApiAccessToken",
					"fleetManagementAuth", "frontendO11yApiAccessToken", "k6AccessToken", "oncallAccessToken",
					"smAccessToken", "tlsKey",
				}, rpc.GetAdditionalSecretOutputs())
			},
		},
		"GRAFANA_URL and GRAFANA_AUTH fill unset inputs as the SDK does, and the auth stays secret": {
			args: nil,
			env:  map[string]string{"GRAFANA_URL": "https://env.example.com", "GRAFANA_AUTH": "admin:pw", "GRAFANA_RETRIES": "3"},
			check: func(t *testing.T, in resource.PropertyMap, _ *pulumirpc.RegisterResourceRequest) {
				assert.Equal(t, []string{"auth", "retries", "url"}, keys(in))
				assert.Equal(t, "https://env.example.com", in["url"].StringValue())
				require.True(t, in["auth"].IsSecret())
				assert.Equal(t, "admin:pw", in["auth"].SecretValue().Element.StringValue())
				assert.Equal(t, 3.0, in["retries"].NumberValue())
			},
		},
		"an input the program sets wins over the environment": {
			args: &grafana.ProviderArgs{Url: pulumi.String("https://program.example.com")},
			env:  map[string]string{"GRAFANA_URL": "https://env.example.com"},
			check: func(t *testing.T, in resource.PropertyMap, _ *pulumirpc.RegisterResourceRequest) {
				assert.Equal(t, "https://program.example.com", in["url"].StringValue())
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			clearGrafanaEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			m, err := run(t, func(ctx *pulumi.Context) error {
				_, err := grafana.NewProvider(ctx, "gf", tc.args)
				return err
			})
			require.NoError(t, err)
			tc.check(t, m.Get(t, providerKey), m.RPC(t, providerKey))
		})
	}
}
