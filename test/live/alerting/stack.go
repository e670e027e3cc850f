package alerting

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
)

// Bins are the pinned servers' binaries.
type Bins struct {
	Prometheus, Promtool, Alertmanager, Amtool, Thanos string
}

// EnsureBins builds (once; then from the tools cache) Prometheus with
// promtool, Alertmanager with amtool and Thanos at the versions the program
// deploys, or skips the test under -short.
func EnsureBins(t *testing.T) Bins {
	t.Helper()
	if testing.Short() {
		t.Skip("live alert path: builds and runs Prometheus, Alertmanager and Thanos; runs without -short")
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	paths, err := livebin.EnsureSome(ctx, []pins.Server{pins.Prometheus, pins.Alertmanager, pins.Thanos}, livebin.Options{Progress: os.Stderr})
	if err != nil {
		t.Fatalf("build the servers (the first build takes minutes; run `go run ./cmd/servers` first or raise -timeout): %v", err)
	}
	return Bins{Prometheus: paths["prometheus"], Promtool: paths["promtool"], Alertmanager: paths["alertmanager"], Amtool: paths["amtool"], Thanos: paths["thanos"]}
}

// Receivers are the fake PagerDuty, Slack and SMTP endpoints with the inbox
// they deliver to, and the CA the SMTP server's certificate chains to.
type Receivers struct {
	Inbox        *Inbox
	PagerDutyURL string
	SlackURL     string
	// HeartbeatURL is the dead man's switch's, pinged by the Watchdog;
	// Heartbeats counts the pings.
	HeartbeatURL string
	Heartbeats   *atomic.Int64
	SMTP         *SMTPServer
	// CAFile is the test CA's certificate, for SSL_CERT_FILE.
	CAFile string
}

// StartReceivers starts the fakes; they stop when the test ends.
func StartReceivers(t testing.TB, dir string) *Receivers {
	t.Helper()
	inbox := NewInbox()
	pd, stopPD, err := serveHTTP(inbox.PagerDutyHandler())
	must(t, err)
	t.Cleanup(stopPD)
	sl, stopSlack, err := serveHTTP(inbox.SlackHandler())
	must(t, err)
	t.Cleanup(stopSlack)
	beats := new(atomic.Int64)
	hb, stopHB, err := serveHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		beats.Add(1)
	}))
	must(t, err)
	t.Cleanup(stopHB)
	ca, err := NewTestCA()
	must(t, err)
	caFile := filepath.Join(dir, "test-ca.pem")
	must(t, os.WriteFile(caFile, ca.PEM, 0o644))
	smtp, err := NewSMTPServer(inbox, ca.ServerTLS())
	must(t, err)
	t.Cleanup(func() { _ = smtp.Close() })
	return &Receivers{Inbox: inbox, PagerDutyURL: "http://" + pd + "/v2/enqueue", SlackURL: "http://" + sl + "/services/T0/B0/live-test",
		HeartbeatURL: "http://" + hb + "/ping/live-test", Heartbeats: beats, SMTP: smtp, CAFile: caFile}
}

// Test values of the Alertmanager credentials: a routing key per team, so
// a page is seen to reach the owning team's key.
const SMTPPassword = "smtp-test-password"

// RoutingKey is the fake routing key of a team ("default" for the default key).
func RoutingKey(team string) string { return "routing-key-" + team }

// secretValue is the test's value of one Alertmanager Secret key.
func (r *Receivers) secretValue(key string) (string, error) {
	switch {
	case key == "slack-webhook-url":
		return r.SlackURL, nil
	case key == "heartbeat-url":
		return r.HeartbeatURL, nil
	case key == "smtp-password":
		return SMTPPassword, nil
	case strings.HasPrefix(key, "pagerduty-routing-key-"):
		return RoutingKey(strings.TrimPrefix(key, "pagerduty-routing-key-")), nil
	}
	return "", fmt.Errorf("no test value for the Alertmanager secret %q: add one to the harness", key)
}

// Cluster is the Alertmanager cluster.
type Cluster struct {
	Procs []*Proc
	// Web are the nodes' base URLs, by node index (alertmanager-0 first).
	Web []string
	// Config is the alertmanager.yml the nodes run.
	Config string
}

// StartAlertmanagers runs the rendered Alertmanager StatefulSet as
// processes: the rendered configuration with the live endpoints, the
// rendered arguments with loopback addresses and the test's paths, one
// process per rendered replica.
func StartAlertmanagers(t testing.TB, dir string, bins Bins, r *Rendered, rc *Receivers) *Cluster {
	t.Helper()
	secrets := filepath.Join(dir, "am-secrets")
	must(t, os.MkdirAll(secrets, 0o755))
	for _, k := range r.AlertmanagerSecretKeys {
		v, err := rc.secretValue(k)
		must(t, err)
		must(t, os.WriteFile(filepath.Join(secrets, k), []byte(v), 0o600))
	}
	cfg, err := LiveAlertmanagerConfig(r.AlertmanagerConfig, AlertmanagerLive{
		SecretsDir: secrets, SecretsMount: AlertmanagerSecretsMount, Smarthost: rc.SMTP.Addr(), PagerDutyURL: rc.PagerDutyURL,
	})
	must(t, err)
	cfgFile := filepath.Join(dir, "alertmanager.yml")
	must(t, os.WriteFile(cfgFile, []byte(cfg), 0o644))

	n := r.Replicas["alertmanager"]
	web, mesh := make([]string, n), make([]string, n)
	for i := range n {
		web[i], err = FreeAddr()
		must(t, err)
		mesh[i], err = FreeAddr()
		must(t, err)
	}
	c := &Cluster{Config: cfg}
	for i := range n {
		name := fmt.Sprintf("alertmanager-%d", i)
		values := map[string]string{
			"config.file": cfgFile, "storage.path": filepath.Join(dir, name),
			"web.listen-address": web[i], "cluster.listen-address": mesh[i], "cluster.advertise-address": mesh[i],
		}
		if n > 1 {
			values["cluster.peer"] = ""
		}
		args, err := Rewrite(r.Container(t, "alertmanager", "alertmanager"), values)
		must(t, err)
		if n > 1 {
			for _, m := range mesh {
				args = append(args, "--cluster.peer="+m)
			}
		}
		args = kubeExpand(args, map[string]string{"POD_NAME": name, "POD_IP": "127.0.0.1"})
		p, err := StartProc(dir, name, bins.Alertmanager, args, []string{"SSL_CERT_FILE=" + rc.CAFile})
		must(t, err)
		t.Cleanup(p.Stop)
		c.Procs = append(c.Procs, p)
		c.Web = append(c.Web, "http://"+web[i])
	}
	for i, u := range c.Web {
		// /-/ready answers once the node's gossip has settled.
		if err := WaitHTTP(u+"/-/ready", c.Procs[i], 90*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// AlertmanagerSecretsMount is where the rendered StatefulSet mounts the
// Secret (the *_file fields of the configuration point under it).
const AlertmanagerSecretsMount = "/etc/alertmanager/secrets"

// kubeExpand expands $(VAR) as the kubelet does in container arguments.
func kubeExpand(args []string, vars map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		for k, v := range vars {
			a = strings.ReplaceAll(a, "$("+k+")", v)
		}
		out[i] = a
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Backfill writes the app's history (and extra series) to dir as TSDB
// blocks with promtool, and returns the block directories. blocks is the
// longest a block may span (promtool's default, 2h, when zero): promtool
// reads its whole input once per block, so a long history is written in
// longer blocks.
func Backfill(t testing.TB, bins Bins, dir string, app *App, end time.Time, step time.Duration, extra []Sample, blocks time.Duration) []string {
	t.Helper()
	om := filepath.Join(dir, "history.om")
	f, err := os.Create(om)
	must(t, err)
	must(t, app.OpenMetrics(f, end, step, app.Addr(), extra))
	must(t, f.Close())
	out := filepath.Join(dir, "history-blocks")
	args := []string{"tsdb", "create-blocks-from", "openmetrics"}
	if blocks > 0 {
		args = append(args, fmt.Sprintf("--max-block-duration=%dh", int(blocks.Hours())))
	}
	cmd := exec.Command(bins.Promtool, append(args, om, out)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool create-blocks-from openmetrics: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(out)
	must(t, err)
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(out, e.Name()))
		}
	}
	if len(dirs) == 0 {
		t.Fatalf("promtool made no blocks from %s", om)
	}
	return dirs
}

// copyDir copies a block directory.
func copyDir(from, to string) error {
	return filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}
