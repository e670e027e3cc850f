package oss_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/grafana"
	"github.com/klearkarma/observability/internal/grafana/oss"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func run(t *testing.T, program pulumi.RunFunc) (*pulumitest.Recorder, error) {
	t.Helper()
	t.Setenv("GRAFANA_URL", "https://grafana.example.com") // keep the machine's env out of the provider
	t.Setenv("GRAFANA_AUTH", "unused")
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

func aliasTypes(rpc *pulumirpc.RegisterResourceRequest) []string {
	var out []string
	for _, a := range rpc.GetAliases() {
		out = append(out, a.GetSpec().GetType())
	}
	return out
}

func dashboardJSON(t *testing.T) string {
	b, err := json.Marshal(map[string]any{"uid": "app-overview", "title": "Application Overview", "panels": []any{}})
	require.NoError(t, err)
	return string(b)
}

func TestResources(t *testing.T) {
	cases := map[string]struct {
		key        string
		register   func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error
		wantKeys   []string
		wantSecret []string
		wantASO    []string
		wantAlias  string
		check      func(t *testing.T, in resource.PropertyMap)
	}{
		"a folder sends title, uid, orgId and its nesting under the schema names": {
			key: "grafana:oss/folder:Folder::backend",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := oss.NewFolder(ctx, "backend", &oss.FolderArgs{
					Title:                    pulumi.String("Backend"),
					Uid:                      pulumi.String("team-backend"),
					OrgId:                    pulumi.String("1"),
					ParentFolderUid:          pulumi.String("teams"),
					PreventDestroyIfNotEmpty: pulumi.Bool(true),
				}, opts...)
				return err
			},
			wantKeys:  []string{"orgId", "parentFolderUid", "preventDestroyIfNotEmpty", "title", "uid"},
			wantAlias: "grafana:index/folder:Folder",
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, "Backend", in["title"].StringValue())
				assert.True(t, in["orgId"].IsString(), "resource orgId is a string")
			},
		},
		"a dashboard sends its model as a configJson string and its folder uid": {
			key: "grafana:oss/dashboard:Dashboard::app-overview",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := oss.NewDashboard(ctx, "app-overview", &oss.DashboardArgs{
					ConfigJson: pulumi.String(dashboardJSON(t)),
					Folder:     pulumi.String("team-backend"),
					Message:    pulumi.String("managed by pulumi"),
					OrgId:      pulumi.String("1"),
					Overwrite:  pulumi.Bool(true),
				}, opts...)
				return err
			},
			wantKeys:  []string{"configJson", "folder", "message", "orgId", "overwrite"},
			wantAlias: "grafana:index/dashboard:Dashboard",
			check: func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["configJson"].IsString())
				assert.JSONEq(t, dashboardJSON(t), in["configJson"].StringValue())
			},
		},
		"a data source sends every input under its schema name, with secure data and headers as secrets": {
			key: "grafana:oss/dataSource:DataSource::thanos",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := oss.NewDataSource(ctx, "thanos", &oss.DataSourceArgs{
					Type:                              pulumi.String("prometheus"),
					Name:                              pulumi.String("Thanos Query"),
					Url:                               pulumi.String("http://thanos-query:9090"),
					Uid:                               pulumi.String("thanos"),
					IsDefault:                         pulumi.Bool(true),
					AccessMode:                        pulumi.String("proxy"),
					BasicAuthEnabled:                  pulumi.Bool(true),
					BasicAuthUsername:                 pulumi.String("grafana"),
					DatabaseName:                      pulumi.String("db"),
					Username:                          pulumi.String("user"),
					OrgId:                             pulumi.String("1"),
					PrivateDataSourceConnectNetworkId: pulumi.String("pdc"),
					JsonDataEncoded:                   pulumi.String(`{"httpMethod":"POST"}`),
					SecureJsonDataEncoded:             pulumi.String(`{"basicAuthPassword":"hunter2"}`),
					HttpHeaders:                       pulumi.StringMap{"X-Scope-OrgID": pulumi.String("tenant")},
				}, opts...)
				return err
			},
			wantKeys: []string{
				"accessMode", "basicAuthEnabled", "basicAuthUsername", "databaseName", "httpHeaders", "isDefault",
				"jsonDataEncoded", "name", "orgId", "privateDataSourceConnectNetworkId", "secureJsonDataEncoded",
				"type", "uid", "url", "username",
			},
			wantSecret: []string{"httpHeaders", "secureJsonDataEncoded"},
			wantASO:    []string{"httpHeaders", "secureJsonDataEncoded"},
			wantAlias:  "grafana:index/dataSource:DataSource",
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, `{"basicAuthPassword":"hunter2"}`, in["secureJsonDataEncoded"].SecretValue().Element.StringValue())
				assert.False(t, in["jsonDataEncoded"].IsSecret())
				assert.Equal(t, "prometheus", in["type"].StringValue())
			},
		},
		"a service account sends name, role, orgId and isDisabled": {
			key: "grafana:oss/serviceAccount:ServiceAccount::ci",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := oss.NewServiceAccount(ctx, "ci", &oss.ServiceAccountArgs{
					Name:       pulumi.String("ci"),
					Role:       pulumi.String("Editor"),
					OrgId:      pulumi.String("1"),
					IsDisabled: pulumi.Bool(false),
				}, opts...)
				return err
			},
			wantKeys:  []string{"isDisabled", "name", "orgId", "role"},
			wantAlias: "grafana:index/serviceAccount:ServiceAccount",
		},
		"a service account token points at the account's id and asks for its key to be secret": {
			key: "grafana:oss/serviceAccountToken:ServiceAccountToken::ci-token",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				sa, err := oss.NewServiceAccount(ctx, "ci", &oss.ServiceAccountArgs{Role: pulumi.String("Viewer")}, opts...)
				if err != nil {
					return err
				}
				_, err = oss.NewServiceAccountToken(ctx, "ci-token", &oss.ServiceAccountTokenArgs{
					Name:             pulumi.String("ci"),
					ServiceAccountId: sa.ID(),
					SecondsToLive:    pulumi.Int(3600),
				}, opts...)
				return err
			},
			wantKeys:  []string{"name", "secondsToLive", "serviceAccountId"},
			wantASO:   []string{"key"},
			wantAlias: "grafana:index/serviceAccountToken:ServiceAccountToken",
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, "ci-id", in["serviceAccountId"].StringValue())
				assert.Equal(t, 3600.0, in["secondsToLive"].NumberValue())
			},
		},
	}
	for name, tc := range cases {
		for _, explicit := range []bool{true, false} {
			label := name + " (explicit provider)"
			if !explicit {
				label = name + " (default provider)"
			}
			t.Run(label, func(t *testing.T) {
				m, err := run(t, func(ctx *pulumi.Context) error {
					var opts []pulumi.ResourceOption
					if explicit {
						p, err := grafana.NewProvider(ctx, "gf", &grafana.ProviderArgs{
							Url:  pulumi.String("https://grafana.example.com"),
							Auth: pulumi.String("glsa_token"),
						})
						if err != nil {
							return err
						}
						opts = append(opts, pulumi.Provider(p))
					}
					return tc.register(ctx, opts...)
				})
				require.NoError(t, err)
				in := m.Get(t, tc.key)
				assert.Equal(t, tc.wantKeys, keys(in))
				for _, k := range tc.wantKeys {
					want := false
					for _, s := range tc.wantSecret {
						want = want || s == k
					}
					assert.Equal(t, want, in[resource.PropertyKey(k)].IsSecret(), "secret-ness of %s", k)
				}
				if tc.check != nil {
					tc.check(t, in)
				}
				rpc := m.RPC(t, tc.key)
				assert.Equal(t, "2.38.0", rpc.GetVersion())
				assert.Equal(t, "github://api.github.com/pulumiverse", rpc.GetPluginDownloadURL())
				assert.Equal(t, []string{tc.wantAlias}, aliasTypes(rpc))
				assert.ElementsMatch(t, tc.wantASO, rpc.GetAdditionalSecretOutputs())
				if explicit {
					assert.True(t, strings.HasPrefix(rpc.GetProvider(), "urn:pulumi:test::observability::pulumi:providers:grafana::gf::"),
						"provider reference %q", rpc.GetProvider())
				} else {
					assert.Empty(t, rpc.GetProvider(), "the engine picks the default provider")
				}
			})
		}
	}
}

func TestRequiredArguments(t *testing.T) {
	cases := map[string]struct {
		register func(ctx *pulumi.Context) error
		wantErr  string
	}{
		"a folder without args is rejected":    {func(ctx *pulumi.Context) error { _, err := oss.NewFolder(ctx, "f", nil); return err }, "missing one or more required arguments"},
		"a folder without a title is rejected": {func(ctx *pulumi.Context) error { _, err := oss.NewFolder(ctx, "f", &oss.FolderArgs{}); return err }, "'Title'"},
		"a dashboard without configJson is rejected": {func(ctx *pulumi.Context) error {
			_, err := oss.NewDashboard(ctx, "d", &oss.DashboardArgs{})
			return err
		}, "'ConfigJson'"},
		"a data source without a type is rejected": {func(ctx *pulumi.Context) error {
			_, err := oss.NewDataSource(ctx, "d", &oss.DataSourceArgs{})
			return err
		}, "'Type'"},
		"a service account without a role is rejected": {func(ctx *pulumi.Context) error {
			_, err := oss.NewServiceAccount(ctx, "s", &oss.ServiceAccountArgs{})
			return err
		}, "'Role'"},
		"a token without its service account is rejected": {func(ctx *pulumi.Context) error {
			_, err := oss.NewServiceAccountToken(ctx, "s", &oss.ServiceAccountTokenArgs{})
			return err
		}, "'ServiceAccountId'"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, tc.register)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Empty(t, m.Keys(), "nothing is registered")
		})
	}
}
