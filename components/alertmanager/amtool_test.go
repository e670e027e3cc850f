package alertmanager_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

// amtool runs the pinned amtool (internal/pins: built with the Alertmanager
// the platform deploys, by internal/livebin into the tools cache) and fails
// the test unless it succeeds; it returns the output.
func amtool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	return livetest.RunOK(t, time.Minute, bin, args...)
}

// writeConfig renders the configuration with its credential files under a
// temporary directory, and writes those files too, so amtool sees the
// configuration as the pod does.
func writeConfig(t *testing.T, r alertmanager.Routing) string {
	t.Helper()
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets")
	require.NoError(t, os.Mkdir(secrets, 0o700))
	for _, key := range []string{
		alertmanager.SecretKeySlackWebhookURL, alertmanager.SecretKeySMTPPassword, alertmanager.SecretKeyDefaultRoutingKey,
		alertmanager.SecretKeyRoutingKey("payments"), alertmanager.SecretKeyHeartbeatURL,
	} {
		require.NoError(t, os.WriteFile(filepath.Join(secrets, key), []byte("not-a-real-credential"), 0o600))
	}
	out, err := alertmanager.RenderConfig(r, secrets)
	require.NoError(t, err)
	file := filepath.Join(dir, "alertmanager.yml")
	require.NoError(t, os.WriteFile(file, []byte(out), 0o600))
	return file
}

// amtoolRoute is a label set and the receiver amtool must route it to.
type amtoolRoute struct {
	labels []string
	want   string
}

// amtoolStack is one stack's routing and the routes to prove.
type amtoolStack struct {
	routing func() alertmanager.Routing
	routes  []amtoolRoute
}

// TestAmtool proves every route of the tree with the pinned amtool: each
// severity for each team, and an alert without labels. Without -short it
// builds Alertmanager first if the tools cache lacks it (minutes); -short
// uses a cached build or skips.
func TestAmtool(t *testing.T) {
	bin := livetest.Built(t, pins.Alertmanager, "amtool")
	stacks := map[string]amtoolStack{
		"prod: every integration, payments paged on its own key": {
			routing: prodRouting,
			routes: []amtoolRoute{
				{[]string{"severity=critical", "team=backend"}, "critical-alerts"},
				{[]string{"severity=critical", "team=infrastructure"}, "critical-alerts"},
				{[]string{"severity=critical", "team=product"}, "critical-alerts"},
				{[]string{"severity=critical", "team=payments"}, "critical-payments"},
				{[]string{"severity=warning", "team=backend"}, "backend-team"},
				{[]string{"severity=warning", "team=infrastructure"}, "infrastructure-team"},
				{[]string{"severity=warning", "team=product"}, "product-team"},
				{[]string{"severity=warning", "team=payments"}, "payments-team"},
				{[]string{"severity=critical"}, "critical-alerts"},
				{[]string{"alertname=Watchdog", "severity=none", "team=infrastructure"}, "dead-mans-switch"},
				{nil, "default"},
			},
		},
		"local: no credentials, the same tree with silent receivers": {
			routing: localRouting,
			routes: []amtoolRoute{
				{[]string{"severity=critical", "team=backend"}, "critical-alerts"},
				{[]string{"severity=critical", "team=infrastructure"}, "critical-alerts"},
				{[]string{"severity=critical", "team=product"}, "critical-alerts"},
				{[]string{"severity=critical", "team=payments"}, "critical-alerts"},
				{[]string{"severity=warning", "team=backend"}, "backend-team"},
				{[]string{"severity=warning", "team=infrastructure"}, "infrastructure-team"},
				{[]string{"severity=warning", "team=product"}, "product-team"},
				{[]string{"severity=warning", "team=payments"}, "payments-team"},
				{[]string{"alertname=Watchdog", "severity=none", "team=infrastructure"}, "dead-mans-switch"},
				{nil, "default"},
			},
		},
	}
	pulumitest.Cases(t, stacks, func(t *testing.T, stack amtoolStack) {
		file := writeConfig(t, stack.routing())
		out := amtool(t, bin, "check-config", file)
		require.Contains(t, out, "SUCCESS")
		for _, r := range stack.routes {
			t.Run(strings.Join(append([]string{"labels"}, r.labels...), " ")+" -> "+r.want, func(t *testing.T) {
				args := append([]string{"config", "routes", "test", "--config.file=" + file, "--verify.receivers=" + r.want}, r.labels...)
				got := strings.TrimSpace(amtool(t, bin, args...))
				require.Equal(t, r.want, got)
			})
		}
	})
}
