package pagerduty_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/pagerduty"
	"github.com/klearkarma/observability/internal/conventions"
	pd "github.com/klearkarma/observability/internal/pagerduty"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	teamType        = "pagerduty:index/team:Team"
	membershipType  = "pagerduty:index/teamMembership:TeamMembership"
	policyType      = "pagerduty:index/escalationPolicy:EscalationPolicy"
	serviceType     = "pagerduty:index/service:Service"
	integrationType = "pagerduty:index/serviceIntegration:ServiceIntegration"
	getUserToken    = "pagerduty:index/getUser:getUser"
	getVendorToken  = "pagerduty:index/getVendor:getVendor"
	cloudWatchID    = "PCLDWCH"
)

// seedTeams are the teams the alert rules route to.
var seedTeams = conventions.TeamNames()

// computed is the repository's recorder plus what a real provider
// computes: user ids for lookups, the vendor id, integration keys and
// service URLs. Everything else (inputs, provider references) is the
// recorder's.
type computed struct{ *pulumitest.Recorder }

func newRecorder() computed { return computed{pulumitest.New()} }

func (m computed) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, out, err := m.Recorder.NewResource(args)
	if err != nil {
		return id, out, err
	}
	switch args.TypeToken {
	case integrationType:
		// A real provider returns the key in plaintext: the schema does not mark it secret.
		out["integrationKey"] = resource.NewProperty("KEY-" + args.Name)
	case serviceType:
		out["htmlUrl"] = resource.NewProperty("https://klearkarma.pagerduty.com/service-directory/" + id)
	}
	return id, out, nil
}

func (m computed) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	out, err := m.Recorder.Call(args)
	if err != nil {
		return nil, err
	}
	out = out.Copy()
	switch args.Token {
	case getUserToken:
		out["id"] = resource.NewProperty("U-" + args.Args["email"].StringValue())
	case getVendorToken:
		out["id"] = resource.NewProperty(cloudWatchID)
		out["type"] = resource.NewProperty("aws_cloudwatch_inbound_integration")
	}
	return out, nil
}

func run(program pulumi.RunFunc) (computed, error) {
	rec := newRecorder()
	return rec, pulumi.RunErr(program, pulumi.WithMocks("observability", "test", rec))
}

// validArgs is the four teams of the alert rules, responders by email and
// by schedule, and a shared management level.
func validArgs() pagerduty.Args {
	return pagerduty.Args{
		Teams: map[string]pagerduty.Team{
			"backend": {Responders: pagerduty.Responders{
				Emails:      []string{"alice@klearkarma.com", "bob@klearkarma.com"},
				ScheduleIDs: []string{"PBACKND"},
			}},
			"infrastructure": {Responders: pagerduty.Responders{ScheduleIDs: []string{"PINFRA1"}}},
			"product":        {Responders: pagerduty.Responders{Emails: []string{"carol@klearkarma.com"}}},
			"payments": {
				Responders: pagerduty.Responders{Emails: []string{"dave@klearkarma.com"}},
				EscalateTo: pagerduty.Responders{Emails: []string{"cfo@klearkarma.com"}},
			},
		},
		Management: pagerduty.Responders{Emails: []string{"cto@klearkarma.com"}, ScheduleIDs: []string{"PMGMT01"}},
	}
}

func inputs(t *testing.T, rec computed, key string) map[string]any {
	t.Helper()
	return rec.Object(t, key)
}

func TestPagerDuty(t *testing.T) {
	cases := map[string]struct {
		args    func() pagerduty.Args
		wantErr []string
		check   func(t *testing.T, rec computed)
	}{
		"four teams produce four teams, policies, services and Events API v2 integrations, all explicitly named": {
			args: validArgs,
			check: func(t *testing.T, rec computed) {
				for _, typ := range []string{teamType, policyType, serviceType} {
					assert.Equal(t, 4, rec.CountType(typ), typ)
				}
				assert.Equal(t, 5, rec.CountType(integrationType), "four Events API v2 integrations and one CloudWatch")
				for _, team := range seedTeams {
					title := "Klear Karma " + strings.ToUpper(team[:1]) + team[1:]
					assert.Equal(t, title, inputs(t, rec, teamType+"::pd-"+team+"-team")["name"])
					assert.Equal(t, title+" Escalation", inputs(t, rec, policyType+"::pd-"+team+"-policy")["name"])
					svc := inputs(t, rec, serviceType+"::pd-"+team+"-service")
					assert.Equal(t, title, svc["name"])
					assert.Equal(t, "pd-"+team+"-policy-id", svc["escalationPolicy"], "the service uses its own team's policy")
					events := inputs(t, rec, integrationType+"::pd-"+team+"-events-v2")
					assert.Equal(t, "events_api_v2_inbound_integration", events["type"])
					assert.Equal(t, "Alertmanager (Events API v2)", events["name"])
					assert.Equal(t, "pd-"+team+"-service-id", events["service"])
					assert.NotContains(t, events, "vendor", "type and vendor conflict")
				}
			},
		},
		"a name prefix keeps two stacks apart in one PagerDuty account": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.NamePrefix = "Klear Karma Dev"
				a.Teams["backend"] = pagerduty.Team{DisplayName: "Backend API", Responders: a.Teams["backend"].Responders}
				return a
			},
			check: func(t *testing.T, rec computed) {
				assert.Equal(t, "Klear Karma Dev Backend API", inputs(t, rec, serviceType+"::pd-backend-service")["name"])
				assert.Equal(t, "Klear Karma Dev Product", inputs(t, rec, teamType+"::pd-product-team")["name"])
			},
		},
		"a malformed responder email fails before anything is registered": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Teams["product"] = pagerduty.Team{Responders: pagerduty.Responders{Emails: []string{"carol.klearkarma.com"}}}
				return a
			},
			wantErr: []string{`teams.product.emails[0]: "carol.klearkarma.com" is not an email address`, "jane@klearkarma.com"},
		},
		"an email with a display name is not a bare address and fails": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Teams["backend"] = pagerduty.Team{Responders: pagerduty.Responders{Emails: []string{"Alice <alice@klearkarma.com>"}}}
				return a
			},
			wantErr: []string{`teams.backend.emails[0]: "Alice <alice@klearkarma.com>" is not an email address`, "bare address"},
		},
		"a malformed escalation email fails naming its level": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Management.Emails = []string{"cto@"}
				return a
			},
			wantErr: []string{`management.emails[0]: "cto@" is not an email address`},
		},
		"a team without responders fails naming the team": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Teams["payments"] = pagerduty.Team{EscalateTo: pagerduty.Responders{Emails: []string{"cfo@klearkarma.com"}}}
				return a
			},
			wantErr: []string{"teams.payments: has no responders"},
		},
		"every problem is reported at once": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Teams["payments"] = pagerduty.Team{}
				a.Teams["product"] = pagerduty.Team{Responders: pagerduty.Responders{ScheduleIDs: []string{"not an id"}}}
				return a
			},
			wantErr: []string{"teams.payments: has no responders", `teams.product.schedules[0]: "not an id" is not a PagerDuty schedule id`},
		},
		"a responder listed twice fails": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Teams["product"] = pagerduty.Team{Responders: pagerduty.Responders{Emails: []string{"carol@klearkarma.com", "Carol@klearkarma.com"}}}
				return a
			},
			wantErr: []string{`teams.product.emails[1]: "Carol@klearkarma.com" is listed twice`},
		},
		"a default team that is not configured fails with the teams to choose from": {
			args: func() pagerduty.Args {
				a := validArgs()
				delete(a.Teams, "infrastructure")
				return a
			},
			wantErr: []string{`defaultTeam: "infrastructure" is not one of the teams [backend payments product]`, `cloudWatchTeam: "infrastructure"`},
		},
		"a team label that Alertmanager could not use fails": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Teams["Data Team"] = pagerduty.Team{Responders: pagerduty.Responders{ScheduleIDs: []string{"PDATA01"}}}
				return a
			},
			wantErr: []string{`teams.Data Team: "Data Team" is not a team label`},
		},
		"a playbook in which nothing pages fails": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Playbook = []pagerduty.Severity{{Name: "SEV-3", EventSeverity: "warning", ResponseMinutes: 240, EscalationMinutes: 1440}}
				return a
			},
			wantErr: []string{"no level has event severity critical or error"},
		},
		"a name PagerDuty would reject fails": {
			args:    func() pagerduty.Args { a := validArgs(); a.NamePrefix = "R&D"; return a },
			wantErr: []string{`namePrefix: "R&D" contains`},
		},
		"every service turns critical into high urgency and warning into low with severity_based urgency": {
			args: validArgs,
			check: func(t *testing.T, rec computed) {
				for _, team := range seedTeams {
					svc := inputs(t, rec, serviceType+"::pd-"+team+"-service")
					assert.Equal(t, map[string]any{"type": "constant", "urgency": "severity_based"}, svc["incidentUrgencyRule"],
						"a single object, not a list; severity_based is valid only with type constant")
					assert.NotContains(t, svc, "supportHours")
				}
			},
		},
		"escalation delays and service timeouts follow the seed playbook": {
			args: validArgs,
			check: func(t *testing.T, rec computed) {
				backend := inputs(t, rec, policyType+"::pd-backend-policy")
				assert.Equal(t, []any{
					map[string]any{"escalationDelayInMinutes": 15.0, "targets": []any{
						map[string]any{"type": "user_reference", "id": "U-alice@klearkarma.com"},
						map[string]any{"type": "user_reference", "id": "U-bob@klearkarma.com"},
						map[string]any{"type": "schedule_reference", "id": "PBACKND"},
					}},
					map[string]any{"escalationDelayInMinutes": 15.0, "targets": []any{
						map[string]any{"type": "user_reference", "id": "U-cto@klearkarma.com"},
						map[string]any{"type": "schedule_reference", "id": "PMGMT01"},
					}},
				}, backend["rules"], "SEV-1: 15 min to respond, then escalation is immediate")
				assert.Equal(t, "pd-backend-team-id", backend["teams"], "a single team id, not a list")
				assert.Equal(t, 0.0, backend["numLoops"])

				payments := inputs(t, rec, policyType+"::pd-payments-policy")["rules"].([]any)
				require.Len(t, payments, 2)
				assert.Equal(t, []any{map[string]any{"type": "user_reference", "id": "U-cfo@klearkarma.com"}},
					payments[1].(map[string]any)["targets"], "a team's own escalation level replaces management")

				for _, team := range seedTeams {
					svc := inputs(t, rec, serviceType+"::pd-"+team+"-service")
					assert.Equal(t, "7200", svc["acknowledgementTimeout"], "SEV-2 escalates after 2 h: an acknowledged incident re-triggers then")
					assert.Equal(t, "345600", svc["autoResolveTimeout"], "SEV-4's 24 h + 72 h is the latest deadline")
				}
			},
		},
		"a changed playbook changes the delays and timeouts": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Playbook = []pagerduty.Severity{
					{Name: "P1", EventSeverity: "critical", ResponseMinutes: 5, EscalationMinutes: 10},
					{Name: "P2", EventSeverity: "warning", ResponseMinutes: 60, EscalationMinutes: 30},
				}
				a.NumLoops = 2
				return a
			},
			check: func(t *testing.T, rec computed) {
				policy := inputs(t, rec, policyType+"::pd-product-policy")
				assert.Equal(t, 15.0, policy["rules"].([]any)[0].(map[string]any)["escalationDelayInMinutes"])
				assert.Equal(t, 2.0, policy["numLoops"])
				svc := inputs(t, rec, serviceType+"::pd-product-service")
				assert.Equal(t, "600", svc["acknowledgementTimeout"])
				assert.Equal(t, "5400", svc["autoResolveTimeout"])
			},
		},
		"a team whose alerts never page may keep the responders' level only": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Management = pagerduty.Responders{}
				a.PagingTeams = []string{"payments"}
				infra := a.Teams["infrastructure"]
				infra.EscalateTo = pagerduty.Responders{ScheduleIDs: []string{"PINFRA2"}}
				a.Teams["infrastructure"] = infra
				return a
			},
			check: func(t *testing.T, rec computed) {
				assert.Len(t, inputs(t, rec, policyType+"::pd-backend-policy")["rules"], 1)
				assert.Len(t, inputs(t, rec, policyType+"::pd-payments-policy")["rules"], 2, "payments has its own")
				assert.Len(t, inputs(t, rec, policyType+"::pd-infrastructure-policy")["rules"], 2, "the default and CloudWatch team has its own")
			},
		},
		"every team that pages at high urgency gets a policy of two levels, the second its own or management": {
			args: func() pagerduty.Args { a := validArgs(); a.PagingTeams = seedTeams; return a },
			check: func(t *testing.T, rec computed) {
				for _, team := range seedTeams {
					levels := inputs(t, rec, policyType+"::pd-"+team+"-policy")["rules"].([]any)
					require.Len(t, levels, 2, team)
					assert.NotEmpty(t, levels[1].(map[string]any)["targets"], team)
					assert.NotEqual(t, levels[0].(map[string]any)["targets"], levels[1].(map[string]any)["targets"], "%s escalates to someone else", team)
				}
			},
		},
		"a team that pages at high urgency without a second level is refused, naming its escalateTo": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Management = pagerduty.Responders{}
				a.PagingTeams = []string{"backend", "payments"}
				return a
			},
			wantErr: []string{
				"teams.backend.escalateTo: is empty: the backend team's alerts page at high urgency, and an incident nobody acknowledges within 15 min escalates to a second level the policy does not have",
				"teams.backend.escalateTo.emails or teams.backend.escalateTo.schedules",
				"teams.infrastructure.escalateTo: is empty",
			},
		},
		"looked-up users join their team as responders, each email looked up once": {
			args: func() pagerduty.Args {
				a := validArgs()
				a.Management.Emails = append(a.Management.Emails, "alice@klearkarma.com")
				return a
			},
			check: func(t *testing.T, rec computed) {
				assert.Equal(t, map[string]any{"teamId": "pd-backend-team-id", "userId": "U-alice@klearkarma.com", "role": "responder"},
					inputs(t, rec, membershipType+"::pd-backend-member-alice@klearkarma.com"))
				assert.True(t, rec.Has(membershipType+"::pd-backend-member-bob@klearkarma.com"))
				assert.Equal(t, 4, rec.CountType(membershipType), "responders only; schedules and escalation levels are not members")
				lookups := 0
				for _, tok := range rec.Invokes {
					if tok == getUserToken {
						lookups++
					}
				}
				assert.Equal(t, 6, lookups, "alice, bob, carol, dave, cfo and cto; alice is configured twice but looked up once")
			},
		},
		"the CloudWatch integration hangs off the infrastructure service with the looked-up vendor": {
			args: validArgs,
			check: func(t *testing.T, rec computed) {
				cw := inputs(t, rec, integrationType+"::pd-infrastructure-cloudwatch")
				assert.Equal(t, map[string]any{"name": "Amazon CloudWatch", "service": "pd-infrastructure-service-id", "vendor": cloudWatchID}, cw,
					"vendor, not type: the two conflict")
			},
		},
		"the component is registered under its type token": {
			args: validArgs,
			check: func(t *testing.T, rec computed) {
				assert.True(t, rec.Has("klearkarma:observability:PagerDuty::pd"))
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := run(func(ctx *pulumi.Context) error {
				_, err := pagerduty.New(ctx, "pd", tc.args())
				return err
			})
			if tc.wantErr != nil {
				require.Error(t, err)
				for _, want := range tc.wantErr {
					assert.ErrorContains(t, err, want)
				}
				assert.Empty(t, rec.Keys(), "nothing is registered")
				assert.Empty(t, rec.Invokes, "nothing is looked up")
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}

func TestPagerDutyOutputs(t *testing.T) {
	type result struct {
		value  string
		secret bool
	}
	got := map[string]result{}
	var inputKeys []string
	_, err := run(func(ctx *pulumi.Context) error {
		c, err := pagerduty.New(ctx, "pd", validArgs())
		if err != nil {
			return err
		}
		await := func(key string, o pulumi.StringOutput) error {
			r, err := internals.UnsafeAwaitOutput(ctx.Context(), o)
			if err != nil {
				return err
			}
			got[key] = result{value: r.Value.(string), secret: r.Secret}
			return nil
		}
		for team, key := range c.RoutingKeys {
			if err := await("key/"+team, key); err != nil {
				return err
			}
		}
		for team, id := range c.ServiceIDs {
			if err := await("id/"+team, id); err != nil {
				return err
			}
		}
		for team, u := range c.ServiceURLs {
			if err := await("url/"+team, u); err != nil {
				return err
			}
		}
		for team := range c.RoutingKeyInputs() {
			inputKeys = append(inputKeys, team)
		}
		if err := await("default", c.DefaultRoutingKey); err != nil {
			return err
		}
		return await("cloudwatch", c.CloudWatchEndpoint)
	})
	require.NoError(t, err)

	cases := map[string]struct {
		key        string
		want       string
		wantSecret bool
	}{
		"each team's routing key is its Events API v2 integration key, as a secret": {
			key: "key/payments", want: "KEY-pd-payments-events-v2", wantSecret: true,
		},
		"the default routing key is the infrastructure team's, as a secret": {
			key: "default", want: "KEY-pd-infrastructure-events-v2", wantSecret: true,
		},
		"the CloudWatch endpoint embeds the CloudWatch integration's key, so it is secret": {
			key: "cloudwatch", want: "https://events.pagerduty.com/integration/KEY-pd-infrastructure-cloudwatch/enqueue", wantSecret: true,
		},
		"service ids are plain": {key: "id/backend", want: "pd-backend-service-id"},
		"service URLs are the web UI's, plain": {
			key: "url/product", want: "https://klearkarma.pagerduty.com/service-directory/pd-product-service-id",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, ok := got[tc.key]
			require.True(t, ok, "no output %s", tc.key)
			assert.Equal(t, tc.want, r.value)
			assert.Equal(t, tc.wantSecret, r.secret)
		})
	}
	t.Run("every team has a routing key, in the shape Alertmanager takes", func(t *testing.T) {
		assert.ElementsMatch(t, seedTeams, inputKeys)
		for _, team := range seedTeams {
			assert.True(t, got["key/"+team].secret, team)
		}
	})
}

func TestExplicitProviderReachesEveryChildAndLookup(t *testing.T) {
	rec, err := run(func(ctx *pulumi.Context) error {
		p, err := pd.NewProvider(ctx, "pd-provider", &pd.ProviderArgs{Token: pulumi.String("t")})
		if err != nil {
			return err
		}
		_, err = pagerduty.New(ctx, "pd", validArgs(), pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	const want = "urn:pulumi:test::observability::pulumi:providers:pagerduty::pd-provider::"
	checked := 0
	for _, key := range rec.Keys() {
		if strings.HasPrefix(key, "pagerduty:") {
			assert.True(t, strings.HasPrefix(rec.Provider(key), want), "%s uses %q", key, rec.Provider(key))
			checked++
		}
	}
	assert.Equal(t, 4*4+4+1, checked, "teams, policies, services, events integrations, memberships, CloudWatch")
	for _, tok := range []string{getUserToken, getVendorToken} {
		assert.True(t, strings.HasPrefix(rec.Provider(tok), want), "%s uses %q", tok, rec.Provider(tok))
	}
}

func TestTwoInstancesInOneProgramDoNotCollide(t *testing.T) {
	rec, err := run(func(ctx *pulumi.Context) error {
		if _, err := pagerduty.New(ctx, "blue", validArgs()); err != nil {
			return err
		}
		a := validArgs()
		a.NamePrefix = "Klear Karma Green"
		_, err := pagerduty.New(ctx, "green", a)
		return err
	})
	require.NoError(t, err)
	assert.True(t, rec.Has(serviceType+"::blue-backend-service"))
	assert.True(t, rec.Has(serviceType+"::green-backend-service"))
}

func TestArgsAreNotModified(t *testing.T) {
	a := validArgs()
	a.Teams["product"] = pagerduty.Team{Responders: pagerduty.Responders{Emails: []string{" carol@klearkarma.com "}}}
	_, err := run(func(ctx *pulumi.Context) error {
		_, err := pagerduty.New(ctx, "pd", a)
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, "", a.Teams["product"].DisplayName, "defaults are filled in a copy")
	assert.Equal(t, " carol@klearkarma.com ", a.Teams["product"].Responders.Emails[0])
	assert.Equal(t, "", a.NamePrefix)
}

func TestCheckNamesFieldsAsTheStackConfigDoes(t *testing.T) {
	a := pagerduty.Args{Teams: map[string]pagerduty.Team{
		"backend":        {},
		"infrastructure": {Responders: pagerduty.Responders{Emails: []string{"ops at klearkarma"}, ScheduleIDs: []string{"PINFRA1"}}},
	}}
	var fields []string
	for _, p := range a.Check() {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"teams.backend", "teams.infrastructure.emails[0]", "teams.infrastructure.escalateTo"}, fields,
		"the stack maps these under pagerduty. as they are; the defaults (name prefix, playbook) pass")
	assert.Empty(t, a.NamePrefix, "Check fills the defaults in a copy")
}
