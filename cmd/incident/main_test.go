package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/klearkarma/observability/internal/incident"
	"github.com/klearkarma/observability/stacks"
)

var opened = time.Date(2026, 3, 14, 9, 30, 12, 0, time.UTC)

const testStack = `config:
  observability:environment: staging
  observability:cluster: klearkarma-staging
  observability:kubernetes:
    context: klearkarma-staging
  observability:network:
    applicationNamespaces: [klear-karma, bookings]
  observability:namespaces:
    monitoring: mon
    logging: logs
    tracing: traces
  observability:pagerduty:
    enabled: true
    serviceRegion: eu
    teams:
      backend:
        emails: [oncall-backend@example.com]
        escalateTo: {emails: [backend-lead@example.com]}
      infrastructure:
        emails: [oncall-infrastructure@example.com]
        escalateTo: {emails: [infrastructure-lead@example.com]}
      payments:
        schedules: [PSCHED1]
        escalateTo: {schedules: [PSCHED2]}
      product:
        emails: [product-lead@example.com]
        escalateTo: {emails: [head-of-product@example.com]}
  observability:slack:
    enabled: true
    channels:
      critical: "#staging-critical"
      backend: "#staging-backend"
  observability:kibana:
    ingressHost: kibana.staging.example.com
  observability:grafana:
    url: https://grafana.staging.example.com
`

// fakeAPIs is Slack, PagerDuty and Prometheus on one local server.
type fakeAPIs struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []fakeCall
}

type fakeCall struct {
	path, auth string
	body       map[string]any
}

func newFakeAPIs(t *testing.T) *fakeAPIs {
	f := &fakeAPIs{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		c := fakeCall{path: r.URL.Path, auth: r.Header.Get("Authorization")}
		_ = json.Unmarshal(raw, &c.body)
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/slack/conversations.create":
			_, _ = io.WriteString(w, `{"ok":true,"channel":{"id":"C1","name":"`+c.body["name"].(string)+`"}}`)
		case "/slack/chat.postMessage":
			_, _ = io.WriteString(w, `{"ok":true,"ts":"1.2"}`)
		case "/pd/v2/enqueue":
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"status":"success","message":"Event processed"}`)
		case "/prom/api/v1/query":
			_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPIs) to(path string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if c.path == path {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeAPIs) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

type fixture struct {
	project, out, outputs string
	env                   map[string]string
	apis                  *fakeAPIs
	kube                  *fake.Clientset
	// kubeArgs are what newKube was called with.
	kubeArgs []string
	kubeErr  error
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{project: t.TempDir(), out: t.TempDir(), apis: newFakeAPIs(t), env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-cmd-test"}}
	require.NoError(t, os.WriteFile(filepath.Join(f.project, "Pulumi.staging.yaml"), []byte(testStack), 0o644))
	f.outputs = filepath.Join(t.TempDir(), "outputs.json")
	require.NoError(t, os.WriteFile(f.outputs, []byte(`{"grafanaUrl":"http://grafana.mon.svc:3000","pagerdutyRoutingKeys":{"backend":"KEYFROMOUTPUTSBACKEND00000000000"}}`), 0o600))
	f.kube = fake.NewClientset(&corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "bookings", Name: "bookings-api-0"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "api"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
			{Name: "api", Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
		}},
	})
	return f
}

func (f *fixture) deps() deps {
	return deps{
		getenv: func(k string) string { return f.env[k] },
		newKube: func(kubeconfig, kubeContext string, inline bool) (kubernetes.Interface, error) {
			f.kubeArgs = []string{kubeconfig, kubeContext}
			if f.kubeErr != nil {
				return nil, f.kubeErr
			}
			return f.kube, nil
		},
		now: func() time.Time { return opened },
	}
}

func (f *fixture) args(extra ...string) []string {
	return append([]string{
		"--project-dir", f.project, "--stack", "staging", "--out", f.out, "--outputs", f.outputs,
		"--slack-api-url", f.apis.srv.URL + "/slack", "--pagerduty-events-url", f.apis.srv.URL + "/pd/v2/enqueue",
		"--prometheus-url", f.apis.srv.URL + "/prom",
	}, extra...)
}

func (f *fixture) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, f.deps())
	return code, stdout.String(), stderr.String()
}

func TestCommandOpensASEV1FromTheStackConfiguration(t *testing.T) {
	f := newFixture(t)
	code, stdout, stderr := f.run(t, f.args("--severity", "SEV-1", "--team", "backend", "--description", "Bookings API down")...)
	require.Equal(t, 0, code, stderr)

	pages := f.apis.to("/pd/v2/enqueue")
	require.Len(t, pages, 1)
	assert.Equal(t, "KEYFROMOUTPUTSBACKEND00000000000", pages[0].body["routing_key"], "the key comes from the stack output pagerdutyRoutingKeys")
	assert.Equal(t, "incident-20260314-0930", pages[0].body["dedup_key"])
	assert.Equal(t, "klearkarma-staging", pages[0].body["payload"].(map[string]any)["source"], "the source is the stack's cluster")

	var announced []string
	for _, c := range f.apis.to("/slack/chat.postMessage") {
		assert.Equal(t, "Bearer xoxb-cmd-test", c.auth)
		announced = append(announced, c.body["channel"].(string))
	}
	assert.Equal(t, []string{"#staging-critical", "#staging-backend", "C1"}, announced, "the stack's critical and team channels, then the incident channel")

	assert.Equal(t, []string{"", "klearkarma-staging"}, f.kubeArgs, "the context is the stack's kubernetes.context")
	pods, err := os.ReadFile(filepath.Join(f.out, "incident-20260314-0930", "pods.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(pods), "bookings-api-0", "the stack's second application namespace is gathered")

	assert.Contains(t, stdout, "Incident incident-20260314-0930 opened")
	assert.Contains(t, stdout, "Next steps:\n1. Join #incident-20260314-0930")
	summary, err := os.ReadFile(filepath.Join(f.out, "incident-20260314-0930", "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, string(summary), "https://kibana.staging.example.com/app/discover", "Kibana's link comes from kibana.ingressHost")
	assert.Contains(t, string(summary), "https://grafana.staging.example.com/dashboards", "Grafana's link comes from grafana.url, not the in-cluster output")
}

func TestConfigureReadsTheStack(t *testing.T) {
	f := newFixture(t)
	o := options{projectDir: f.project, stack: "staging", severity: "sev-2", team: "backend", description: "slow", out: f.out, logWindow: incident.DefaultLogWindow, slackAPIURL: incident.DefaultSlackAPIURL}
	cfg, req, hints, err := configure(o, f.deps())
	require.NoError(t, err)
	assert.Equal(t, incident.SEV2, req.Severity)
	assert.Equal(t, "#staging-critical", cfg.Slack.AnnounceChannel)
	// The stack's channels merge over the defaults, as Alertmanager gets them.
	assert.Equal(t, map[string]string{"backend": "#staging-backend", "infrastructure": "#infrastructure-alerts", "payments": "#payments-alerts"}, cfg.Slack.TeamChannels)
	assert.Equal(t, []string{"klear-karma", "bookings"}, cfg.Namespaces)
	assert.Equal(t, []string{"mon", "logs", "traces"}, cfg.PlatformNamespaces)
	assert.Equal(t, incident.EUPagerDutyEventsURL, cfg.PagerDuty.EventsURL, "pagerduty.serviceRegion eu uses the EU Events API")
	assert.Equal(t, []string{"backend", "infrastructure", "payments", "product"}, cfg.Teams)
	require.Len(t, hints, 1)
	assert.Contains(t, hints[0], "kubectl port-forward -n mon svc/thanos-query 9090:9090", "the hint uses the stack's monitoring namespace")
}

func TestCommandRefusesBadInputAndSendsNothing(t *testing.T) {
	cases := map[string]struct {
		change func(*fixture)
		args   []string
		want   []string
	}{
		"a missing SLACK_BOT_TOKEN": {
			change: func(f *fixture) { delete(f.env, "SLACK_BOT_TOKEN") },
			args:   []string{"--severity", "SEV-3", "--description", "x"},
			want:   []string{"SLACK_BOT_TOKEN is not set", "never a flag"},
		},
		"outputs printed without --show-secrets": {
			change: func(f *fixture) {
				require.NoError(t, os.WriteFile(f.outputs, []byte(`{"pagerdutyRoutingKeys":"[secret]"}`), 0o600))
			},
			args: []string{"--severity", "SEV-1", "--team", "backend", "--description", "x"},
			want: []string{"printed without --show-secrets", "pulumi stack output --json --show-secrets -s staging"},
		},
		"a SEV-1 for a team without a key": {
			args: []string{"--severity", "SEV-1", "--team", "payments", "--description", "x"},
			want: []string{`a SEV-1 pages team "payments"`, "PAGERDUTY_ROUTING_KEY"},
		},
		"an unknown stack": {
			args: []string{"--stack", "prod", "--severity", "SEV-3", "--description", "x"},
			want: []string{`unknown stack "prod"`, "use one of staging"},
		},
		"an unknown severity": {
			args: []string{"--severity", "P1", "--description", "x"},
			want: []string{`unknown severity "P1"`},
		},
		"no Kubernetes access": {
			change: func(f *fixture) { f.kubeErr = errors.New("invalid configuration: no configuration has been provided") },
			args:   []string{"--severity", "SEV-3", "--description", "x"},
			want:   []string{"kubernetes: invalid configuration", "--no-kube"},
		},
		"a description split by the shell": {
			args: []string{"--severity", "SEV-3", "--description", "checkout", "is", "down"},
			want: []string{"quote the description"},
		},
	}
	for name, tc := range cases {
		t.Run(name+" exits 2 with the fix", func(t *testing.T) {
			f := newFixture(t)
			if tc.change != nil {
				tc.change(f)
			}
			code, _, stderr := f.run(t, f.args(tc.args...)...)
			assert.Equal(t, 2, code)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.Zero(t, f.apis.count(), "nothing was sent")
			entries, _ := os.ReadDir(f.out)
			assert.Empty(t, entries, "nothing was written")
		})
	}
}

func TestRoutingKeyFromTheEnvironmentWins(t *testing.T) {
	f := newFixture(t)
	f.env["PAGERDUTY_ROUTING_KEY"] = "KEYFROMENV000000000000000000000"
	code, _, stderr := f.run(t, f.args("--severity", "1", "--team", "backend", "--description", "down", "--no-kube")...)
	require.Equal(t, 0, code, stderr)
	pages := f.apis.to("/pd/v2/enqueue")
	require.Len(t, pages, 1)
	assert.Equal(t, "KEYFROMENV000000000000000000000", pages[0].body["routing_key"])
	assert.Nil(t, f.kubeArgs, "--no-kube builds no client")
}

func TestPartialFailureExitsOneAndSaysTheIncidentIsOpen(t *testing.T) {
	f := newFixture(t)
	code, stdout, stderr := f.run(t, f.args("--severity", "SEV-3", "--description", "x", "--prometheus-url", "http://127.0.0.1:1", "--json")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "is open but 2 step(s) failed")
	var res incident.Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), "--json keeps stdout machine-readable")
	assert.Equal(t, "C1", res.Channel.ID)
}

// Every shipped stack must configure the tool: the lead's stack files are
// the tool's configuration, and their secrets are not needed.
func TestEveryShippedStackConfiguresTheTool(t *testing.T) {
	names, err := stacks.ShippedStacks("../..")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, stack := range names {
		t.Run(stack, func(t *testing.T) {
			f := newFixture(t)
			o := options{projectDir: "../..", stack: stack, severity: "SEV-3", description: "x", out: f.out, noKube: true, slackAPIURL: incident.DefaultSlackAPIURL}
			cfg, _, _, err := configure(o, f.deps())
			require.NoError(t, err)
			assert.NotEmpty(t, cfg.Namespaces)
			assert.True(t, strings.HasPrefix(cfg.Slack.AnnounceChannel, "#"), cfg.Slack.AnnounceChannel)
		})
	}
}
