package alertmanager_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const secretsDir = "/etc/alertmanager/secrets"

// prodRouting is the prod stack's shape: every integration on, and the
// payments team paged on its own routing key.
func prodRouting() alertmanager.Routing {
	return alertmanager.Routing{
		PagerDuty: alertmanager.PagerDutyRouting{Enabled: true, Teams: []string{"payments"}},
		Slack: alertmanager.SlackRouting{Enabled: true, Channels: alertmanager.SlackChannels{
			Critical: "#alerts-critical", Backend: "#backend-alerts", Infrastructure: "#infrastructure-alerts", Payments: "#payments-alerts",
		}},
		Email: alertmanager.EmailRouting{
			Enabled: true, Smarthost: "smtp.gmail.com:587", From: "alerts@klearkarma.com", Username: "alerts@klearkarma.com",
			DefaultTo: "alerts@klearkarma.com", ProductTo: "product@klearkarma.com",
		},
		DeadMansSwitch: alertmanager.DeadMansSwitchRouting{Enabled: true},
		GrafanaURL:     "https://grafana.klearkarma.com",
	}
}

// localRouting is the offline stack: no credentials, no integration.
func localRouting() alertmanager.Routing { return alertmanager.Routing{} }

func render(t *testing.T, r alertmanager.Routing) (string, *config.Config) {
	t.Helper()
	out, err := alertmanager.RenderConfig(r, secretsDir)
	require.NoError(t, err)
	cfg, err := config.Load(out)
	require.NoError(t, err, "Alertmanager's loader accepts the configuration")
	return out, cfg
}

func receiver(t *testing.T, cfg *config.Config, name string) config.Receiver {
	t.Helper()
	for _, r := range cfg.Receivers {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no receiver %q", name)
	return config.Receiver{}
}

type renderCase struct {
	routing func() alertmanager.Routing
	check   func(t *testing.T, out string, cfg *config.Config)
}

func TestRenderConfig(t *testing.T) {
	cases := map[string]renderCase{
		"the prod routing loads with Alertmanager's loader and matches its golden file": {
			routing: prodRouting,
			check: func(t *testing.T, out string, _ *config.Config) {
				pulumitest.Golden(t, filepath.Join("testdata", "prod.yml"), []byte(out))
			},
		},
		"the local stack without credentials still gets a valid configuration whose receivers deliver nowhere": {
			routing: localRouting,
			check: func(t *testing.T, out string, cfg *config.Config) {
				pulumitest.Golden(t, filepath.Join("testdata", "local.yml"), []byte(out))
				require.Len(t, cfg.Receivers, 7)
				for _, r := range cfg.Receivers {
					assert.Empty(t, r.EmailConfigs, r.Name)
					assert.Empty(t, r.SlackConfigs, r.Name)
					assert.Empty(t, r.PagerdutyConfigs, r.Name)
				}
			},
		},
		"the route tree is the seed's with a route for payments: grouping, timings, critical first, then the team routes, after the Watchdog's": {
			routing: prodRouting,
			check: func(t *testing.T, _ string, cfg *config.Config) {
				root := cfg.Route
				assert.Equal(t, "default", root.Receiver)
				assert.Equal(t, []model.LabelName{"alertname", "cluster", "namespace", "service"}, root.GroupBy)
				assert.Equal(t, model.Duration(10*time.Second), *root.GroupWait)
				assert.Equal(t, model.Duration(time.Minute), *root.GroupInterval, "a three-node cluster's last node checks 30 s after a flush")
				assert.Equal(t, model.Duration(time.Hour), *root.RepeatInterval)
				var got []string
				for _, r := range root.Routes {
					got = append(got, r.Receiver+" "+r.Matchers[0].String())
					assert.Empty(t, r.Match, "the deprecated match field is not used")
					assert.False(t, r.Continue)
				}
				assert.Equal(t, []string{
					`dead-mans-switch alertname="Watchdog"`,
					`critical-alerts severity="critical"`,
					`backend-team team="backend"`,
					`infrastructure-team team="infrastructure"`,
					`product-team team="product"`,
					`payments-team team="payments"`,
				}, got)
				critical := root.Routes[1]
				assert.Equal(t, model.Duration(30*time.Second), *critical.GroupWait, "one evaluation interval: a page carries its evaluation round's alerts")
				assert.Equal(t, model.Duration(5*time.Minute), *critical.RepeatInterval)
				assert.Nil(t, critical.GroupInterval, "the critical route keeps the checked group interval")
				assert.Equal(t, []model.LabelName{"cluster", "namespace", "service"}, critical.GroupBy)
				require.Len(t, critical.Routes, 1)
				assert.Equal(t, "critical-payments", critical.Routes[0].Receiver)
				assert.Equal(t, `team="payments"`, critical.Routes[0].Matchers[0].String())
				assert.Equal(t, "#payments-alerts", receiver(t, cfg, "payments-team").SlackConfigs[0].Channel)
			},
		},
		"the Watchdog pings the heartbeat URL every minute and nothing else": {
			routing: prodRouting,
			check: func(t *testing.T, _ string, cfg *config.Config) {
				watchdog := cfg.Route.Routes[0]
				assert.Equal(t, alertmanager.ReceiverDeadMansSwitch, watchdog.Receiver)
				assert.False(t, watchdog.Continue, "the Watchdog never reaches a team's route")
				assert.Equal(t, model.Duration(0), *watchdog.GroupWait)
				assert.Equal(t, model.Duration(time.Minute), *watchdog.GroupInterval)
				assert.Equal(t, model.Duration(time.Minute), *watchdog.RepeatInterval)
				r := receiver(t, cfg, alertmanager.ReceiverDeadMansSwitch)
				assert.Empty(t, r.PagerdutyConfigs, "the switch pages when the pings stop, not the Watchdog itself")
				assert.Empty(t, r.SlackConfigs)
				assert.Empty(t, r.EmailConfigs)
				require.Len(t, r.WebhookConfigs, 1)
				wh := r.WebhookConfigs[0]
				assert.Equal(t, secretsDir+"/heartbeat-url", wh.URLFile)
				assert.Empty(t, wh.URL, "the URL carries the switch's token: it is a file under the secrets directory")
				assert.False(t, wh.SendResolved())
			},
		},
		"without the switch, the Watchdog still has its receiver, which delivers nowhere": {
			routing: func() alertmanager.Routing {
				r := prodRouting()
				r.DeadMansSwitch.Enabled = false
				return r
			},
			check: func(t *testing.T, _ string, cfg *config.Config) {
				assert.Equal(t, alertmanager.ReceiverDeadMansSwitch, cfg.Route.Routes[0].Receiver)
				assert.Empty(t, receiver(t, cfg, alertmanager.ReceiverDeadMansSwitch).WebhookConfigs)
			},
		},
		"a page inhibits its team's warnings about the same service, and the availability SLO the error_rate SLO's alerts": {
			routing: prodRouting,
			check: func(t *testing.T, _ string, cfg *config.Config) {
				require.Len(t, cfg.InhibitRules, 2)
				for _, rule := range cfg.InhibitRules {
					assert.Empty(t, rule.SourceMatch, "the deprecated source_match is not used")
					assert.Empty(t, rule.TargetMatch, "the deprecated target_match is not used")
					assert.Equal(t, []string{"cluster", "namespace", "service", "instance", "team"}, rule.Equal)
				}
				assert.Equal(t, `severity="critical"`, cfg.InhibitRules[0].SourceMatchers[0].String())
				assert.Equal(t, `severity="warning"`, cfg.InhibitRules[0].TargetMatchers[0].String())
				assert.Equal(t, `alertname=~"AvailabilitySLO(Fast|Slow)Burn"`, cfg.InhibitRules[1].SourceMatchers[0].String())
				assert.Equal(t, `alertname=~"ErrorRateSLO(Fast|Slow)Burn"`, cfg.InhibitRules[1].TargetMatchers[0].String())
			},
		},
		"critical alerts page PagerDuty through Events v2 with the alert's severity and post to the critical channel": {
			routing: prodRouting,
			check: func(t *testing.T, _ string, cfg *config.Config) {
				for name, keyFile := range map[string]string{
					"critical-alerts":   secretsDir + "/pagerduty-routing-key-default",
					"critical-payments": secretsDir + "/pagerduty-routing-key-payments",
				} {
					r := receiver(t, cfg, name)
					require.Len(t, r.PagerdutyConfigs, 1, name)
					pd := r.PagerdutyConfigs[0]
					assert.Equal(t, keyFile, pd.RoutingKeyFile, name)
					assert.Empty(t, pd.ServiceKey, "Events v1 service keys are not used")
					assert.Empty(t, pd.ServiceKeyFile)
					assert.Equal(t, "https://events.pagerduty.com/v2/enqueue", pd.URL.String())
					assert.Contains(t, pd.Severity, ".CommonLabels.severity")
					require.Len(t, r.SlackConfigs, 1, name)
					assert.Equal(t, "#alerts-critical", r.SlackConfigs[0].Channel)
				}
				assert.Equal(t, "#backend-alerts", receiver(t, cfg, "backend-team").SlackConfigs[0].Channel)
				assert.Equal(t, "#infrastructure-alerts", receiver(t, cfg, "infrastructure-team").SlackConfigs[0].Channel)
				assert.Equal(t, "product@klearkarma.com", receiver(t, cfg, "product-team").EmailConfigs[0].To)
				assert.Equal(t, "alerts@klearkarma.com", receiver(t, cfg, "default").EmailConfigs[0].To)
				assert.Contains(t, receiver(t, cfg, "product-team").EmailConfigs[0].Text, "https://grafana.klearkarma.com/d/business-metrics")
			},
		},
		"no credential is in the configuration: each one is a file under the secrets directory": {
			routing: prodRouting,
			check: func(t *testing.T, out string, cfg *config.Config) {
				assert.Empty(t, cfg.Global.SMTPAuthPassword)
				assert.Nil(t, cfg.Global.SlackAPIURL)
				files := 0
				for _, r := range cfg.Receivers {
					for _, e := range r.EmailConfigs {
						assert.Empty(t, e.AuthPassword)
						assert.Equal(t, secretsDir+"/smtp-password", e.AuthPasswordFile)
						files++
					}
					for _, s := range r.SlackConfigs {
						assert.Nil(t, s.APIURL)
						assert.Empty(t, s.AppToken)
						assert.Equal(t, secretsDir+"/slack-webhook-url", s.APIURLFile)
						files++
					}
					for _, p := range r.PagerdutyConfigs {
						assert.Empty(t, p.RoutingKey)
						assert.True(t, strings.HasPrefix(p.RoutingKeyFile, secretsDir+"/pagerduty-routing-key-"))
						files++
					}
					for _, w := range r.WebhookConfigs {
						assert.Empty(t, w.URL)
						assert.Equal(t, secretsDir+"/heartbeat-url", w.URLFile)
						files++
					}
				}
				assert.Equal(t, 10, files, "2 emails, 5 Slack posts, 2 pagers, 1 heartbeat")
				assert.NotContains(t, out, "<secret>")
			},
		},
		"the team list's order does not change the bytes": {
			routing: func() alertmanager.Routing {
				r := prodRouting()
				r.PagerDuty.Teams = []string{"payments", "backend"}
				return r
			},
			check: func(t *testing.T, out string, _ *config.Config) {
				r := prodRouting()
				r.PagerDuty.Teams = []string{"backend", "payments"}
				again, err := alertmanager.RenderConfig(r, secretsDir)
				require.NoError(t, err)
				assert.Equal(t, out, again)
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc renderCase) {
		out, cfg := render(t, tc.routing())
		tc.check(t, out, cfg)
	})
}

type badRoutingCase struct {
	routing    func(r *alertmanager.Routing)
	secretsDir string
	wantErr    string
}

func TestRenderConfigRefusesBadRouting(t *testing.T) {
	cases := map[string]badRoutingCase{
		"Slack without a channel for a route": {
			routing: func(r *alertmanager.Routing) { r.Slack.Channels.Backend = "" },
			wantErr: "routing.slack.channels.backend is empty",
		},
		"an SMTP smarthost without a port": {
			routing: func(r *alertmanager.Routing) { r.Email.Smarthost = "smtp.gmail.com" },
			wantErr: `routing.email.smarthost "smtp.gmail.com" is not host:port`,
		},
		"email without a recipient for product alerts": {
			routing: func(r *alertmanager.Routing) { r.Email.ProductTo = "" },
			wantErr: "routing.email.productTo is empty",
		},
		"PagerDuty teams while PagerDuty is off": {
			routing: func(r *alertmanager.Routing) { r.PagerDuty.Enabled = false },
			wantErr: "PagerDuty is disabled",
		},
		"a team name that cannot be a label value or a file name": {
			routing: func(r *alertmanager.Routing) { r.PagerDuty.Teams = []string{"Payments Team"} },
			wantErr: `"Payments Team" is not a team name`,
		},
		"a team called default, which is the default routing key's name": {
			routing: func(r *alertmanager.Routing) { r.PagerDuty.Teams = []string{"default"} },
			wantErr: "reserved for the default routing key",
		},
		"a Grafana URL without a scheme": {
			routing: func(r *alertmanager.Routing) { r.GrafanaURL = "grafana.klearkarma.com" },
			wantErr: "routing.grafanaURL",
		},
		"a relative secrets directory": {
			routing:    func(*alertmanager.Routing) {},
			secretsDir: "secrets",
			wantErr:    "must be an absolute path",
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc badRoutingCase) {
		r := prodRouting()
		tc.routing(&r)
		dir := tc.secretsDir
		if dir == "" {
			dir = secretsDir
		}
		_, err := alertmanager.RenderConfig(r, dir)
		require.ErrorContains(t, err, tc.wantErr)
	})
}

func TestReceiverNamesAreTheExportedConstants(t *testing.T) {
	_, cfg := render(t, prodRouting())
	var names []string
	for _, r := range cfg.Receivers {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{
		alertmanager.ReceiverDefault, alertmanager.ReceiverCritical, alertmanager.CriticalReceiver("payments"),
		alertmanager.ReceiverDeadMansSwitch, alertmanager.ReceiverBackend, alertmanager.ReceiverInfrastructure, alertmanager.ReceiverProduct, alertmanager.ReceiverPayments,
	}, names)
}
