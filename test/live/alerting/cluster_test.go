package alerting

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routeTimings are the rendered route's timings for a label set and the
// rendered nodes' peer timeout.
type routeTimings struct {
	groupWait, groupInterval, repeat, peerTimeout time.Duration
}

func timingsFor(t *testing.T, r *Rendered, labels map[string]string) routeTimings {
	t.Helper()
	cfg, err := config.Load(r.AlertmanagerConfig)
	require.NoError(t, err)
	ls := model.LabelSet{}
	for k, v := range labels {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	routes := dispatch.NewRoute(cfg.Route, nil).Match(ls)
	require.Len(t, routes, 1, "one route takes %v", labels)
	o := routes[0].RouteOpts
	pt := 15 * time.Second // Alertmanager's default
	if v, ok := Flag(r.Container(t, "alertmanager", "alertmanager"), "cluster.peer-timeout"); ok {
		d, err := model.ParseDuration(v)
		require.NoError(t, err)
		pt = time.Duration(d)
	}
	return routeTimings{groupWait: o.GroupWait, groupInterval: o.GroupInterval, repeat: o.RepeatInterval, peerTimeout: pt}
}

// sender plays the Prometheus HA pair towards every node of the cluster:
// it posts the same alerts to all of them at once and re-posts them at
// every evaluation, as Prometheus does (firing alerts end 4 resend delays
// out; a resolved alert carries its resolution time).
type sender struct {
	mu     sync.Mutex
	nodes  []string
	alerts map[string]PostableAlert
	stop   chan struct{}
	errs   []error
}

func newSender(nodes []string) *sender {
	return &sender{nodes: nodes, alerts: map[string]PostableAlert{}, stop: make(chan struct{})}
}

func (s *sender) fire(service string, at time.Time) {
	s.mu.Lock()
	s.alerts[service] = PostableAlert{
		Labels: map[string]string{"alertname": "HighErrorRate", "severity": "critical", "team": "backend",
			"cluster": "klearkarma-prod", "namespace": ns, "service": service},
		Annotations: map[string]string{"summary": "High HTTP error rate",
			"description": "20% of HTTP requests to " + service + " in " + ns + " failed with a 5xx status over the last 5 minutes (threshold 5%).",
			"runbook_url": "https://runbooks.klearkarma.com/alerts/higherrorrate"},
		StartsAt: at, EndsAt: at.Add(4 * time.Minute), GeneratorURL: "http://prometheus-0:9090/graph",
	}
	s.mu.Unlock()
	s.post()
}

func (s *sender) resolve(service string, at time.Time) {
	s.mu.Lock()
	a := s.alerts[service]
	a.EndsAt = at
	s.alerts[service] = a
	s.mu.Unlock()
	s.post()
}

// post sends every alert to every node concurrently.
func (s *sender) post() {
	s.mu.Lock()
	var batch []PostableAlert
	now := time.Now()
	for k, a := range s.alerts {
		if a.EndsAt.After(now) {
			a.EndsAt = now.Add(4 * time.Minute)
			s.alerts[k] = a
		}
		batch = append(batch, a)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, n := range s.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := PostAlerts(n, batch); err != nil {
				s.mu.Lock()
				s.errs = append(s.errs, err)
				s.mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func (s *sender) every(d time.Duration) {
	go func() {
		tick := time.NewTicker(d)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.post()
			}
		}
	}()
}

// TestLiveAlertmanagerClusterSendsOneResolveWhenItLandsBetweenPeerFlushes
// runs the rendered three-node cluster and resolves two alert groups while
// the peers that did not send are still waiting their turn (position x
// peer timeout) with the pre-resolve state in hand: one just after the
// sender's flush, one between the second and third node's checks. Each
// group must reach PagerDuty as one trigger and one resolve, and Slack once;
// with a group interval shorter than the peers' wait, the waiting peers
// send the stale state after the resolve and open a second incident.
func TestLiveAlertmanagerClusterSendsOneResolveWhenItLandsBetweenPeerFlushes(t *testing.T) {
	t.Parallel()
	bins := EnsureBins(t)
	r := Render(t, "prod")
	require.GreaterOrEqual(t, r.Replicas["alertmanager"], 3, "the prod cluster has three nodes")
	tm := timingsFor(t, r, map[string]string{"severity": "critical", "team": "backend", "alertname": "HighErrorRate", "cluster": "klearkarma-prod", "namespace": ns, "service": "orders"})
	t.Logf("rendered critical route: group_wait %s, group_interval %s, repeat_interval %s; peer timeout %s", tm.groupWait, tm.groupInterval, tm.repeat, tm.peerTimeout)
	dir := t.TempDir()
	rc := StartReceivers(t, dir)
	am := StartAlertmanagers(t, dir, bins, r, rc)
	inbox := rc.Inbox

	s := newSender(am.Web)
	defer close(s.stop)
	t0 := time.Now()
	for _, svc := range []string{"orders", "invoices", "carts"} {
		s.fire(svc, t0)
	}
	s.every(30 * time.Second)
	pd := func(service, action string) func(Notification) bool {
		return func(n Notification) bool {
			if n.Kind != KindPagerDuty || n.Action != action {
				return false
			}
			if action == "resolve" {
				return true
			}
			for _, ls := range n.FiringLabels() {
				if ls["service"] == service {
					return true
				}
			}
			return false
		}
	}
	first := inbox.WaitFor(t0.Add(tm.groupWait+3*tm.peerTimeout+30*time.Second), 1, pd("orders", "trigger"))
	require.NotEmpty(t, first, "the first page arrived")
	flush := first[0].At // the sender's flush; the peers flush with it and check later
	t.Logf("first page %s after the post", flush.Sub(t0).Round(time.Millisecond))

	// orders resolves half a peer timeout after the sender's flush (before
	// the second node checks), invoices one and a half (between the second
	// and the third node's checks); carts keeps firing.
	time.Sleep(time.Until(flush.Add(tm.peerTimeout / 2)))
	s.resolve("orders", time.Now())
	time.Sleep(time.Until(flush.Add(3 * tm.peerTimeout / 2)))
	s.resolve("invoices", time.Now())

	// The resolve goes out at the sender's next flush; the peers check
	// theirs up to (nodes-1) peer timeouts later. Watch past that.
	nodes := time.Duration(len(am.Web))
	watchUntil := flush.Add(tm.groupInterval + nodes*tm.peerTimeout + 10*time.Second)
	time.Sleep(time.Until(watchUntil))
	t.Logf("watched %s after the post", time.Since(t0).Round(time.Second))
	t.Logf("notifications:\n%s", inbox)
	require.Empty(t, s.errs)

	for _, svc := range []string{"orders", "invoices"} {
		triggers := inbox.Select(pd(svc, "trigger"))
		assert.Len(t, triggers, 1, "%s: one trigger", svc)
		if len(triggers) == 0 {
			continue
		}
		key := triggers[0].Key
		var resolves []Notification
		for _, n := range inbox.Select(pd(svc, "resolve")) {
			if n.Key == key {
				resolves = append(resolves, n)
			}
		}
		assert.Len(t, resolves, 1, "%s: one resolve", svc)
		opened := 0
		for _, n := range inbox.Select(func(n Notification) bool { return n.Kind == KindPagerDuty && n.Key == key && n.Action == "trigger" }) {
			if n.Opened {
				opened++
			}
		}
		assert.Equal(t, 1, opened, "%s: one incident; a trigger after the resolve opens another", svc)
		posts := inbox.Select(func(n Notification) bool {
			return n.Kind == KindSlack && n.To == "#alerts-critical" && strings.Contains(n.Text, svc+" in "+ns)
		})
		assert.Len(t, posts, 1, "%s: one post in #alerts-critical", svc)
	}
	assert.Len(t, inbox.Select(pd("carts", "trigger")), 1, "carts, still firing: one trigger, no repeat within the repeat interval")
}
