package incident_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/klearkarma/observability/internal/incident"
)

// opened is the fixed clock of every test: 2026-03-14 09:30:12 UTC.
var opened = time.Date(2026, 3, 14, 9, 30, 12, 0, time.UTC)

const wantID = "incident-20260314-0930"

// env is one test's fakes.
type env struct {
	slack *fakeSlack
	pd    *fakePagerDuty
	prom  *fakePrometheus
	kube  *fake.Clientset
	// logOpts are the PodLogOptions of every log request, by pod/container.
	logOpts map[string]corev1.PodLogOptions
	out     string
}

func pod(ns, name string, lbl map[string]string, phase corev1.PodPhase, statuses ...corev1.ContainerStatus) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: lbl, CreationTimestamp: metav1.NewTime(opened.Add(-2 * time.Hour))},
		Spec:       corev1.PodSpec{NodeName: "node-1"},
		Status:     corev1.PodStatus{Phase: phase, ContainerStatuses: statuses},
	}
	for _, s := range statuses {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: s.Name, Image: "example/" + s.Name})
	}
	if phase == corev1.PodRunning {
		ready := corev1.ConditionTrue
		for _, s := range statuses {
			if !s.Ready {
				ready = corev1.ConditionFalse
			}
		}
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: ready}}
	}
	return p
}

func running(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}
}

func crashLooping(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, RestartCount: 7, State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}}
}

func waiting(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}
}

func event(ns, name, reason string, at time.Time) *corev1.Event {
	return &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Namespace: ns, Name: name},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "api-7d9f-abcde", Namespace: ns},
		Reason:         reason, Message: reason + " happened", Type: corev1.EventTypeWarning, Count: 3,
		LastTimestamp: metav1.NewTime(at),
	}
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{
		slack: newFakeSlack(t), pd: newFakePagerDuty(t), prom: newFakePrometheus(t),
		logOpts: map[string]corev1.PodLogOptions{}, out: t.TempDir(),
	}
	e.kube = fake.NewClientset(
		pod("klear-karma", "api-7d9f-abcde", map[string]string{"app": "api"}, corev1.PodRunning, running("api"), crashLooping("sidecar")),
		pod("klear-karma", "web-55c4-fghij", map[string]string{"app": "web"}, corev1.PodRunning, running("web")),
		pod("klear-karma", "worker-1-klmno", map[string]string{"app": "worker"}, corev1.PodPending, waiting("worker")),
		pod("monitoring", "prometheus-0", map[string]string{"app": "prometheus"}, corev1.PodRunning, running("prometheus")),
		event("klear-karma", "recent", "BackOff", opened.Add(-5*time.Minute)),
		event("klear-karma", "old", "Pulled", opened.Add(-3*time.Hour)),
	)
	e.kube.PrependReactor("get", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetSubresource() != "log" {
			return false, nil, nil
		}
		ga := a.(k8stesting.GenericAction)
		opts := ga.GetValue().(*corev1.PodLogOptions)
		// GetLogs does not carry the pod's name in the action; the options
		// and namespace are what the test checks, keyed by container.
		key := a.GetNamespace() + "/" + opts.Container
		if opts.Previous {
			key += "/previous"
		}
		e.logOpts[key] = *opts
		return true, &runtime.Unknown{Raw: []byte("2026-03-14T09:29:59Z log line of " + key + "\n")}, nil
	})
	return e
}

func (e *env) config() incident.Config {
	return incident.Config{
		Slack: incident.SlackConfig{
			APIURL: e.slack.url(), BotToken: "xoxb-test-token", AnnounceChannel: "#alerts-critical",
			TeamChannels: map[string]string{"backend": "#backend-alerts", "infrastructure": "#infrastructure-alerts"},
		},
		PagerDuty: incident.PagerDutyConfig{
			EventsURL:   e.pd.url(),
			RoutingKeys: map[string]string{"backend": "R0UTINGKEYBACKEND0000000000000000", "payments": "R0UTINGKEYPAYMENTS00000000000000"},
		},
		Teams:              []string{"backend", "infrastructure", "payments", "product"},
		Kube:               e.kube,
		Namespaces:         []string{"klear-karma"},
		PlatformNamespaces: []string{"monitoring"},
		PrometheusURL:      e.prom.srv.URL,
		KibanaURL:          "https://kibana.example.com",
		JaegerURLs:         []string{"https://jaeger.example.com"},
		GrafanaURL:         "https://grafana.example.com",
		OutputDir:          e.out,
		Source:             "klearkarma-dev",
		Now:                func() time.Time { return opened },
	}
}

// remoteCalls counts what the fakes saw.
func (e *env) remoteCalls() int { return len(e.slack.all()) + len(e.pd.all()) + len(e.prom.all()) }

func statuses(res incident.Result) map[string]incident.Status {
	out := map[string]incident.Status{}
	for _, s := range res.Steps {
		out[s.Name] = s.Status
	}
	return out
}

func TestOpenPerSeverity(t *testing.T) {
	cases := map[string]struct {
		severity incident.Severity
		team     string
		// wantPage, wantAnnounce: which notifications the playbook asks for.
		wantPage     bool
		wantAnnounce []string
	}{
		"a SEV-1 pages the team's on-call, creates the channel, announces it and gathers the data": {
			severity: incident.SEV1, team: "backend", wantPage: true, wantAnnounce: []string{"#alerts-critical", "#backend-alerts"},
		},
		"a SEV-1 of a team without its own Slack channel is announced in the critical channel only": {
			severity: incident.SEV1, team: "payments", wantPage: true, wantAnnounce: []string{"#alerts-critical"},
		},
		"a SEV-2 posts to the critical and the team's channel without paging": {
			severity: incident.SEV2, team: "backend", wantAnnounce: []string{"#alerts-critical", "#backend-alerts"},
		},
		"a SEV-3 creates the channel and gathers data but notifies nobody": {
			severity: incident.SEV3, team: "backend",
		},
		"a SEV-4 without a team creates the channel and gathers data but notifies nobody": {
			severity: incident.SEV4,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			res, err := incident.Open(context.Background(), e.config(), incident.Request{Severity: tc.severity, Team: tc.team, Description: "Checkout returns 502 for all users"})
			require.NoError(t, err)
			assert.Equal(t, wantID, res.ID)
			assert.Equal(t, incident.Channel{ID: "C0INCIDENT", Name: wantID}, res.Channel)

			pages := e.pd.all()
			if tc.wantPage {
				require.Len(t, pages, 1)
				assert.Equal(t, "/v2/enqueue", pages[0].Path)
				assert.Equal(t, "application/json", pages[0].ContentType)
				body := pages[0].Body
				assert.Equal(t, e.config().PagerDuty.RoutingKeys[tc.team], body["routing_key"])
				assert.Equal(t, "trigger", body["event_action"])
				assert.Equal(t, wantID, body["dedup_key"], "the incident id deduplicates a second page for the same incident")
				payload := body["payload"].(map[string]any)
				assert.Equal(t, "critical", payload["severity"])
				assert.Equal(t, "klearkarma-dev", payload["source"])
				assert.Equal(t, "SEV-1 "+wantID+": Checkout returns 502 for all users", payload["summary"])
				assert.Equal(t, "2026-03-14T09:30:12Z", payload["timestamp"])
				assert.Equal(t, "#"+wantID, payload["custom_details"].(map[string]any)["slack_channel"])
				assert.NotEmpty(t, body["links"], "the configured UIs travel with the page")
				assert.Equal(t, incident.StatusOK, statuses(res)[incident.StepPage])
			} else {
				assert.Empty(t, pages, "only a SEV-1 pages")
				_, paged := res.Step(incident.StepPage)
				assert.False(t, paged)
			}

			for _, c := range e.slack.all() {
				assert.Equal(t, "Bearer xoxb-test-token", c.Authorization, c.Path)
				assert.Equal(t, "application/json; charset=utf-8", c.ContentType, c.Path)
			}
			creates := e.slack.to("/api/conversations.create")
			require.Len(t, creates, 1)
			assert.Equal(t, map[string]any{"name": wantID, "is_private": false}, creates[0].Body)

			var announced []string
			var opening []call
			for _, c := range e.slack.to("/api/chat.postMessage") {
				if c.Body["channel"] == "C0INCIDENT" {
					opening = append(opening, c)
					continue
				}
				announced = append(announced, c.Body["channel"].(string))
				text := c.Body["text"].(string)
				assert.Contains(t, text, string(tc.severity))
				assert.Contains(t, text, "Checkout returns 502 for all users")
				assert.Contains(t, text, "<#C0INCIDENT|"+wantID+">", "the announcement links the incident channel")
			}
			assert.Equal(t, tc.wantAnnounce, announced)
			require.Len(t, opening, 1, "the incident channel gets one opening message")
			assert.Contains(t, opening[0].Body["text"], "Checkout returns 502 for all users")

			st := statuses(res)
			for _, step := range []string{incident.StepChannel, incident.StepChannelMessage, incident.StepPods, incident.StepLogs, incident.StepMetrics, incident.StepAlerts, incident.StepSummary} {
				assert.Equal(t, incident.StatusOK, st[step], step)
			}
			assert.FileExists(t, filepath.Join(e.out, wantID, "summary.md"))
		})
	}
}

func TestOpenRefusesBadInputBeforeAnySideEffect(t *testing.T) {
	cases := map[string]struct {
		req    incident.Request
		change func(*incident.Config)
		// want are fragments of the error, each naming the problem or fix.
		want []string
	}{
		"an unknown severity": {
			req:  incident.Request{Severity: "SEV-5", Team: "backend", Description: "x"},
			want: []string{`"SEV-5" is not a severity`, "use one of SEV-1, SEV-2, SEV-3, SEV-4"},
		},
		"an empty description": {
			req:  incident.Request{Severity: incident.SEV3, Description: "  "},
			want: []string{"description: is empty", "it becomes the page summary"},
		},
		"a SEV-1 without a team": {
			req:  incident.Request{Severity: incident.SEV1, Description: "down"},
			want: []string{"pages a team's on-call engineer but no team was given", "teams with a key: backend, payments"},
		},
		"a SEV-1 for a team without a routing key": {
			req:  incident.Request{Severity: incident.SEV1, Team: "product", Description: "down"},
			want: []string{`team "product" has no Events API v2 routing key`, "pagerdutyRoutingKeys"},
		},
		"a routing key pasted with its newline": {
			req:    incident.Request{Severity: incident.SEV1, Team: "backend", Description: "down"},
			change: func(c *incident.Config) { c.PagerDuty.RoutingKeys["backend"] = "R0UTINGKEY\n" },
			want:   []string{"PagerDuty routing key: contains whitespace"},
		},
		"an unknown team": {
			req:  incident.Request{Severity: incident.SEV3, Team: "backnd", Description: "x"},
			want: []string{`"backnd" is not a known team`, "backend, infrastructure, payments, product"},
		},
		"a missing Slack bot token": {
			req:    incident.Request{Severity: incident.SEV1, Team: "backend", Description: "down"},
			change: func(c *incident.Config) { c.Slack.BotToken = "" },
			want:   []string{"Slack bot token: is empty", "channels:manage and chat:write"},
		},
		"a SEV-2 with no channel to announce to": {
			req: incident.Request{Severity: incident.SEV2, Team: "payments", Description: "slow"},
			change: func(c *incident.Config) {
				c.Slack.AnnounceChannel = ""
			},
			want: []string{"SEV-2 is announced in Slack but no channel is configured"},
		},
		"a Prometheus URL without a scheme": {
			req:    incident.Request{Severity: incident.SEV3, Description: "x"},
			change: func(c *incident.Config) { c.PrometheusURL = "localhost:9090" },
			want:   []string{"Prometheus URL", "is not an absolute http(s) URL"},
		},
		"a bad Slack API URL": {
			req:    incident.Request{Severity: incident.SEV3, Description: "x"},
			change: func(c *incident.Config) { c.Slack.APIURL = "ftp://slack.example.com" },
			want:   []string{"slack API URL"},
		},
		"a namespace that is not a DNS label": {
			req:    incident.Request{Severity: incident.SEV3, Description: "x"},
			change: func(c *incident.Config) { c.Namespaces = []string{"Klear_Karma"} },
			want:   []string{`"Klear_Karma" is not a namespace name`},
		},
		"a label selector kubectl would refuse": {
			req:    incident.Request{Severity: incident.SEV3, Description: "x"},
			change: func(c *incident.Config) { c.LabelSelector = "app in (api" },
			want:   []string{"label selector"},
		},
		"no output directory": {
			req:    incident.Request{Severity: incident.SEV3, Description: "x"},
			change: func(c *incident.Config) { c.OutputDir = "" },
			want:   []string{"output directory: is empty"},
		},
		"every problem at once": {
			req: incident.Request{Severity: incident.SEV1, Team: "product", Description: ""},
			change: func(c *incident.Config) {
				c.Slack.BotToken = ""
				c.PrometheusURL = "not a url"
			},
			want: []string{"4 problem(s)", "description", "routing key", "Slack bot token", "Prometheus URL"},
		},
	}
	for name, tc := range cases {
		t.Run(name+" is refused and nothing is sent or written", func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config()
			if tc.change != nil {
				tc.change(&cfg)
			}
			res, err := incident.Open(context.Background(), cfg, tc.req)
			require.Error(t, err)
			var ve *incident.ValidationError
			require.ErrorAs(t, err, &ve)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Zero(t, e.remoteCalls(), "the fakes saw no call")
			assert.Empty(t, e.kube.Actions(), "the API server saw no call")
			assert.Empty(t, res.Steps)
			entries, _ := os.ReadDir(e.out)
			assert.Empty(t, entries, "no folder was created")
		})
	}
}

func TestSecondIncidentInTheSameMinuteIsRefused(t *testing.T) {
	e := newEnv(t)
	req := incident.Request{Severity: incident.SEV1, Team: "backend", Description: "down"}
	_, err := incident.Open(context.Background(), e.config(), req)
	require.NoError(t, err)
	before := e.remoteCalls()

	_, err = incident.Open(context.Background(), e.config(), req)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already exists (an incident was opened in this minute)")
	assert.Equal(t, before, e.remoteCalls(), "the second run sent nothing")
}

func TestPartialFailures(t *testing.T) {
	defer incident.SetPageRetries(time.Millisecond, time.Millisecond)()
	sev1 := incident.Request{Severity: incident.SEV1, Team: "backend", Description: "Payments fail"}
	cases := map[string]struct {
		setup func(*env, *incident.Config)
		check func(*testing.T, *env, incident.Result, error)
	}{
		"a page that fails with a 5xx is sent again and succeeds": {
			setup: func(e *env, _ *incident.Config) { e.pd.statuses = []int{503, 202} },
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				require.NoError(t, err)
				pages := e.pd.all()
				require.Len(t, pages, 2)
				assert.Equal(t, pages[0].Body, pages[1].Body, "the retry is the same event with the same dedup key")
			},
		},
		"a page PagerDuty rejects is not retried, the rest still runs, and the next steps say to call on-call": {
			setup: func(e *env, _ *incident.Config) { e.pd.statuses = []int{400} },
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				var pe *incident.PartialError
				require.ErrorAs(t, err, &pe)
				require.Len(t, pe.Failed, 1)
				assert.Equal(t, incident.StepPage, pe.Failed[0].Name)
				assert.Contains(t, pe.Failed[0].Error, "should be 32 characters")
				assert.Contains(t, pe.Failed[0].Error, "page the backend on-call engineer by hand")
				assert.Len(t, e.pd.all(), 1)
				st := statuses(res)
				assert.Equal(t, incident.StatusOK, st[incident.StepChannel])
				assert.Equal(t, incident.StatusOK, st[incident.StepLogs])
				assert.Contains(t, res.NextSteps[0], "THE PAGE FAILED")
				var opening string
				for _, c := range e.slack.to("/api/chat.postMessage") {
					if c.Body["channel"] == "C0INCIDENT" {
						opening = c.Body["text"].(string)
					}
				}
				assert.Contains(t, opening, "*Page:* FAILED", "the channel learns the page failed")
			},
		},
		"a page that keeps failing is given up after the retries": {
			setup: func(e *env, _ *incident.Config) { e.pd.statuses = []int{500} },
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				require.Error(t, err)
				assert.Len(t, e.pd.all(), 3, "one try and two retries")
				assert.Equal(t, incident.StatusFailed, statuses(res)[incident.StepPage])
			},
		},
		"a taken channel name says which channel to join, and the page stands": {
			setup: func(e *env, _ *incident.Config) {
				e.slack.errors["conversations.create"] = map[string]any{"ok": false, "error": "name_taken"}
			},
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				var pe *incident.PartialError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, []string{incident.StepChannel}, failedNames(pe))
				assert.Contains(t, err.Error(), "join #"+wantID)
				assert.Len(t, e.pd.all(), 1)
				st := statuses(res)
				assert.Equal(t, incident.StatusOK, st[incident.StepPage])
				assert.Equal(t, incident.StatusSkipped, st[incident.StepChannelMessage])
				assert.Equal(t, incident.StatusOK, st[incident.StepAnnounce], "the announcement still goes out")
				posts := e.slack.to("/api/chat.postMessage")
				require.NotEmpty(t, posts)
				assert.Contains(t, posts[0].Body["text"], "#"+wantID+" could not be created: reply in this thread")
				assert.Empty(t, res.Channel.ID)
			},
		},
		"a missing Slack scope is named": {
			setup: func(e *env, _ *incident.Config) {
				e.slack.errors["conversations.create"] = map[string]any{"ok": false, "error": "missing_scope", "needed": "channels:manage"}
			},
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "add the channels:manage scope to the Slack app")
			},
		},
		"a bot outside the critical channel is told to join it": {
			setup: func(e *env, _ *incident.Config) {
				e.slack.errors["chat.postMessage"] = map[string]any{"ok": false, "error": "not_in_channel"}
			},
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				var pe *incident.PartialError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, []string{incident.StepAnnounce, incident.StepChannelMessage}, failedNames(pe))
				assert.Contains(t, err.Error(), "#alerts-critical: slack chat.postMessage: not_in_channel. Fix: invite the bot to #alerts-critical")
				assert.Contains(t, err.Error(), "#backend-alerts: slack chat.postMessage")
				assert.Contains(t, strings.Join(res.NextSteps, "\n"), "tell the stakeholders by hand")
			},
		},
		"an unreachable Prometheus fails only the metric snapshots": {
			setup: func(e *env, c *incident.Config) { e.prom.srv.Close(); c.PrometheusURL = e.prom.srv.URL },
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				var pe *incident.PartialError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, []string{incident.StepMetrics, incident.StepAlerts}, failedNames(pe))
				assert.Contains(t, err.Error(), "port-forward running?")
			},
		},
		"no Prometheus URL skips the snapshots and says why": {
			setup: func(_ *env, c *incident.Config) { c.PrometheusURL = "" },
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				require.NoError(t, err)
				s, _ := res.Step(incident.StepMetrics)
				assert.Equal(t, incident.StatusSkipped, s.Status)
				assert.Contains(t, s.Detail, "port-forward")
			},
		},
		"no Kubernetes access skips pods and logs but still pages": {
			setup: func(_ *env, c *incident.Config) { c.Kube = nil },
			check: func(t *testing.T, e *env, res incident.Result, err error) {
				require.NoError(t, err)
				st := statuses(res)
				assert.Equal(t, incident.StatusSkipped, st[incident.StepPods])
				assert.Equal(t, incident.StatusSkipped, st[incident.StepLogs])
				assert.Len(t, e.pd.all(), 1)
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config()
			tc.setup(e, &cfg)
			res, err := incident.Open(context.Background(), cfg, sev1)
			assert.FileExists(t, filepath.Join(e.out, wantID, "summary.md"), "the summary is written whatever failed")
			tc.check(t, e, res, err)
		})
	}
}

func failedNames(pe *incident.PartialError) []string {
	var out []string
	for _, s := range pe.Failed {
		out = append(out, s.Name)
	}
	return out
}

func TestFolderContents(t *testing.T) {
	e := newEnv(t)
	cfg := e.config()
	cfg.ElasticsearchURL = "https://es.example.com:9200"
	cfg.LogIndexPattern = "logs-klearkarma.app-*"
	res, err := incident.Open(context.Background(), cfg, incident.Request{Severity: incident.SEV2, Team: "backend", Description: "Error rate 7% & p99 > 2s"})
	require.NoError(t, err)
	dir := filepath.Join(e.out, wantID)
	assert.Equal(t, dir, res.Folder)
	read := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, rel))
		require.NoError(t, err, rel)
		return string(b)
	}

	t.Run("Slack gets the description escaped, PagerDuty and the summary as written", func(t *testing.T) {
		for _, c := range e.slack.to("/api/chat.postMessage") {
			assert.Contains(t, c.Body["text"], "Error rate 7% &amp; p99 &gt; 2s")
		}
		assert.Contains(t, read("summary.md"), "Description: Error rate 7% & p99 > 2s")
	})

	t.Run("the folder and its files are private to the user", func(t *testing.T) {
		fi, err := os.Stat(dir)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
		fi, err = os.Stat(filepath.Join(dir, "pods.txt"))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	})

	t.Run("one folder holds every file the result lists", func(t *testing.T) {
		var found []string
		require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, path)
				found = append(found, rel)
			}
			return err
		}))
		listed := append([]string{}, res.Files...)
		sort.Strings(found)
		sort.Strings(listed)
		assert.Equal(t, listed, found)
		assert.Equal(t, []string{
			"alerts-firing.json", "elasticsearch-query.json", "events.txt",
			"logs/klear-karma/api-7d9f-abcde.api.log", "logs/klear-karma/api-7d9f-abcde.sidecar.log",
			"logs/klear-karma/api-7d9f-abcde.sidecar.previous.log", "logs/klear-karma/web-55c4-fghij.web.log",
			"metrics-up.json", "pods.json", "pods.txt", "result.json", "summary.md",
		}, found)
	})

	t.Run("pods.txt lists application and platform pods with kubectl's status words", func(t *testing.T) {
		pods := read("pods.txt")
		assert.Regexp(t, `(?m)^klear-karma\s+api-7d9f-abcde\s+1/2\s+CrashLoopBackOff\s+7\s+2h\s+node-1$`, pods)
		assert.Regexp(t, `(?m)^klear-karma\s+worker-1-klmno\s+0/1\s+ContainerCreating\s+0`, pods)
		assert.Regexp(t, `(?m)^monitoring\s+prometheus-0\s+1/1\s+Running`, pods)
		var list corev1.PodList
		require.NoError(t, json.Unmarshal([]byte(read("pods.json")), &list))
		assert.Len(t, list.Items, 4)
		assert.Equal(t, "4 pods in klear-karma, monitoring, 2 not ready; 1 events since 09:00Z", mustStep(t, res, incident.StepPods).Detail)
	})

	t.Run("events.txt keeps only the window's events", func(t *testing.T) {
		ev := read("events.txt")
		assert.Contains(t, ev, "BackOff")
		assert.NotContains(t, ev, "Pulled")
	})

	t.Run("logs are the last 30 minutes with timestamps, capped, of started containers of application pods only", func(t *testing.T) {
		assert.Equal(t, "2026-03-14T09:29:59Z log line of klear-karma/api\n", read("logs/klear-karma/api-7d9f-abcde.api.log"))
		o := e.logOpts["klear-karma/api"]
		require.NotNil(t, o.SinceSeconds)
		assert.EqualValues(t, 1800, *o.SinceSeconds)
		assert.True(t, o.Timestamps)
		require.NotNil(t, o.LimitBytes)
		assert.EqualValues(t, incident.DefaultLogLimitBytes, *o.LimitBytes)
		prev := e.logOpts["klear-karma/sidecar/previous"]
		assert.True(t, prev.Previous, "a restarted container's previous instance is read")
		require.NotNil(t, prev.TailLines)
		assert.Nil(t, prev.SinceSeconds, "the crash may be older than the window")
		_, worker := e.logOpts["klear-karma/worker"]
		assert.False(t, worker, "a container that never started has no log")
		_, platform := e.logOpts["monitoring/prometheus"]
		assert.False(t, platform, "platform pods are listed, their logs are not gathered")
		assert.Equal(t, "4 log files from 3 pods (last 30m0s), 1 containers not started", mustStep(t, res, incident.StepLogs).Detail)
	})

	t.Run("the Prometheus snapshots are the API answers at the incident's time", func(t *testing.T) {
		var up struct {
			Status string
			Data   struct{ Result []any }
		}
		require.NoError(t, json.Unmarshal([]byte(read("metrics-up.json")), &up))
		assert.Equal(t, "success", up.Status)
		assert.Len(t, up.Data.Result, 2)
		assert.Contains(t, read("alerts-firing.json"), "HighErrorRate")
		queries := e.prom.to("/api/v1/query")
		require.Len(t, queries, 2)
		assert.Equal(t, "up", queries[0].Query["query"][0])
		assert.Equal(t, `ALERTS{alertstate="firing"}`, queries[1].Query["query"][0])
		assert.Equal(t, "1773480612", queries[0].Query["time"][0])
		assert.Equal(t, "2 targets, 1 down: api/10.0.0.2:8080", mustStep(t, res, incident.StepMetrics).Detail)
		assert.Equal(t, "1 firing: HighErrorRate (critical)", mustStep(t, res, incident.StepAlerts).Detail)
	})

	t.Run("summary.md states the incident, every step, the links and the next steps", func(t *testing.T) {
		s := read("summary.md")
		assert.Contains(t, s, "# "+wantID+": SEV-2 (High)")
		assert.Contains(t, s, "Respond within: 1 hour; escalation: after 2 hours")
		for _, step := range []string{"channel", "announce", "pods", "logs", "metrics-up", "alerts-firing", "summary"} {
			assert.Regexp(t, `(?m)^\| `+regexp.QuoteMeta(step)+` \| ok \|`, s)
		}
		assert.Contains(t, s, "[Kibana: application logs](https://kibana.example.com/app/discover#/")
		assert.Contains(t, s, "Join #"+wantID)
		assert.Contains(t, s, "post-mortem within 24-48 hours")
	})

	t.Run("result.json reads back as the Result", func(t *testing.T) {
		var back incident.Result
		require.NoError(t, json.Unmarshal([]byte(read("result.json")), &back))
		assert.Equal(t, res.ID, back.ID)
		assert.Equal(t, res.Channel, back.Channel)
		assert.Equal(t, res.Steps, back.Steps)
	})

	t.Run("the Elasticsearch body selects the namespaces in the window", func(t *testing.T) {
		q := read("elasticsearch-query.json")
		assert.Contains(t, q, `"gte": "2026-03-14T09:00:12Z"`)
		assert.Contains(t, q, `"kubernetes.namespace_name": "klear-karma"`)
	})
}

func mustStep(t *testing.T, res incident.Result, name string) incident.Step {
	t.Helper()
	s, ok := res.Step(name)
	require.True(t, ok, name)
	return s
}

func TestLogsOfSelectedPodsOnly(t *testing.T) {
	e := newEnv(t)
	cfg := e.config()
	cfg.LabelSelector = "app=web"
	_, err := incident.Open(context.Background(), cfg, incident.Request{Severity: incident.SEV3, Description: "web slow"})
	require.NoError(t, err)
	var keys []string
	for k := range e.logOpts {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"klear-karma/web"}, keys)
}

func TestLinksOpenTheWindow(t *testing.T) {
	e := newEnv(t)
	cfg := e.config()
	cfg.JaegerURLs = []string{"https://jaeger.example.com/", "https://jaeger-sampled.example.com"}
	res, err := incident.Open(context.Background(), cfg, incident.Request{Severity: incident.SEV4, Description: "typo on the pricing page"})
	require.NoError(t, err)
	byName := map[string]string{}
	for _, l := range res.Links {
		byName[l.Name] = l.URL
	}
	assert.Equal(t, "https://grafana.example.com/dashboards", byName["Grafana dashboards"])

	kib, err := url.Parse(byName["Kibana: application logs"])
	require.NoError(t, err)
	assert.Equal(t, "/app/discover", kib.Path)
	frag, err := url.PathUnescape(kib.EscapedFragment())
	require.NoError(t, err)
	assert.Equal(t, `/?_g=(time:(from:'2026-03-14T09:00:12.000Z',to:'2026-03-14T09:30:12.000Z'))&_a=(query:(language:kuery,query:'kubernetes.namespace_name : ("klear-karma")'))`, frag)

	j, err := url.Parse(byName["Jaeger 1: traces"])
	require.NoError(t, err)
	assert.Equal(t, "/search", j.Path)
	assert.Equal(t, "1773478812000000", j.Query().Get("start"))
	assert.Equal(t, "1773480612000000", j.Query().Get("end"))
	assert.Equal(t, "custom", j.Query().Get("lookback"))
	assert.Contains(t, byName["Jaeger 2: traces"], "https://jaeger-sampled.example.com/search?")
}

func TestIDIsAValidSlackChannelName(t *testing.T) {
	// Slack: lower case letters, digits, hyphens and underscores, at most 80.
	valid := regexp.MustCompile(`^[a-z0-9_-]{1,80}$`)
	for _, at := range []time.Time{opened, time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))} {
		id := incident.ID(at)
		assert.Regexp(t, valid, id)
	}
	assert.Equal(t, wantID, incident.ID(opened))
	assert.Equal(t, "incident-20261231-2300", incident.ID(time.Date(2027, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))), "the name is in UTC")
}

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]incident.Severity{"SEV-1": incident.SEV1, "sev-2": incident.SEV2, "SEV3": incident.SEV3, "4": incident.SEV4, " Sev-1 ": incident.SEV1} {
		got, err := incident.ParseSeverity(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "SEV-0", "SEV-5", "critical", "SEV-11"} {
		_, err := incident.ParseSeverity(in)
		assert.Error(t, err, in)
	}
}

func TestSeverityHelpCarriesThePlaybook(t *testing.T) {
	h := incident.SeverityHelp()
	for _, want := range []string{
		"SEV-1 Critical  respond within 15 minutes; escalation immediate", "pages PagerDuty (critical)",
		"SEV-2 High      respond within 1 hour; escalation after 2 hours",
		"SEV-3 Medium    respond within 4 hours; escalation after 24 hours",
		"SEV-4 Low       respond within 24 hours; escalation after 72 hours",
	} {
		assert.Contains(t, h, want)
	}
	assert.Equal(t, 1, strings.Count(h, "pages PagerDuty"), "only SEV-1 pages")
}
