package alerting

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scenarios the synthetic application plays, each on its own service
// or namespace so they run side by side on one stack. marker is how a
// notification about it is recognised: a label line of PagerDuty's
// custom_details (Alertmanager's default "firing" text lists every label)
// and a phrase of the alerts' descriptions (Slack text, email body).
type scenario struct {
	name string
	// labels pick its alerts out of a PagerDuty trigger's firing list.
	labels map[string]string
	// text is a phrase of its alerts' descriptions (Slack text, email body).
	text string
}

var (
	errorBurst   = scenario{"error burst on checkout", map[string]string{"service": "checkout"}, "checkout in klear-karma"}
	slowSearch   = scenario{"slow responses on search", map[string]string{"service": "search"}, "search in klear-karma"}
	catalogWarn  = scenario{"2% errors on catalog", map[string]string{"service": "catalog"}, "catalog in klear-karma"}
	paymentsDown = scenario{"payment failures in klear-karma", map[string]string{"namespace": "klear-karma", "team": "payments"}, "klear-karma spends the error budget of the payment_success_rate"}
	paymentsSlow = scenario{"5% payment failures in klear-karma-eu", map[string]string{"namespace": "klear-karma-eu"}, "klear-karma-eu spends"}
	lowBookings  = scenario{"low bookings in klear-karma", map[string]string{"alertname": "LowBookingRate"}, "bookings were created in klear-karma"}
	diskFilling  = scenario{"disk filling on node-a", map[string]string{"instance": "node-a"}, "on node-a is free"}
	afterKill    = scenario{"errors on profile after the kills", map[string]string{"service": "profile"}, "profile in klear-karma"}
)

const (
	ns   = "klear-karma"
	nsEU = "klear-karma-eu"
	// step is the history's sample interval: the rendered scrape interval.
	step = 30 * time.Second
)

// forState is the ALERTS_FOR_STATE series Prometheus writes for a pending
// or firing alert: its labels (the expression's and the rule's) and, as
// value, when it became active. Backfilled, it makes Prometheus restore
// the alert as firing at start-up, as after a restart.
func forState(alert map[string]string, activeAt, end time.Time) []Sample {
	lbl := map[string]string{}
	for k, v := range alert {
		lbl[k] = v
	}
	var out []Sample
	for ts := end.Add(-2 * time.Minute); ts.Before(end); ts = ts.Add(step) {
		out = append(out, Sample{Name: "ALERTS_FOR_STATE", Labels: lbl, Value: float64(activeAt.Unix()), At: ts})
	}
	return out
}

// alertPath is the running stack the alert-path tests share.
type alertPath struct {
	start    time.Time
	rc       *Receivers
	am       *Cluster
	pair     *Pair
	query    *QueryTier
	app      *App
	checkout *Target
	payments *Target
	profile  *Target
}

func startAlertPath(t *testing.T) *alertPath {
	bins := EnsureBins(t)
	r := Render(t, "prod")
	dir := t.TempDir()
	start := time.Now()
	now := start.Truncate(time.Second)
	origin := now.Add(-6*time.Hour - 10*time.Minute)
	end := now.Add(-step)
	app := NewApp(origin)
	require.NoError(t, app.Start())
	t.Cleanup(func() { _ = app.Close() })

	p := &alertPath{start: start, app: app}
	p.checkout = app.HTTPService(ns, "checkout", origin, HTTP{RPS: 20, Errors: 0.2})
	app.HTTPService(ns, "search", origin, HTTP{RPS: 20, Slow: 0.1, SlowSeconds: 3})
	catalog := app.HTTPService(ns, "catalog", origin, HTTP{RPS: 20})
	catalog.SetHTTP(now.Add(-8*time.Minute), HTTP{RPS: 20, Errors: 0.02})
	p.profile = app.HTTPService(ns, "profile", origin, HTTP{RPS: 20})
	p.payments = app.PaymentService(ns, origin, Payments{PerSecond: 5, Failed: 0.5})
	app.PaymentService(nsEU, origin, Payments{PerSecond: 5, Failed: 0.05})
	app.BookingService(ns, origin, 4)
	node := app.NodeExporter("monitoring", "node-a", origin, 100e9, 0.3)
	node.SetDisk(now.Add(-20*time.Minute), 100e9, 0.08)

	svc := func(service string) map[string]string { return map[string]string{"namespace": ns, "service": service} }
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	diskLabels := with(node.TargetLabels(app.Addr()), "device", "/dev/nvme0n1p1", "fstype", "ext4", "mountpoint", "/")
	var extra []Sample
	for _, a := range []struct {
		labels   map[string]string
		activeAt time.Time
	}{
		{with(svc("checkout"), "alertname", "HighErrorRate", "severity", "critical", "team", "backend"), origin.Add(10 * time.Minute)},
		{with(svc("checkout"), "alertname", "HighErrorRate", "severity", "warning", "team", "backend"), origin.Add(10 * time.Minute)},
		{with(svc("catalog"), "alertname", "HighErrorRate", "severity", "warning", "team", "backend"), now.Add(-7 * time.Minute)},
		{with(svc("search"), "alertname", "HighResponseTime", "severity", "warning", "team", "backend", "quantile", "0.95"), origin.Add(10 * time.Minute)},
		{map[string]string{"namespace": ns, "alertname": "HighPaymentFailureRate", "severity": "critical", "team": "payments"}, origin.Add(10 * time.Minute)},
		{map[string]string{"namespace": ns, "alertname": "LowBookingRate", "severity": "warning", "team": "product"}, origin.Add(70 * time.Minute)},
		{with(diskLabels, "alertname", "DiskSpaceLow", "severity", "critical", "team", "infrastructure"), now.Add(-19 * time.Minute)},
	} {
		extra = append(extra, forState(a.labels, a.activeAt, end)...)
	}
	blocks := Backfill(t, bins, dir, app, end, step, extra, 0)
	t.Logf("backfilled %d blocks of %s history in %s", len(blocks), end.Sub(origin), time.Since(start).Round(100*time.Millisecond))

	p.rc = StartReceivers(t, dir)
	p.am = StartAlertmanagers(t, dir, bins, r, p.rc)
	p.pair = StartPrometheus(t, dir, bins, r, app, p.am, blocks)
	p.query = StartQuery(t, dir, bins, r, p.pair)
	t.Logf("stack ready in %s", time.Since(start).Round(100*time.Millisecond))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("notifications:\n%s", p.rc.Inbox)
			for _, proc := range append(append(slices.Clone(p.am.Procs), p.pair.Proms...), p.query.Procs...) {
				t.Logf("%s log tail:\n%s", proc.Name, proc.Tail(15))
			}
		}
	})
	return p
}

func (s scenario) pd(n Notification) bool {
	if n.Kind != KindPagerDuty || n.Action != "trigger" {
		return false
	}
	for _, ls := range n.FiringLabels() {
		match := true
		for k, v := range s.labels {
			match = match && ls[k] == v
		}
		if match {
			return true
		}
	}
	return false
}

func (s scenario) slack(channel string) func(Notification) bool {
	return func(n Notification) bool {
		return n.Kind == KindSlack && n.To == channel && strings.Contains(n.Text, s.text)
	}
}

func (s scenario) mentioned(n Notification) bool {
	return s.pd(n) || (n.Kind != KindPagerDuty && strings.Contains(n.Text, s.text))
}

func TestLiveAlertPath(t *testing.T) {
	t.Parallel()
	p := startAlertPath(t)
	p.waitForFirstNotifications(t)
	t.Run("critical alerts page the owning team's routing key once per group, with severity and a description, and post to the critical channel", p.checkPages)
	t.Run("warnings reach the team's Slack channel or the product inbox as the routes say, and nothing falls through to the default inbox", p.checkWarnings)
	t.Run("inhibition silences the warnings of a service that pages, and nothing else", p.checkInhibition)
	t.Run("the HA pair's alerts reach Alertmanager as one alert each, without the replica label", p.checkHA)
	t.Run("Thanos Query returns one deduplicated series from both replicas", p.checkThanosDedup)
	after := p.killAndRecover(t)
	t.Run("resolved notifications arrive when the condition ends, once, and nothing re-opens the incident", after.checkResolves)
	t.Run("with one Prometheus replica and one Alertmanager node killed, no notification is lost and none is duplicated", after.checkKills)
	t.Logf("notifications:\n%s", p.rc.Inbox)
}

// waitForFirstNotifications waits for every scenario's first
// notification. Alerts with a `for` fire at the third evaluation
// (Prometheus restores their state after the second), 60-90 s at the
// rendered 30 s interval.
func (p *alertPath) waitForFirstNotifications(t *testing.T) {
	inbox := p.rc.Inbox
	deadline := p.start.Add(150 * time.Second)
	for _, w := range []struct {
		s     scenario
		match func(Notification) bool
	}{
		{errorBurst, errorBurst.pd}, {paymentsDown, paymentsDown.pd}, {diskFilling, diskFilling.pd},
		{slowSearch, slowSearch.slack("#backend-alerts")}, {catalogWarn, catalogWarn.slack("#backend-alerts")},
		{paymentsSlow, paymentsSlow.mentioned}, {lowBookings, lowBookings.mentioned},
	} {
		if got := inbox.WaitFor(deadline, 1, w.match); len(got) == 0 {
			t.Errorf("%s: nothing arrived within %s of the start", w.s.name, deadline.Sub(p.start).Round(time.Second))
		}
	}
	// The symptom alerts with a `for` must have fired (they join the burn
	// rates' pages) before the recovery, or their resolves are not tested.
	waitFiring(t, p.am.Web[0], deadline, map[string]string{"alertname": "HighErrorRate", "service": "checkout", "severity": "critical"})
	waitFiring(t, p.am.Web[0], deadline, map[string]string{"alertname": "HighPaymentFailureRate", "namespace": ns})
	t.Logf("phase 1 (first notifications) done at %s", time.Since(p.start).Round(time.Second))
}

func (p *alertPath) checkPages(t *testing.T) {
	inbox := p.rc.Inbox
	for _, c := range []struct {
		s    scenario
		team string
	}{{errorBurst, "backend"}, {paymentsDown, "payments"}, {diskFilling, "infrastructure"}} {
		triggers := inbox.Select(c.s.pd)
		require.NotEmpty(t, triggers, c.s.name)
		keys := map[string]bool{}
		opened := 0
		for _, n := range triggers {
			keys[n.Key] = true
			assert.Equal(t, RoutingKey(c.team), n.To, "%s pages %s's routing key", c.s.name, c.team)
			assert.Equal(t, "critical", n.Severity, c.s.name)
			assert.NotEmpty(t, strings.TrimSpace(n.Summary), c.s.name)
			if n.Opened {
				opened++
			}
		}
		assert.Len(t, keys, 1, "%s: one alert group, one PagerDuty incident, got dedup keys %v", c.s.name, keys)
		assert.Equal(t, 1, opened, "%s: exactly one PagerDuty incident opened", c.s.name)
		assertNoDuplicates(t, c.s.name, triggers)

		posts := inbox.Select(c.s.slack("#alerts-critical"))
		assert.NotEmpty(t, posts, "%s posts to #alerts-critical", c.s.name)
		assertNoDuplicates(t, c.s.name+" in #alerts-critical", posts)
	}
	for _, n := range inbox.Select(func(n Notification) bool { return n.Kind == KindSlack && n.To == "#alerts-critical" }) {
		assert.NotEmpty(t, strings.TrimSpace(firstLine(n.Text)), "every critical post has a description: %q", n.Text)
	}
}

func (p *alertPath) checkWarnings(t *testing.T) {
	inbox := p.rc.Inbox
	assert.Len(t, inbox.Select(and(slowSearch.slack("#backend-alerts"), titled("HighResponseTime"))), 1, "slow search: HighResponseTime once in #backend-alerts")
	assert.Len(t, inbox.Select(and(slowSearch.slack("#backend-alerts"), titled("LatencySLOSlowBurn"))), 1, "slow search: LatencySLOSlowBurn once in #backend-alerts")
	assert.Len(t, inbox.Select(and(catalogWarn.slack("#backend-alerts"), titled("HighErrorRate"))), 1, "catalog: the HighErrorRate warning once in #backend-alerts")
	assert.Len(t, inbox.Select(paymentsSlow.slack("#payments-alerts")), 1, "klear-karma-eu: PaymentSuccessSLOSlowBurn once in #payments-alerts")
	mails := inbox.Select(func(n Notification) bool { return n.Kind == KindEmail && strings.Contains(n.Text, lowBookings.text) })
	if assert.Len(t, mails, 1, "low bookings: one email") {
		assert.Equal(t, "product@klearkarma.com", mails[0].To)
		assert.Contains(t, mails[0].Text, "Dashboard: https://grafana.klearkarma.com/d/")
	}
	assert.Contains(t, p.rc.SMTP.Auths(), "alerts@klearkarma.com:"+SMTPPassword, "the mail went through AUTH with the rendered username and the mounted password")
	for _, s := range []scenario{slowSearch, catalogWarn, paymentsSlow, lowBookings} {
		assert.Empty(t, inbox.Select(s.pd), "%s is a warning and pages nobody", s.name)
	}
	assert.Empty(t, inbox.Select(func(n Notification) bool { return n.Kind == KindEmail && n.To == "alerts@klearkarma.com" }),
		"no alert falls through to the default inbox")
}

func (p *alertPath) checkInhibition(t *testing.T) {
	inbox := p.rc.Inbox
	alerts, err := Alerts(p.am.Web[0])
	require.NoError(t, err)
	state := map[string]string{}
	for _, a := range alerts {
		key := a.Labels["alertname"] + "/" + a.Labels["severity"] + "/" + a.Labels["namespace"] + "/" + a.Labels["service"]
		state[key] = a.Status.State
	}
	for key, want := range map[string]string{
		"HighErrorRate/critical/" + ns + "/checkout":           "active",
		"AvailabilitySLOFastBurn/critical/" + ns + "/checkout": "active",
		"HighErrorRate/warning/" + ns + "/checkout":            "suppressed",
		"AvailabilitySLOSlowBurn/warning/" + ns + "/checkout":  "suppressed",
		"ErrorRateSLOFastBurn/critical/" + ns + "/checkout":    "suppressed",
		"ErrorRateSLOSlowBurn/warning/" + ns + "/checkout":     "suppressed",
		"HighPaymentFailureRate/critical/" + ns + "/":          "active",
		"PaymentSuccessSLOSlowBurn/warning/" + ns + "/":        "suppressed",
		"PaymentSuccessSLOSlowBurn/warning/" + nsEU + "/":      "active",
		"HighErrorRate/warning/" + ns + "/catalog":             "active",
		"HighResponseTime/warning/" + ns + "/search":           "active",
	} {
		assert.Equal(t, want, state[key], key)
	}
	assert.Empty(t, inbox.Select(errorBurst.slack("#backend-alerts")), "checkout's warnings are inhibited by its page")
	assert.Empty(t, inbox.Select(and(errorBurst.slack("#alerts-critical"), titled("ErrorRateSLOFastBurn"))), "the error_rate SLO's page is inhibited by availability's, on the same SLI")
	assert.Empty(t, inbox.Select(func(n Notification) bool {
		return n.Kind == KindSlack && n.To == "#payments-alerts" && strings.Contains(n.Text, "in klear-karma spends")
	}), "klear-karma's payment ticket is inhibited by its page")
}

func (p *alertPath) checkHA(t *testing.T) {
	for _, web := range p.am.Web {
		alerts, err := Alerts(web)
		require.NoError(t, err)
		seen := map[string]bool{}
		for _, a := range alerts {
			assert.NotContains(t, a.Labels, "replica", "%v", a.Labels)
			assert.Equal(t, "klearkarma-prod", a.Labels["cluster"])
			assert.False(t, seen[a.Fingerprint])
			seen[a.Fingerprint] = true
		}
	}
}

func (p *alertPath) checkThanosDedup(t *testing.T) {
	expr := `up{job="kubernetes-pods", service="checkout"}`
	raw, err := Query(p.query.URL, expr, url.Values{"dedup": {"false"}})
	require.NoError(t, err)
	var replicas []string
	for _, s := range raw {
		replicas = append(replicas, s.Metric["replica"])
	}
	sort.Strings(replicas)
	assert.Equal(t, []string{"prometheus-0", "prometheus-1"}, replicas, "both replicas' series, told apart by ${POD_NAME}")
	dedup, err := Query(p.query.URL, expr, url.Values{"dedup": {"true"}})
	require.NoError(t, err)
	if assert.Len(t, dedup, 1) {
		assert.NotContains(t, dedup[0].Metric, "replica")
		assert.Equal(t, "klearkarma-prod", dedup[0].Metric["cluster"])
	}
}

// afterKills is what the checks after phase 2 compare against.
type afterKills struct {
	p                        *alertPath
	killAt                   time.Time
	survivor                 string
	checkoutKey, paymentsKey string
}

func resolvedKey(key string) func(Notification) bool {
	return func(n Notification) bool { return n.Kind == KindPagerDuty && n.Action == "resolve" && n.Key == key }
}

// killAndRecover kills one Prometheus replica and the Alertmanager node
// that sends (cluster position 0), then ends two incidents and starts one,
// and waits for their notifications.
func (p *alertPath) killAndRecover(t *testing.T) *afterKills {
	inbox := p.rc.Inbox
	// A node killed within milliseconds of a send takes that send's
	// notification-log entry with it before gossiping it, and the next
	// position sends again one peer timeout later: Alertmanager delivers
	// at least once (seen live when the kill followed the last first page
	// at once; PagerDuty dedups it by key, Slack posts twice). Phase 1 ends
	// on a send, so let a few gossip rounds (200 ms each) pass first.
	time.Sleep(2 * time.Second)
	a := &afterKills{p: p, killAt: time.Now(), checkoutKey: firstKey(t, inbox, errorBurst), paymentsKey: firstKey(t, inbox, paymentsDown)}
	p.pair.Proms[1].Kill()
	p.pair.Sidecars[1].Kill()
	sender := positionZero(t, p.am)
	p.am.Procs[sender].Kill()
	a.survivor = p.am.Web[(sender+1)%len(p.am.Web)]
	t.Logf("killed prometheus-1 and alertmanager-%d (cluster position 0) at %s", sender, a.killAt.Sub(p.start).Round(time.Second))
	now := time.Now()
	// A flood of successful requests (or payments) brings every ratio under
	// its threshold, the 6h ones too, at the next scrape; a flood of errors
	// on a healthy service fires its burn-rate page (no `for`) at the next
	// evaluation.
	p.checkout.SetHTTP(now, HTTP{RPS: 1e8})
	p.payments.SetPayments(now, Payments{PerSecond: 1e8})
	p.profile.SetHTTP(now, HTTP{RPS: 1e8, Errors: 1})
	deadline := time.Now().Add(200 * time.Second)
	last := time.Now()
	for _, match := range []func(Notification) bool{resolvedKey(a.checkoutKey), resolvedKey(a.paymentsKey), afterKill.pd} {
		if got := inbox.WaitFor(deadline, 1, match); len(got) > 0 && got[0].At.After(last) {
			last = got[0].At
		}
	}
	// A lagging peer would send its stale copy up to (replicas-1) peer
	// timeouts after the resolve it missed; watch that long and a little
	// more from the last resolve or page.
	time.Sleep(time.Until(last.Add(35 * time.Second)))
	t.Logf("phase 2 (kills, resolves, a new page) done at %s", time.Since(p.start).Round(time.Second))
	return a
}

func (a *afterKills) checkResolves(t *testing.T) {
	inbox := a.p.rc.Inbox
	checkoutKey, paymentsKey, resolved := a.checkoutKey, a.paymentsKey, resolvedKey
	for _, c := range []struct {
		name, key string
	}{{errorBurst.name, checkoutKey}, {paymentsDown.name, paymentsKey}} {
		res := inbox.Select(resolved(c.key))
		assert.Len(t, res, 1, "%s: one resolve", c.name)
		if len(res) == 0 {
			continue
		}
		assert.False(t, strings.HasSuffix(strings.TrimSpace(res[0].Summary), ":"), "%s: the resolve names what ended: %q", c.name, res[0].Summary)
		for _, n := range inbox.Select(func(n Notification) bool { return n.Kind == KindPagerDuty && n.Key == c.key && n.Action == "trigger" }) {
			assert.True(t, n.At.Before(res[0].At), "%s: a trigger at %s after the resolve at %s re-opens the incident", c.name, n.At.Format(time.TimeOnly), res[0].At.Format(time.TimeOnly))
		}
	}
}

func (a *afterKills) checkKills(t *testing.T) {
	inbox, p, killAt, survivor := a.p.rc.Inbox, a.p, a.killAt, a.survivor
	pages := inbox.Select(afterKill.pd)
	require.NotEmpty(t, pages, "the page that started after the kills arrived")
	opened := 0
	for _, n := range pages {
		assert.True(t, n.At.After(killAt))
		assert.Equal(t, RoutingKey("backend"), n.To)
		if n.Opened {
			opened++
		}
	}
	assert.Equal(t, 1, opened, "one incident for the new page")
	assertNoDuplicates(t, afterKill.name, pages)
	assertNoDuplicates(t, "all PagerDuty events", inbox.Select(func(n Notification) bool { return n.Kind == KindPagerDuty }))
	assertNoDuplicates(t, "all Slack posts", inbox.Select(func(n Notification) bool { return n.Kind == KindSlack }))
	st, err := clusterStatus(survivor)
	require.NoError(t, err)
	assert.Equal(t, len(p.am.Web)-1, len(st.Peers), "the cluster noticed the dead node")
}

// assertNoDuplicates fails when two notifications to one place carry the
// same content: a second copy of one state of one group.
func assertNoDuplicates(t *testing.T, what string, got []Notification) {
	t.Helper()
	seen := map[string]time.Time{}
	for _, n := range got {
		firing := fmt.Sprint(n.Details["firing"])
		id := strings.Join([]string{n.Kind, n.To, n.Action, n.Key, n.Summary, n.Text, firing}, "\x00")
		if at, dup := seen[id]; dup {
			t.Errorf("%s: %s to %s at %s repeats the one at %s (%s %q)", what, n.Kind, n.To, n.At.Format("15:04:05.000"), at.Format("15:04:05.000"), n.Action, n.Summary)
		}
		seen[id] = n.At
	}
}

// firstKey is the dedup key of a scenario's first page, or fails the test.
func firstKey(t *testing.T, inbox *Inbox, s scenario) string {
	t.Helper()
	got := inbox.Select(s.pd)
	if len(got) == 0 {
		t.Fatalf("%s never paged", s.name)
	}
	return got[0].Key
}

func and(fs ...func(Notification) bool) func(Notification) bool {
	return func(n Notification) bool {
		for _, f := range fs {
			if !f(n) {
				return false
			}
		}
		return true
	}
}

func titled(alertname string) func(Notification) bool {
	return func(n Notification) bool { return strings.Contains(n.Summary, alertname) }
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// waitFiring waits until a node lists an active alert with these labels.
func waitFiring(t *testing.T, web string, deadline time.Time, labels map[string]string) {
	t.Helper()
	for {
		alerts, err := Alerts(web)
		if err == nil {
			for _, a := range alerts {
				match := a.Status.State == "active"
				for k, v := range labels {
					match = match && a.Labels[k] == v
				}
				if match {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no active alert %v at %s by %s (err %v)", labels, web, deadline.Format(time.TimeOnly), err)
		}
		time.Sleep(time.Second)
	}
}

type amStatus struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Peers  []struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"peers"`
}

func clusterStatus(web string) (amStatus, error) {
	var s struct {
		Cluster amStatus `json:"cluster"`
	}
	err := getJSON(web+"/api/v2/status", &s)
	return s.Cluster, err
}

// positionZero is the node Alertmanager puts first: the lowest peer name,
// the one that notifies without waiting for its peers.
func positionZero(t *testing.T, c *Cluster) int {
	t.Helper()
	names := map[string]int{}
	for i, web := range c.Web {
		st, err := clusterStatus(web)
		require.NoError(t, err)
		names[st.Name] = i
	}
	all := make([]string, 0, len(names))
	for n := range names {
		all = append(all, n)
	}
	sort.Strings(all)
	require.NotEmpty(t, all, fmt.Sprint(c.Web))
	return names[all[0]]
}
