package alerting

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Pair is the Prometheus StatefulSet as processes: one Prometheus and its
// Thanos sidecar per rendered replica.
type Pair struct {
	Proms, Sidecars []*Proc
	// Web are the Prometheus base URLs; SidecarGRPC the sidecars' gRPC
	// addresses, by replica.
	Web, SidecarGRPC []string
	// Config is the prometheus.yml the replicas run.
	Config string
	// Bucket is the filesystem bucket's objstore configuration file.
	Bucket string
}

// StartPrometheus runs the rendered Prometheus replicas against the app's
// targets and the Alertmanager cluster, each with the history blocks copied
// into its data directory (as if it had been running), and a sidecar per
// replica uploading to a filesystem bucket.
func StartPrometheus(t testing.TB, dir string, bins Bins, r *Rendered, app *App, am *Cluster, history []string) *Pair {
	t.Helper()
	rules := filepath.Join(dir, "rules")
	must(t, os.MkdirAll(rules, 0o755))
	for name, text := range r.RuleFiles {
		must(t, os.WriteFile(filepath.Join(rules, name), []byte(text), 0o644))
	}
	sa := filepath.Join(dir, "serviceaccount")
	must(t, os.MkdirAll(sa, 0o755))
	rc, _ := os.ReadFile(filepath.Join(dir, "test-ca.pem"))
	must(t, os.WriteFile(filepath.Join(sa, "ca.crt"), rc, 0o644))
	must(t, os.WriteFile(filepath.Join(sa, "token"), []byte("live-test-token"), 0o600))

	targets := map[string][]StaticTarget{}
	for _, tg := range app.Targets() {
		targets[tg.Job] = append(targets[tg.Job], StaticTarget{Addr: app.Addr(), Labels: tg.Meta(app.Addr())})
	}
	var amTargets []string
	for _, u := range am.Web {
		amTargets = append(amTargets, strings.TrimPrefix(u, "http://"))
	}
	cfg, err := LivePrometheusConfig(r.PrometheusConfig, PrometheusLive{RulesDir: rules, Alertmanagers: amTargets, Targets: targets, ServiceAccountDir: sa})
	must(t, err)
	must(t, SameExceptLive(r.PrometheusConfig, cfg))
	cfgFile := filepath.Join(dir, "prometheus.yml")
	must(t, os.WriteFile(cfgFile, []byte(cfg), 0o644))
	bucket := filepath.Join(dir, "bucket")
	must(t, os.MkdirAll(bucket, 0o755))
	objstore := filepath.Join(dir, "objstore.yml")
	must(t, os.WriteFile(objstore, []byte("type: FILESYSTEM\nconfig:\n  directory: "+bucket+"\n"), 0o644))

	p := &Pair{Config: cfg, Bucket: objstore}
	for i := range r.Replicas["prometheus"] {
		name := fmt.Sprintf("prometheus-%d", i)
		data := filepath.Join(dir, name)
		must(t, os.MkdirAll(data, 0o755))
		for _, b := range history {
			must(t, copyDir(b, filepath.Join(data, filepath.Base(b))))
		}
		web, err := FreeAddr()
		must(t, err)
		args, err := Rewrite(r.Container(t, "prometheus", "prometheus"), map[string]string{
			"config.file": cfgFile, "storage.tsdb.path": data, "web.listen-address": web,
		})
		must(t, err)
		// The StatefulSet sets POD_NAME from metadata.name; Prometheus 3
		// expands ${POD_NAME} in external labels from its environment.
		proc, err := StartProc(dir, name, bins.Prometheus, args, []string{"POD_NAME=" + name})
		must(t, err)
		t.Cleanup(proc.Stop)
		p.Proms, p.Web = append(p.Proms, proc), append(p.Web, "http://"+web)

		grpc, err := FreeAddr()
		must(t, err)
		http, err := FreeAddr()
		must(t, err)
		sargs, err := Rewrite(r.Container(t, "prometheus", "thanos-sidecar"), map[string]string{
			"tsdb.path": data, "prometheus.url": "http://" + web, "grpc-address": grpc, "http-address": http, "objstore.config-file": objstore,
		})
		must(t, err)
		if err := WaitHTTP("http://"+web+"/-/ready", proc, time.Minute); err != nil {
			t.Fatal(err)
		}
		side, err := StartProc(dir, name+"-sidecar", bins.Thanos, sargs, nil)
		must(t, err)
		t.Cleanup(side.Stop)
		p.Sidecars, p.SidecarGRPC = append(p.Sidecars, side), append(p.SidecarGRPC, grpc)
		if err := WaitHTTP("http://"+http+"/-/ready", side, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// QueryTier is Thanos Query in front of the sidecars and a store gateway.
type QueryTier struct {
	Procs []*Proc
	URL   string
}

// StartQuery runs the rendered store gateway on the pair's bucket and the
// rendered Thanos Query over the sidecars and the store gateway.
func StartQuery(t testing.TB, dir string, bins Bins, r *Rendered, pair *Pair) *QueryTier {
	t.Helper()
	sgrpc, err := FreeAddr()
	must(t, err)
	shttp, err := FreeAddr()
	must(t, err)
	sargs, err := Rewrite(r.Container(t, "thanos-store", "store"), map[string]string{
		"data-dir": filepath.Join(dir, "store"), "objstore.config-file": pair.Bucket, "grpc-address": sgrpc, "http-address": shttp,
	})
	must(t, err)
	store, err := StartProc(dir, "thanos-store", bins.Thanos, sargs, nil)
	must(t, err)
	t.Cleanup(store.Stop)
	qgrpc, err := FreeAddr()
	must(t, err)
	qhttp, err := FreeAddr()
	must(t, err)
	qargs, err := Rewrite(r.Container(t, "thanos-query", "query"), map[string]string{"grpc-address": qgrpc, "http-address": qhttp, "endpoint": ""})
	must(t, err)
	for _, e := range append(pair.SidecarGRPC, sgrpc) {
		qargs = append(qargs, "--endpoint="+e)
	}
	query, err := StartProc(dir, "thanos-query", bins.Thanos, qargs, nil)
	must(t, err)
	t.Cleanup(query.Stop)
	if err := WaitHTTP("http://"+shttp+"/-/ready", store, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := WaitHTTP("http://"+qhttp+"/-/ready", query, time.Minute); err != nil {
		t.Fatal(err)
	}
	return &QueryTier{Procs: []*Proc{store, query}, URL: "http://" + qhttp}
}
