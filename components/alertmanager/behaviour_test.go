package alertmanager_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/alert"
	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/alertmanager/template"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/rules"
)

// alertLabels are an alert's labels as Alertmanager receives them.
func alertLabels(kv ...string) model.LabelSet {
	ls := model.LabelSet{"cluster": "klearkarma-prod"}
	for i := 0; i+1 < len(kv); i += 2 {
		ls[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
	}
	return ls
}

// page and warn are alerts of the backend team on a service of klear-karma.
func page(alertname, service string) model.LabelSet {
	return alertLabels("alertname", alertname, "severity", "critical", "team", "backend", "namespace", "klear-karma", "service", service)
}

func warn(alertname, service string) model.LabelSet {
	return alertLabels("alertname", alertname, "severity", "warning", "team", "backend", "namespace", "klear-karma", "service", service)
}

// group is the receiver and the group labels the route tree puts an alert in.
func group(t *testing.T, cfg *config.Config, ls model.LabelSet) (string, model.LabelSet) {
	t.Helper()
	routes := dispatch.NewRoute(cfg.Route, nil).Match(ls)
	require.Len(t, routes, 1, "%v", ls)
	r := routes[0]
	g := model.LabelSet{}
	for name := range r.RouteOpts.GroupBy {
		if v, ok := ls[name]; ok {
			g[name] = v
		}
	}
	return r.RouteOpts.Receiver, g
}

func TestOneIncidentIsOnePagerDutyIncident(t *testing.T) {
	_, cfg := render(t, prodRouting())
	rcv, burst := group(t, cfg, page("HighErrorRate", "checkout"))
	for _, other := range []model.LabelSet{page("AvailabilitySLOFastBurn", "checkout"), page("ErrorRateSLOFastBurn", "checkout"), page("LatencySLOFastBurn", "checkout")} {
		r, g := group(t, cfg, other)
		assert.Equal(t, rcv, r)
		assert.Equal(t, burst, g, "%s joins the 5xx symptom's group, so its page is the same PagerDuty incident (one dedup key)", other["alertname"])
	}
	_, elsewhere := group(t, cfg, page("HighErrorRate", "catalog"))
	assert.NotEqual(t, burst, elsewhere, "another service is another incident")
	_, eu := group(t, cfg, alertLabels("alertname", "PaymentSuccessSLOSlowBurn", "severity", "warning", "team", "payments", "namespace", "klear-karma-eu"))
	_, home := group(t, cfg, alertLabels("alertname", "PaymentSuccessSLOSlowBurn", "severity", "warning", "team", "payments", "namespace", "klear-karma"))
	assert.NotEqual(t, eu, home, "two namespaces' warnings never share a notification")
}

// inhibits reports whether Alertmanager's inhibit rules let a firing
// source silence target: some rule's source matchers select source, its
// target matchers target, and the two agree on the rule's equal labels (a
// label neither has counts as equal), source not being one of its own
// targets when it matches both sides.
func inhibits(cfg *config.Config, source, target model.LabelSet) bool {
	for _, r := range cfg.InhibitRules {
		src, tgt := labels.Matchers(r.SourceMatchers), labels.Matchers(r.TargetMatchers)
		if !src.Matches(source) || !tgt.Matches(target) || tgt.Matches(source) {
			continue
		}
		equal := true
		for _, l := range r.Equal {
			equal = equal && source[model.LabelName(l)] == target[model.LabelName(l)]
		}
		if equal {
			return true
		}
	}
	return false
}

func TestTheInhibitRulesSilenceWhatOneIncidentAlsoRaisesAndNothingElse(t *testing.T) {
	_, cfg := render(t, prodRouting())
	payments := func(alertname, severity, ns string) model.LabelSet {
		return alertLabels("alertname", alertname, "severity", severity, "team", "payments", "namespace", ns)
	}
	cases := map[string]struct {
		source, target model.LabelSet
		want           bool
	}{
		"HighErrorRate's page silences its own warning tier on the same service": {
			page("HighErrorRate", "checkout"), warn("HighErrorRate", "checkout"), true},
		"the availability burn-rate page silences the HighErrorRate warning on the same service": {
			page("AvailabilitySLOFastBurn", "checkout"), warn("HighErrorRate", "checkout"), true},
		"the HighErrorRate page silences the SLO ticket on the same service": {
			page("HighErrorRate", "checkout"), warn("AvailabilitySLOSlowBurn", "checkout"), true},
		"the availability page silences the error_rate page, which measures the same 5xx": {
			page("AvailabilitySLOFastBurn", "checkout"), page("ErrorRateSLOFastBurn", "checkout"), true},
		"the availability ticket silences the error_rate ticket": {
			warn("AvailabilitySLOSlowBurn", "checkout"), warn("ErrorRateSLOSlowBurn", "checkout"), true},
		"a payment page silences the payment ticket of its namespace": {
			payments("HighPaymentFailureRate", "critical", "klear-karma"), payments("PaymentSuccessSLOSlowBurn", "warning", "klear-karma"), true},
		"a page on checkout leaves catalog's warning alone": {
			page("HighErrorRate", "checkout"), warn("HighErrorRate", "catalog"), false},
		"a payment page leaves another namespace's payment ticket alone": {
			payments("HighPaymentFailureRate", "critical", "klear-karma"), payments("PaymentSuccessSLOSlowBurn", "warning", "klear-karma-eu"), false},
		"a payment page leaves the product team's low-bookings warning alone": {
			payments("HighPaymentFailureRate", "critical", "klear-karma"),
			alertLabels("alertname", "LowBookingRate", "severity", "warning", "team", "product", "namespace", "klear-karma"), false},
		"a node's disk page leaves a pod's memory warning alone": {
			alertLabels("alertname", "DiskSpaceLow", "severity", "critical", "team", "infrastructure", "namespace", "monitoring", "instance", "node-a", "job", "node-exporter"),
			alertLabels("alertname", "HighMemoryUsage", "severity", "warning", "team", "infrastructure", "namespace", "monitoring", "pod", "grafana-0", "container", "grafana"), false},
		"a warning never silences a page": {
			warn("AvailabilitySLOSlowBurn", "checkout"), page("HighErrorRate", "checkout"), false},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc struct {
		source, target model.LabelSet
		want           bool
	}) {
		assert.Equal(t, tc.want, inhibits(cfg, tc.source, tc.target))
	})
}

func TestEveryInhibitRuleSelectsGeneratedAlertsOnBothSides(t *testing.T) {
	_, cfg := render(t, prodRouting())
	groups, err := rules.Groups(rules.Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts", LocalRetention: rules.LongestWindow()})
	require.NoError(t, err)
	var alerts []model.LabelSet
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert != "" {
				alerts = append(alerts, alertLabels("alertname", r.Alert, "severity", r.Labels["severity"], "team", r.Labels["team"],
					"namespace", "klear-karma", "service", "checkout"))
			}
		}
	}
	for i, r := range cfg.InhibitRules {
		found := false
		for _, s := range alerts {
			for _, tg := range alerts {
				found = found || (s["alertname"] != tg["alertname"] || s["severity"] != tg["severity"]) && inhibits(cfg, s, tg)
			}
		}
		assert.True(t, found, "inhibit rule %d (%v -> %v) silences no generated alert with another", i, r.SourceMatchers, r.TargetMatchers)
	}
}

// notify renders a receiver's texts for a group of firing alerts as
// Alertmanager does at a notification.
func notify(t *testing.T, text string, groupLabels model.LabelSet, ls ...model.LabelSet) string {
	t.Helper()
	tmpl, err := template.FromGlobs(nil)
	require.NoError(t, err)
	tmpl.ExternalURL = &url.URL{Scheme: "http", Host: "alertmanager.monitoring.svc:9093"}
	var as []*alert.Alert
	for i, l := range ls {
		as = append(as, alert.New(model.Alert{Labels: l, StartsAt: time.Now().Add(-time.Minute), EndsAt: time.Now().Add(time.Hour),
			Annotations: model.LabelSet{
				"summary":     "summary " + model.LabelValue(l["alertname"]),
				"description": model.LabelValue(strings.Repeat("x", i+1)) + " of " + l["alertname"] + " on " + l["service"],
				"runbook_url": "https://runbooks.klearkarma.com/alerts/" + model.LabelValue(strings.ToLower(string(l["alertname"]))),
			}}, time.Now(), false))
	}
	out, err := tmpl.ExecuteTextString(text, tmpl.Data("critical-backend", groupLabels, nil, "", as...))
	require.NoError(t, err)
	return out
}

func TestAResolveOfAnIncidentOfTwoAlertsNamesThem(t *testing.T) {
	_, cfg := render(t, prodRouting())
	a, b := page("AvailabilitySLOFastBurn", "checkout"), page("HighErrorRate", "checkout")
	_, g := group(t, cfg, a)
	pd := receiver(t, cfg, alertmanager.ReceiverCritical).PagerdutyConfigs[0]
	tmpl, err := template.FromGlobs(nil)
	require.NoError(t, err)
	tmpl.ExternalURL = &url.URL{Scheme: "http", Host: "alertmanager.monitoring.svc:9093"}
	ended := time.Now().Add(-time.Minute)
	var as []*alert.Alert
	for _, l := range []model.LabelSet{a, b} {
		as = append(as, alert.New(model.Alert{Labels: l, StartsAt: ended.Add(-time.Hour), EndsAt: ended}, time.Now(), false))
	}
	out, err := tmpl.ExecuteTextString(pd.Description, tmpl.Data("critical-backend", g, nil, "", as...))
	require.NoError(t, err)
	assert.Equal(t, "checkout in klear-karma: AvailabilitySLOFastBurn, HighErrorRate", out)
}

func TestAPagesTextsNameEveryFiringAlertAndItsDescription(t *testing.T) {
	_, cfg := render(t, prodRouting())
	a, b := page("AvailabilitySLOFastBurn", "checkout"), page("HighErrorRate", "checkout")
	_, g := group(t, cfg, a)
	crit := receiver(t, cfg, alertmanager.ReceiverCritical)
	pd, sl := crit.PagerdutyConfigs[0], crit.SlackConfigs[0]

	assert.Equal(t, "checkout in klear-karma: AvailabilitySLOFastBurn, HighErrorRate", notify(t, pd.Description, g, a, b),
		"PagerDuty's summary says where and what")
	assert.Equal(t, "critical", notify(t, pd.Severity, g, a, b))
	text := notify(t, sl.Text, g, a, b)
	assert.Contains(t, text, "x of AvailabilitySLOFastBurn on checkout")
	assert.Contains(t, text, "xx of HighErrorRate on checkout", "two descriptions that differ are both in the post (their common annotation is empty)")
	assert.Contains(t, text, "Runbook: https://runbooks.klearkarma.com/alerts/higherrorrate")
	assert.Equal(t, "Critical Alert: AvailabilitySLOFastBurn, HighErrorRate", notify(t, sl.Title, g, a, b))
	assert.Equal(t, "Critical Alert: HighErrorRate", notify(t, sl.Title, g, b, b), "one name when the alerts share it")
	assert.Contains(t, notify(t, pd.Details["description"].(string), g, a, b), "xx of HighErrorRate on checkout")

	product := receiver(t, cfg, alertmanager.ReceiverProduct).EmailConfigs[0]
	low := alertLabels("alertname", "LowBookingRate", "severity", "warning", "team", "product", "namespace", "klear-karma")
	assert.True(t, slices.ContainsFunc(strings.Split(notify(t, product.Text, model.LabelSet{"alertname": "LowBookingRate"}, low), "\n"),
		func(l string) bool { return strings.HasPrefix(l, "x of LowBookingRate") }), "the product email carries the description")
}
