package pagerduty_test

import (
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pagerduty"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	integrationToken = "pagerduty:index/serviceIntegration:ServiceIntegration"
	getVendorToken   = "pagerduty:index/getVendor:getVendor"
	getUserToken     = "pagerduty:index/getUser:getUser"
	providerKey      = "pulumi:providers:pagerduty::pd"
)

// monitor is the repository's recorder plus the invoke calls with their
// arguments and the outputs a real provider would add to the echo; the
// register requests (version, download URL, provider, additional secret
// outputs) are the recorder's (RPC).
type monitor struct {
	*pulumitest.Recorder
	mu      sync.Mutex
	calls   []pulumi.MockCallArgs
	outputs map[string]resource.PropertyMap // by resource or function token
}

func (m *monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, state, err := m.Recorder.NewResource(args)
	if err != nil {
		return id, state, err
	}
	return id, merge(state, m.outputs[args.TypeToken]), nil
}

func (m *monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	echo, err := m.Recorder.Call(args)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, args)
	return merge(echo, m.outputs[args.Token]), nil
}

// merge copies, so the recorder's stored inputs stay inputs.
func merge(a, b resource.PropertyMap) resource.PropertyMap {
	out := a.Copy()
	for k, v := range b {
		out[k] = v
	}
	return out
}

func run(t *testing.T, outputs map[string]resource.PropertyMap, program pulumi.RunFunc) (*monitor, error) {
	t.Helper()
	m := &monitor{Recorder: pulumitest.New(), outputs: outputs}
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

func obj(t *testing.T, v resource.PropertyValue) resource.PropertyMap {
	t.Helper()
	require.True(t, v.IsObject(), "want a single object, got %v", v)
	return v.ObjectValue()
}

func arr(t *testing.T, v resource.PropertyValue) []resource.PropertyValue {
	t.Helper()
	require.True(t, v.IsArray(), "want an array, got %v", v)
	return v.ArrayValue()
}

func TestProvider(t *testing.T) {
	cases := map[string]struct {
		args  *pagerduty.ProviderArgs
		check func(t *testing.T, in resource.PropertyMap)
	}{
		"the token goes out as a secret although the schema does not mark it": {
			args: &pagerduty.ProviderArgs{Token: pulumi.String("pd-token"), ServiceRegion: pulumi.String("eu")},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, []string{"serviceRegion", "skipCredentialsValidation", "token"}, keys(in))
				require.True(t, in["token"].IsSecret(), "token must be secret")
				assert.Equal(t, "pd-token", in["token"].SecretValue().Element.StringValue())
				assert.Equal(t, "eu", in["serviceRegion"].StringValue())
			},
		},
		"a token that is already secret stays one secret, not a secret inside a secret": {
			args: &pagerduty.ProviderArgs{Token: pulumi.ToSecret(pulumi.String("pd-token")).(pulumi.StringOutput)},
			check: func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["token"].IsSecret())
				assert.True(t, in["token"].SecretValue().Element.IsString())
			},
		},
		"skipCredentialsValidation defaults to false as in the SDK, and an explicit true is kept": {
			args: &pagerduty.ProviderArgs{Token: pulumi.String("t"), SkipCredentialsValidation: pulumi.Bool(true)},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.True(t, in["skipCredentialsValidation"].BoolValue())
			},
		},
		"every other input goes out under its schema name, the user token as a secret": {
			args: &pagerduty.ProviderArgs{
				Token:          pulumi.String("t"),
				UserToken:      pulumi.String("u"),
				ApiUrlOverride: pulumi.String("https://api.example.com"),
				InsecureTls:    pulumi.Bool(false),
			},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, []string{"apiUrlOverride", "insecureTls", "skipCredentialsValidation", "token", "userToken"}, keys(in))
				assert.True(t, in["userToken"].IsSecret())
				assert.False(t, in["apiUrlOverride"].IsSecret())
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, nil, func(ctx *pulumi.Context) error {
				_, err := pagerduty.NewProvider(ctx, "pd", tc.args)
				return err
			})
			require.NoError(t, err)
			tc.check(t, m.Get(t, providerKey))
			rpc := m.RPC(t, providerKey)
			assert.True(t, rpc.GetCustom())
			assert.Equal(t, pins.PagerDuty, rpc.GetVersion())
			assert.Equal(t, "4.34.0", rpc.GetVersion())
			assert.Empty(t, rpc.GetPluginDownloadURL(), "pagerduty comes from the default plugin server")
			assert.ElementsMatch(t, []string{"token", "userToken"}, rpc.GetAdditionalSecretOutputs())
		})
	}
}

func TestResources(t *testing.T) {
	cases := map[string]struct {
		key      string
		register func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error
		wantKeys []string
		wantASO  []string
		check    func(t *testing.T, in resource.PropertyMap)
	}{
		"a team sends name, description, parent and default role": {
			key: "pagerduty:index/team:Team::backend",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := pagerduty.NewTeam(ctx, "backend", &pagerduty.TeamArgs{
					Name:        pulumi.String("Backend"),
					Description: pulumi.String("Backend services"),
					Parent:      pulumi.String("PARENT"),
					DefaultRole: pulumi.String("manager"),
				}, opts...)
				return err
			},
			wantKeys: []string{"defaultRole", "description", "name", "parent"},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, "Backend services", in["description"].StringValue())
			},
		},
		"a team without a description gets \"Managed by Pulumi\", the schema default the SDK fills in": {
			key: "pagerduty:index/team:Team::backend",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := pagerduty.NewTeam(ctx, "backend", &pagerduty.TeamArgs{Name: pulumi.String("Backend")}, opts...)
				return err
			},
			wantKeys: []string{"description", "name"},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, "Managed by Pulumi", in["description"].StringValue())
			},
		},
		"a team membership sends teamId, userId and role": {
			key: "pagerduty:index/teamMembership:TeamMembership::backend-alice",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				team, err := pagerduty.NewTeam(ctx, "backend", &pagerduty.TeamArgs{Name: pulumi.String("Backend")}, opts...)
				if err != nil {
					return err
				}
				_, err = pagerduty.NewTeamMembership(ctx, "backend-alice", &pagerduty.TeamMembershipArgs{
					TeamId: team.ID(),
					UserId: pulumi.String("PUSER1"),
					Role:   pulumi.String("responder"),
				}, opts...)
				return err
			},
			wantKeys: []string{"role", "teamId", "userId"},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, "backend-id", in["teamId"].StringValue())
			},
		},
		"an escalation policy sends rules with delays and typed targets, and teams as one string": {
			key: "pagerduty:index/escalationPolicy:EscalationPolicy::backend",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := pagerduty.NewEscalationPolicy(ctx, "backend", &pagerduty.EscalationPolicyArgs{
					Name:     pulumi.String("Backend"),
					NumLoops: pulumi.Int(2),
					Teams:    pulumi.String("PTEAM1"),
					Rules: pagerduty.EscalationPolicyRuleArray{
						pagerduty.EscalationPolicyRuleArgs{
							EscalationDelayInMinutes: pulumi.Int(5),
							Targets: pagerduty.EscalationPolicyRuleTargetArray{
								pagerduty.EscalationPolicyRuleTargetArgs{Type: pulumi.String("schedule_reference"), Id: pulumi.String("PSCHED1")},
							},
						},
						&pagerduty.EscalationPolicyRuleArgs{
							EscalationDelayInMinutes: pulumi.Int(15),
							Targets: pagerduty.EscalationPolicyRuleTargetArray{
								pagerduty.EscalationPolicyRuleTargetArgs{Type: pulumi.String("user_reference"), Id: pulumi.String("PUSER1")},
								pagerduty.EscalationPolicyRuleTargetArgs{Id: pulumi.String("PUSER2")},
							},
						},
					},
				}, opts...)
				return err
			},
			wantKeys: []string{"description", "name", "numLoops", "rules", "teams"},
			check: func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["teams"].IsString(), "teams is a single string")
				assert.Equal(t, "PTEAM1", in["teams"].StringValue())
				rules := arr(t, in["rules"])
				require.Len(t, rules, 2)
				r0 := obj(t, rules[0])
				assert.Equal(t, []string{"escalationDelayInMinutes", "targets"}, keys(r0))
				assert.Equal(t, 5.0, r0["escalationDelayInMinutes"].NumberValue())
				t0 := obj(t, arr(t, r0["targets"])[0])
				assert.Equal(t, []string{"id", "type"}, keys(t0))
				assert.Equal(t, "schedule_reference", t0["type"].StringValue())
				assert.Equal(t, "PSCHED1", t0["id"].StringValue())
				r1 := obj(t, rules[1])
				assert.Equal(t, []string{"escalationDelayInMinutes", "targets"}, keys(r1))
				targets := arr(t, r1["targets"])
				require.Len(t, targets, 2)
				assert.Equal(t, []string{"id"}, keys(obj(t, targets[1])), "an unset type is left to the provider's default")
			},
		},
		"a service sends its policy, string timeouts and the urgency rule as a single object": {
			key: "pagerduty:index/service:Service::backend",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := pagerduty.NewService(ctx, "backend", &pagerduty.ServiceArgs{
					Name:                   pulumi.String("Backend"),
					EscalationPolicy:       pulumi.String("PEP1"),
					AcknowledgementTimeout: pulumi.String("1800"),
					AutoResolveTimeout:     pulumi.String("null"),
					AlertCreation:          pulumi.String("create_alerts_and_incidents"),
					IncidentUrgencyRule: &pagerduty.ServiceIncidentUrgencyRuleArgs{
						Type: pulumi.String("constant"), Urgency: pulumi.String("severity_based"),
					},
				}, opts...)
				return err
			},
			wantKeys: []string{
				"acknowledgementTimeout", "alertCreation", "autoResolveTimeout",
				"description", "escalationPolicy", "incidentUrgencyRule", "name",
			},
			check: func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["acknowledgementTimeout"].IsString(), "timeouts are strings")
				assert.Equal(t, "1800", in["acknowledgementTimeout"].StringValue())
				assert.Equal(t, "null", in["autoResolveTimeout"].StringValue())
				rule := obj(t, in["incidentUrgencyRule"])
				assert.Equal(t, []string{"type", "urgency"}, keys(rule))
				assert.Equal(t, "severity_based", rule["urgency"].StringValue())
			},
		},
		"a constant urgency rule can be given with the Ptr helper": {
			key: "pagerduty:index/service:Service::payments",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				_, err := pagerduty.NewService(ctx, "payments", &pagerduty.ServiceArgs{
					EscalationPolicy: pulumi.String("PEP1"),
					IncidentUrgencyRule: pagerduty.ServiceIncidentUrgencyRulePtr(&pagerduty.ServiceIncidentUrgencyRuleArgs{
						Type: pulumi.String("constant"), Urgency: pulumi.String("high"),
					}),
				}, opts...)
				return err
			},
			wantKeys: []string{"description", "escalationPolicy", "incidentUrgencyRule"},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, []string{"type", "urgency"}, keys(obj(t, in["incidentUrgencyRule"])))
			},
		},
		"an Events API v2 integration sends service, type and name and asks for its key to be secret": {
			key: integrationToken + "::backend-events",
			register: func(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {
				svc, err := pagerduty.NewService(ctx, "backend", &pagerduty.ServiceArgs{EscalationPolicy: pulumi.String("PEP1")}, opts...)
				if err != nil {
					return err
				}
				_, err = pagerduty.NewServiceIntegration(ctx, "backend-events", &pagerduty.ServiceIntegrationArgs{
					Name:    pulumi.String("Alertmanager"),
					Service: svc.ID(),
					Type:    pulumi.String("events_api_v2_inbound_integration"),
				}, opts...)
				return err
			},
			wantKeys: []string{"name", "service", "type"},
			wantASO:  []string{"integrationKey"},
			check: func(t *testing.T, in resource.PropertyMap) {
				assert.Equal(t, "backend-id", in["service"].StringValue())
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
				m, err := run(t, nil, func(ctx *pulumi.Context) error {
					var opts []pulumi.ResourceOption
					if explicit {
						p, err := pagerduty.NewProvider(ctx, "pd", &pagerduty.ProviderArgs{Token: pulumi.String("pd-token")})
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
					assert.False(t, in[resource.PropertyKey(k)].ContainsSecrets(), "%s is not secret in the schema", k)
				}
				tc.check(t, in)
				rpc := m.RPC(t, tc.key)
				assert.True(t, rpc.GetCustom())
				assert.Equal(t, "4.34.0", rpc.GetVersion())
				assert.Empty(t, rpc.GetPluginDownloadURL())
				assert.Empty(t, rpc.GetAliases(), "pagerduty resources have no aliases")
				assert.ElementsMatch(t, tc.wantASO, rpc.GetAdditionalSecretOutputs())
				if explicit {
					assert.True(t, strings.HasPrefix(rpc.GetProvider(), "urn:pulumi:test::observability::pulumi:providers:pagerduty::pd::"),
						"provider reference %q", rpc.GetProvider())
				} else {
					assert.Empty(t, rpc.GetProvider(), "the engine picks the default provider")
				}
			})
		}
	}
}

func TestIntegrationKeyIsSecret(t *testing.T) {
	cases := map[string]struct {
		returned resource.PropertyValue
	}{
		"a key the provider returns in plaintext reaches the program as a secret": {
			returned: resource.NewProperty("R0UT1NGKEY"),
		},
		"a key the engine already marked secret stays secret": {
			returned: resource.MakeSecret(resource.NewProperty("R0UT1NGKEY")),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got internals.UnsafeAwaitOutputResult
			_, err := run(t, map[string]resource.PropertyMap{integrationToken: {"integrationKey": tc.returned}},
				func(ctx *pulumi.Context) error {
					si, err := pagerduty.NewServiceIntegration(ctx, "backend-events", &pagerduty.ServiceIntegrationArgs{
						Service: pulumi.String("PSVC1"),
						Type:    pulumi.String("events_api_v2_inbound_integration"),
					})
					if err != nil {
						return err
					}
					got, err = internals.UnsafeAwaitOutput(ctx.Context(), si.IntegrationKey)
					return err
				})
			require.NoError(t, err)
			assert.True(t, got.Secret, "integrationKey must be secret")
			assert.Equal(t, "R0UT1NGKEY", got.Value)
		})
	}
}

func TestInvokes(t *testing.T) {
	results := map[string]resource.PropertyMap{
		getVendorToken: {"id": resource.NewProperty("PCWVEND"), "type": resource.NewProperty("generic_events_api_inbound_integration")},
		getUserToken:   {"id": resource.NewProperty("PUSER1"), "name": resource.NewProperty("Alice")},
	}
	cases := map[string]struct {
		token    string
		wantArgs resource.PropertyMap
		invoke   func(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (map[string]string, error)
		want     map[string]string
	}{
		"GetVendor sends the name and reads the vendor's id, name and type": {
			token:    getVendorToken,
			wantArgs: resource.PropertyMap{"name": resource.NewProperty("Amazon CloudWatch")},
			invoke: func(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (map[string]string, error) {
				v, err := pagerduty.GetVendor(ctx, &pagerduty.GetVendorArgs{Name: "Amazon CloudWatch"}, opts...)
				if err != nil {
					return nil, err
				}
				return map[string]string{"id": v.Id, "name": v.Name, "type": v.Type}, nil
			},
			want: map[string]string{"id": "PCWVEND", "name": "Amazon CloudWatch", "type": "generic_events_api_inbound_integration"},
		},
		"GetVendorOutput does the same lookup from an Output name": {
			token:    getVendorToken,
			wantArgs: resource.PropertyMap{"name": resource.NewProperty("Amazon CloudWatch")},
			invoke: func(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (map[string]string, error) {
				v := pagerduty.GetVendorOutput(ctx, pagerduty.GetVendorOutputArgs{Name: pulumi.String("Amazon CloudWatch")}, opts...)
				id, err := internals.UnsafeAwaitOutput(ctx.Context(), v.Id())
				if err != nil {
					return nil, err
				}
				return map[string]string{"id": id.Value.(string)}, nil
			},
			want: map[string]string{"id": "PCWVEND"},
		},
		"LookupUser finds a user by email": {
			token:    getUserToken,
			wantArgs: resource.PropertyMap{"email": resource.NewProperty("alice@example.com")},
			invoke: func(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (map[string]string, error) {
				u, err := pagerduty.LookupUser(ctx, &pagerduty.LookupUserArgs{Email: "alice@example.com"}, opts...)
				if err != nil {
					return nil, err
				}
				return map[string]string{"id": u.Id, "name": u.Name, "email": u.Email}, nil
			},
			want: map[string]string{"id": "PUSER1", "name": "Alice", "email": "alice@example.com"},
		},
		"LookupUserOutput does the same lookup from an Output email": {
			token:    getUserToken,
			wantArgs: resource.PropertyMap{"email": resource.NewProperty("alice@example.com")},
			invoke: func(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (map[string]string, error) {
				u := pagerduty.LookupUserOutput(ctx, pagerduty.LookupUserOutputArgs{Email: pulumi.String("alice@example.com")}, opts...)
				id, err := internals.UnsafeAwaitOutput(ctx.Context(), u.Id())
				if err != nil {
					return nil, err
				}
				return map[string]string{"id": id.Value.(string)}, nil
			},
			want: map[string]string{"id": "PUSER1"},
		},
	}
	for name, tc := range cases {
		for _, explicit := range []bool{true, false} {
			label := name + " (explicit provider)"
			if !explicit {
				label = name + " (default provider)"
			}
			t.Run(label, func(t *testing.T) {
				var got map[string]string
				m, err := run(t, results, func(ctx *pulumi.Context) error {
					var opts []pulumi.InvokeOption
					if explicit {
						p, err := pagerduty.NewProvider(ctx, "pd", &pagerduty.ProviderArgs{Token: pulumi.String("pd-token")})
						if err != nil {
							return err
						}
						opts = append(opts, pulumi.Provider(p))
					}
					var err error
					got, err = tc.invoke(ctx, opts...)
					return err
				})
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				require.Len(t, m.calls, 1)
				call := m.calls[0]
				assert.Equal(t, tc.token, call.Token)
				assert.Equal(t, tc.wantArgs, call.Args)
				if explicit {
					assert.True(t, strings.HasPrefix(call.Provider, "urn:pulumi:test::observability::pulumi:providers:pagerduty::pd::"),
						"provider reference %q", call.Provider)
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
		"a service without args is rejected": {
			func(ctx *pulumi.Context) error { _, err := pagerduty.NewService(ctx, "s", nil); return err },
			"missing one or more required arguments"},
		"a service without an escalation policy is rejected": {
			func(ctx *pulumi.Context) error {
				_, err := pagerduty.NewService(ctx, "s", &pagerduty.ServiceArgs{})
				return err
			}, "'EscalationPolicy'"},
		"an escalation policy without rules is rejected": {
			func(ctx *pulumi.Context) error {
				_, err := pagerduty.NewEscalationPolicy(ctx, "e", &pagerduty.EscalationPolicyArgs{})
				return err
			}, "'Rules'"},
		"an integration without a service is rejected": {
			func(ctx *pulumi.Context) error {
				_, err := pagerduty.NewServiceIntegration(ctx, "i", &pagerduty.ServiceIntegrationArgs{})
				return err
			}, "'Service'"},
		"a membership without a team is rejected": {
			func(ctx *pulumi.Context) error {
				_, err := pagerduty.NewTeamMembership(ctx, "m", &pagerduty.TeamMembershipArgs{UserId: pulumi.String("U")})
				return err
			}, "'TeamId'"},
		"a membership without a user is rejected": {
			func(ctx *pulumi.Context) error {
				_, err := pagerduty.NewTeamMembership(ctx, "m", &pagerduty.TeamMembershipArgs{TeamId: pulumi.String("T")})
				return err
			}, "'UserId'"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, nil, tc.register)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Empty(t, m.Keys(), "nothing is registered")
		})
	}
}

func TestNestedOutputs(t *testing.T) {
	cases := map[string]struct {
		read func(ctx *pulumi.Context) (pulumi.Output, error)
		want any
	}{
		"an escalation policy's rules read back as typed rules with typed targets": {
			read: func(ctx *pulumi.Context) (pulumi.Output, error) {
				ep, err := pagerduty.NewEscalationPolicy(ctx, "backend", &pagerduty.EscalationPolicyArgs{
					Rules: pagerduty.EscalationPolicyRuleArray{pagerduty.EscalationPolicyRuleArgs{
						EscalationDelayInMinutes: pulumi.Int(5),
						Targets: pagerduty.EscalationPolicyRuleTargetArray{
							pagerduty.EscalationPolicyRuleTargetArgs{Type: pulumi.String("schedule_reference"), Id: pulumi.String("PSCHED1")},
						},
					}},
				})
				if err != nil {
					return nil, err
				}
				return ep.Rules.Index(pulumi.Int(0)).Targets().Index(pulumi.Int(0)).Id(), nil
			},
			want: "PSCHED1",
		},
		"a service's urgency rule reads back as a single typed object": {
			read: func(ctx *pulumi.Context) (pulumi.Output, error) {
				svc, err := pagerduty.NewService(ctx, "backend", &pagerduty.ServiceArgs{
					EscalationPolicy: pulumi.String("PEP1"),
					IncidentUrgencyRule: pagerduty.ServiceIncidentUrgencyRuleArgs{
						Type: pulumi.String("constant"), Urgency: pulumi.String("high"),
					},
				})
				if err != nil {
					return nil, err
				}
				return svc.IncidentUrgencyRule.Urgency().Elem(), nil
			},
			want: "high",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got internals.UnsafeAwaitOutputResult
			_, err := run(t, nil, func(ctx *pulumi.Context) error {
				o, err := tc.read(ctx)
				if err != nil {
					return err
				}
				got, err = internals.UnsafeAwaitOutput(ctx.Context(), o)
				return err
			})
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Value)
		})
	}
}
