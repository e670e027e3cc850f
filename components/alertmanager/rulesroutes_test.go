package alertmanager_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/rules"
)

// ruleLabelSet is the part of an alert's labels the route tree reads.
type ruleLabelSet struct {
	watchdog       bool
	team, severity string
	alerts         []string // the alerts that carry it, for messages
}

func (l ruleLabelSet) labels() model.LabelSet {
	ls := model.LabelSet{"team": model.LabelValue(l.team), "severity": model.LabelValue(l.severity)}
	if l.watchdog {
		ls[model.AlertNameLabel] = model.LabelValue(rules.WatchdogAlert)
	}
	return ls
}

func (l ruleLabelSet) String() string {
	s := "team=" + l.team + " severity=" + l.severity
	if l.watchdog {
		s = "alertname=" + rules.WatchdogAlert + " " + s
	}
	return s
}

// ruleLabelSets are the distinct team x severity pairs the generated rules
// produce (the Watchdog apart, since it is routed by name), sorted.
func ruleLabelSets(t *testing.T) []ruleLabelSet {
	t.Helper()
	groups, err := rules.Groups(rules.Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts", LocalRetention: 30 * 24 * time.Hour})
	require.NoError(t, err)
	byKey := map[string]*ruleLabelSet{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			require.NotEmpty(t, r.Labels["severity"], "%s has no severity", r.Alert)
			teams := []string{r.Labels["team"]}
			if teams[0] == "" {
				// The probe alerts keep the team of the probed series, which
				// the stack's probes list sets to one of the teams.
				require.Contains(t, []string{"EndpointDown", "EndpointDegraded"}, r.Alert, "%s has no team", r.Alert)
				teams = []string{rules.TeamBackend, rules.TeamInfrastructure, rules.TeamPayments, rules.TeamProduct}
			}
			for _, team := range teams {
				l := ruleLabelSet{watchdog: r.Alert == rules.WatchdogAlert, team: team, severity: r.Labels["severity"]}
				if byKey[l.String()] == nil {
					byKey[l.String()] = &l
				}
				byKey[l.String()].alerts = append(byKey[l.String()].alerts, r.Alert)
			}
		}
	}
	var out []ruleLabelSet
	for _, l := range byKey {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// integrations counts what a receiver delivers to.
func integrations(r config.Receiver) int {
	return len(r.EmailConfigs) + len(r.SlackConfigs) + len(r.PagerdutyConfigs) + len(r.WebhookConfigs) +
		len(r.OpsGenieConfigs) + len(r.PushoverConfigs) + len(r.VictorOpsConfigs) + len(r.WechatConfigs) +
		len(r.SNSConfigs) + len(r.TelegramConfigs) + len(r.DiscordConfigs) + len(r.WebexConfigs) +
		len(r.MSTeamsConfigs) + len(r.MSTeamsV2Configs) + len(r.JiraConfigs) + len(r.RocketchatConfigs) +
		len(r.IncidentioConfigs) + len(r.MattermostConfigs)
}

// wantReceiver is where the prod route tree must send a label set: the
// Watchdog to the switch; critical to PagerDuty (payments on its own key);
// warnings to the team's channel (payments included), or product's email.
func wantReceiver(l ruleLabelSet) string {
	switch {
	case l.watchdog:
		return alertmanager.ReceiverDeadMansSwitch
	case l.severity == rules.SeverityCritical && l.team == rules.TeamPayments:
		return alertmanager.CriticalReceiver(rules.TeamPayments)
	case l.severity == rules.SeverityCritical:
		return alertmanager.ReceiverCritical
	case l.team == rules.TeamBackend:
		return alertmanager.ReceiverBackend
	case l.team == rules.TeamInfrastructure:
		return alertmanager.ReceiverInfrastructure
	case l.team == rules.TeamProduct:
		return alertmanager.ReceiverProduct
	case l.team == rules.TeamPayments:
		return alertmanager.ReceiverPayments
	}
	return alertmanager.ReceiverDefault
}

// TestEveryLabelSetTheRulesProduceReachesAReceiverThatDelivers walks the
// prod route tree with Alertmanager's own dispatcher for every team x
// severity the rules produce: each lands on exactly one receiver, the
// expected one, and that receiver delivers somewhere. The Watchdog never
// reaches a page, a channel or a mailbox.
func TestEveryLabelSetTheRulesProduceReachesAReceiverThatDelivers(t *testing.T) {
	_, cfg := render(t, prodRouting())
	receivers := map[string]config.Receiver{}
	for _, r := range cfg.Receivers {
		receivers[r.Name] = r
	}
	tree := dispatch.NewRoute(cfg.Route, nil)
	sets := ruleLabelSets(t)
	require.GreaterOrEqual(t, len(sets), 6, "the rules produce several team x severity pairs")
	for _, l := range sets {
		t.Run(l.String(), func(t *testing.T) {
			matched := tree.Match(l.labels())
			require.Len(t, matched, 1, "%s (%v) matches one route", l, l.alerts)
			got := matched[0].RouteOpts.Receiver
			assert.Equal(t, wantReceiver(l), got, "%v", l.alerts)
			r, ok := receivers[got]
			require.True(t, ok, "route to undeclared receiver %q", got)
			assert.Positive(t, integrations(r), "receiver %q delivers nowhere in prod (%v)", got, l.alerts)
			if l.watchdog {
				assert.Len(t, r.WebhookConfigs, 1)
				assert.Zero(t, integrations(r)-len(r.WebhookConfigs), "the Watchdog only pings the heartbeat")
			} else {
				assert.NotEqual(t, alertmanager.ReceiverDeadMansSwitch, got, "only the Watchdog goes to the switch")
			}
		})
	}
}

// TestAmtoolRoutesEveryLabelSetTheRulesProduce is the same walk with the
// pinned amtool, against the file the pods load. Without -short it builds
// Alertmanager first if the tools cache lacks it; -short uses a cached
// build or skips.
func TestAmtoolRoutesEveryLabelSetTheRulesProduce(t *testing.T) {
	bin := livetest.Built(t, pins.Alertmanager, "amtool")
	file := writeConfig(t, prodRouting())
	for _, l := range ruleLabelSets(t) {
		t.Run(l.String(), func(t *testing.T) {
			args := []string{"config", "routes", "test", "--config.file=" + file, "--verify.receivers=" + wantReceiver(l)}
			var kv []string
			for k, v := range l.labels() {
				kv = append(kv, fmt.Sprintf("%s=%s", k, v))
			}
			slices.Sort(kv)
			got := strings.TrimSpace(amtool(t, bin, append(args, kv...)...))
			require.Equal(t, wantReceiver(l), got, "%v", l.alerts)
		})
	}
}
