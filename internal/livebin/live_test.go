package livebin_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
)

// Live tests build the real servers (minutes each the first time; run
// `go run ./cmd/servers` first or give go test -timeout 60m) and run them;
// -short skips them.

func TestLiveServersReportThePinnedVersion(t *testing.T) {
	livetest.SkipShort(t, "runs every pinned binary's version command")
	cases := map[string]struct {
		server pins.Server
		binary string
		args   []string
		want   []string
	}{
		"prometheus":   {pins.Prometheus, "prometheus", []string{"--version"}, []string{"prometheus, version 3.16.0", "tags:             netgo"}},
		"promtool":     {pins.Prometheus, "promtool", []string{"--version"}, []string{"promtool, version 3.16.0"}},
		"alertmanager": {pins.Alertmanager, "alertmanager", []string{"--version"}, []string{"alertmanager, version 0.35.0"}},
		"amtool":       {pins.Alertmanager, "amtool", []string{"--version"}, []string{"amtool, version 0.35.0"}},
		// slicelabels is what keeps sidecar and store from panicking.
		"thanos":            {pins.Thanos, "thanos", []string{"--version"}, []string{"thanos, version 0.42.5", "netgo,slicelabels"}},
		"jaeger":            {pins.Jaeger, "jaeger", []string{"version"}, []string{`"gitVersion":"v2.13.0"`}},
		"jaeger --version":  {pins.Jaeger, "jaeger", []string{"--version"}, []string{"jaeger version v2.13.0"}},
		"blackbox_exporter": {pins.BlackboxExporter, "blackbox_exporter", []string{"--version"}, []string{"blackbox_exporter, version 0.27.0"}},
		"otelcol-kk":        {pins.OTelCollector, "otelcol-kk", []string{"--version"}, []string{"otelcol-kk version 0.165.0"}},
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names) // companions share a build; order keeps the log readable
	for _, name := range names {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			bin := livetest.Built(t, tc.server, tc.binary)
			code, out := livetest.Run(t, time.Minute, bin, tc.args...)
			require.Zero(t, code, out)
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}
}

func TestLivePrometheusBecomesReady(t *testing.T) {
	livetest.SkipShort(t, "runs prometheus, which scrapes itself")
	bin := livetest.Built(t, pins.Prometheus, "prometheus")
	port := livetest.FreePort(t)
	cfg := livetest.WriteFile(t, "prometheus.yml", fmt.Sprintf(`global:
  scrape_interval: 1s
scrape_configs:
  - job_name: self
    static_configs:
      - targets: ['127.0.0.1:%d']
`, port))
	livetest.Start(t, bin, "--config.file="+cfg, "--storage.tsdb.path="+t.TempDir(),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port))
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/-/ready", port), time.Minute)

	// It scrapes itself: the API answers with a real sample soon after.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/query?query=up", port))
		require.NoError(t, err)
		var body struct {
			Status string
			Data   struct{ Result []json.RawMessage }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		require.Equal(t, "success", body.Status)
		if len(body.Data.Result) == 1 {
			return
		}
		require.False(t, time.Now().After(deadline), "no `up` sample within 30s")
		time.Sleep(300 * time.Millisecond)
	}
}

func TestLiveAmtoolChecksAlertmanagerConfig(t *testing.T) {
	livetest.SkipShort(t, "checks configurations with amtool")
	amtool := livetest.Built(t, pins.Alertmanager, "amtool")
	cases := map[string]struct {
		config string
		ok     bool
	}{
		"a route to a webhook receiver passes":   {config: "route:\n  receiver: hook\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:9/\n", ok: true},
		"a route to an undefined receiver fails": {config: "route:\n  receiver: nobody\nreceivers:\n  - name: hook\n"},
		"an unknown key fails":                   {config: "route:\n  receiver: hook\n  recevier_typo: x\nreceivers:\n  - name: hook\n"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := livetest.Run(t, time.Minute, amtool, "check-config", livetest.WriteFile(t, "am.yml", tc.config))
			require.Equal(t, tc.ok, code == 0, out)
		})
	}
}

// collectorConfig has the shape the Jaeger component generates (health
// check, OTLP and Jaeger receivers, memory limiter and batch, OTLP
// exporters), on loopback; validate parses and checks it but binds nothing.
const collectorConfig = `extensions:
  health_check:
    endpoint: 127.0.0.1:13133
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:4317
      http:
        endpoint: 127.0.0.1:4318
  jaeger:
    protocols:
      thrift_http:
        endpoint: 127.0.0.1:14268
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 25
  batch: {}
  probabilistic_sampler:
    sampling_percentage: 10
exporters:
  otlp/detailed:
    endpoint: jaeger-detailed:4317
    tls:
      insecure: true
  otlp_grpc/sampled:
    endpoint: jaeger-sampled:4317
    tls:
      insecure: true
  otlp_http:
    endpoint: http://jaeger-sampled:4318
  debug: {}
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp, jaeger]
      processors: [memory_limiter, batch]
      exporters: [otlp/detailed, debug]
    traces/sampled:
      receivers: [otlp]
      processors: [memory_limiter, probabilistic_sampler, batch]
      exporters: [otlp_grpc/sampled, otlp_http]
`

func TestLiveCollectorValidatesConfig(t *testing.T) {
	livetest.SkipShort(t, "validates configurations with otelcol-kk")
	bin := livetest.Built(t, pins.OTelCollector, "otelcol-kk")
	cases := map[string]struct {
		config  string
		ok      bool
		message string
	}{
		"the generated shape validates": {config: collectorConfig, ok: true},
		"an unknown key fails": {
			config:  strings.Replace(collectorConfig, "check_interval: 1s", "check_interval: 1s\n    check_intervall: 1s", 1),
			message: "check_intervall",
		},
		"a component not built in fails": {
			config:  strings.Replace(collectorConfig, "  debug: {}", "  debug: {}\n  awsxray: {}", 1) + "    traces/xray:\n      receivers: [otlp]\n      exporters: [awsxray]\n",
			message: "awsxray",
		},
		"a pipeline naming an undefined exporter fails": {
			config:  strings.Replace(collectorConfig, "exporters: [otlp/detailed, debug]", "exporters: [otlp/nowhere]", 1),
			message: "otlp/nowhere",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := livetest.Run(t, time.Minute, bin, "validate", "--config=file:"+livetest.WriteFile(t, "collector.yaml", tc.config))
			require.Equal(t, tc.ok, code == 0, out)
			require.Contains(t, out, tc.message)
		})
	}
}

// The collector has exactly the components tools/otelcol/main.go lists.
func TestLiveCollectorHasExactlyItsComponents(t *testing.T) {
	livetest.SkipShort(t, "lists otelcol-kk's components")
	bin := livetest.Built(t, pins.OTelCollector, "otelcol-kk")
	code, out := livetest.Run(t, time.Minute, bin, "components")
	require.Zero(t, code, out)
	var got struct {
		BuildInfo  struct{ Version string } `yaml:"buildinfo"`
		Receivers  []struct{ Name string }  `yaml:"receivers"`
		Processors []struct{ Name string }  `yaml:"processors"`
		Exporters  []struct{ Name string }  `yaml:"exporters"`
		Extensions []struct{ Name string }  `yaml:"extensions"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(out), &got), out)
	names := func(cs []struct{ Name string }) []string {
		var n []string
		for _, c := range cs {
			n = append(n, c.Name)
		}
		sort.Strings(n)
		return n
	}
	require.Equal(t, pins.OTelCollector.Version, got.BuildInfo.Version)
	require.Equal(t, []string{"jaeger", "otlp"}, names(got.Receivers))
	require.Equal(t, []string{"batch", "memory_limiter", "probabilistic_sampler"}, names(got.Processors))
	require.Equal(t, []string{"debug", "otlp_grpc", "otlp_http"}, names(got.Exporters))
	require.Equal(t, []string{"health_check", "healthcheckv2"}, names(got.Extensions))
}

// jaegerConfig is a Jaeger v2 configuration with memory storage on loopback.
const jaegerConfig = `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:13133
  jaeger_query:
    enable_tracing: false
    storage:
      traces: mem
    http:
      endpoint: 127.0.0.1:16686
    grpc:
      endpoint: 127.0.0.1:16685
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:4317
processors:
  batch: {}
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
`

func TestLiveJaegerValidatesConfig(t *testing.T) {
	livetest.SkipShort(t, "validates configurations with jaeger")
	bin := livetest.Built(t, pins.Jaeger, "jaeger")
	cases := map[string]struct {
		config  string
		ok      bool
		message string
	}{
		"memory storage validates": {config: jaegerConfig, ok: true},
		"an unknown key fails": {
			config:  strings.Replace(jaegerConfig, "max_traces: 100000", "max_traces: 100000\n          max_tracez: 1", 1),
			message: "max_tracez",
		},
		// Jaeger bundles tail sampling, not the probabilistic sampler.
		"a processor Jaeger lacks fails": {
			config:  strings.Replace(jaegerConfig, "processors: [batch]", "processors: [probabilistic_sampler]", 1) + "  probabilistic_sampler: {}\n",
			message: "probabilistic_sampler",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := livetest.Run(t, time.Minute, bin, "validate", "--config=file:"+livetest.WriteFile(t, "jaeger.yaml", tc.config))
			require.Equal(t, tc.ok, code == 0, out)
			require.Contains(t, out, tc.message)
		})
	}
}

func TestLiveBlackboxExporterChecksConfig(t *testing.T) {
	livetest.SkipShort(t, "checks configurations with blackbox_exporter")
	bin := livetest.Built(t, pins.BlackboxExporter, "blackbox_exporter")
	cases := map[string]struct {
		config string
		ok     bool
	}{
		"an http_2xx module passes":  {config: "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n", ok: true},
		"an unknown key fails":       {config: "modules:\n  http_2xx:\n    prober: http\n    timeuot: 5s\n"},
		"a malformed duration fails": {config: "modules:\n  http_2xx:\n    prober: http\n    timeout: soon\n"},
		// The check does not know the probers: an unknown one is refused
		// only when a probe uses it, so a test must probe to catch it.
		"an unknown prober passes the check": {config: "modules:\n  x:\n    prober: carrier_pigeon\n", ok: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := livetest.Run(t, time.Minute, bin, "--config.check", "--config.file="+livetest.WriteFile(t, "blackbox.yml", tc.config))
			require.Equal(t, tc.ok, code == 0, out)
		})
	}
}

// Jaeger's module has no VERSION file; its CHANGELOG names the v1/v2 pair.
func TestLiveJaegerModuleIsThePinnedRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("live: downloads the Jaeger module; runs without -short")
	}
	cmd := exec.Command("go", "mod", "download", "-json", pins.Jaeger.ModulePath())
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	require.NoError(t, err)
	var info struct{ Dir string }
	require.NoError(t, json.Unmarshal(out, &info))
	changelog, err := os.ReadFile(filepath.Join(info.Dir, "CHANGELOG.md"))
	require.NoError(t, err)
	require.Contains(t, string(changelog), "\n"+pins.Jaeger.ModuleVersion+" / v"+pins.Jaeger.Version+" (")
}

// A querier's first gRPC Info call to a store is where a Thanos built
// without -tags slicelabels panics; an empty FILESYSTEM bucket is enough.
func TestLiveThanosQuerySeesItsStore(t *testing.T) {
	livetest.SkipShort(t, "runs thanos store and thanos query")
	bin := livetest.Built(t, pins.Thanos, "thanos")
	objstore := livetest.WriteFile(t, "objstore.yml", fmt.Sprintf("type: FILESYSTEM\nconfig:\n  directory: %s\n", t.TempDir()))
	storeGRPC, storeHTTP, queryGRPC, queryHTTP := livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t)
	livetest.Start(t, bin, "store", "--data-dir="+t.TempDir(), "--objstore.config-file="+objstore,
		fmt.Sprintf("--grpc-address=127.0.0.1:%d", storeGRPC), fmt.Sprintf("--http-address=127.0.0.1:%d", storeHTTP))
	livetest.Start(t, bin, "query", fmt.Sprintf("--endpoint=127.0.0.1:%d", storeGRPC),
		fmt.Sprintf("--grpc-address=127.0.0.1:%d", queryGRPC), fmt.Sprintf("--http-address=127.0.0.1:%d", queryHTTP))
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/-/ready", storeHTTP), time.Minute)
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/-/ready", queryHTTP), time.Minute)

	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/stores", queryHTTP))
		require.NoError(t, err)
		var body struct {
			Data map[string][]struct{ Name string }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		if stores := body.Data["store"]; len(stores) == 1 {
			require.Equal(t, fmt.Sprintf("127.0.0.1:%d", storeGRPC), stores[0].Name)
			break
		}
		require.False(t, time.Now().After(deadline), "the querier lists no store within 30s: %+v", body.Data)
		time.Sleep(300 * time.Millisecond)
	}
	// Both still serve: neither panicked on the Info call.
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/-/healthy", storeHTTP), 5*time.Second)
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/-/healthy", queryHTTP), 5*time.Second)
}

func TestLiveJaegerStartsWithMemoryStorage(t *testing.T) {
	livetest.SkipShort(t, "runs jaeger with memory storage")
	bin := livetest.Built(t, pins.Jaeger, "jaeger")
	health, queryHTTP, queryGRPC, otlp := livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t)
	// No own metrics endpoint: its default port is fixed (8888).
	cfg := strings.Replace(jaegerConfig, "service:\n", "service:\n  telemetry:\n    metrics:\n      level: none\n", 1)
	for from, to := range map[string]int{"127.0.0.1:13133": health, "127.0.0.1:16686": queryHTTP, "127.0.0.1:16685": queryGRPC, "127.0.0.1:4317": otlp} {
		cfg = strings.ReplaceAll(cfg, from, fmt.Sprintf("127.0.0.1:%d", to))
	}
	livetest.Start(t, bin, "--config=file:"+livetest.WriteFile(t, "jaeger.yaml", cfg))
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/status", health), time.Minute)
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/api/services", queryHTTP), 10*time.Second)
}

func TestLiveCollectorStartsAndReportsHealthy(t *testing.T) {
	livetest.SkipShort(t, "runs otelcol-kk")
	bin := livetest.Built(t, pins.OTelCollector, "otelcol-kk")
	health, grpc, httpPort, thrift := livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t)
	cfg := collectorConfig
	for from, to := range map[string]int{"127.0.0.1:13133": health, "127.0.0.1:4317": grpc, "127.0.0.1:4318": httpPort, "127.0.0.1:14268": thrift} {
		cfg = strings.ReplaceAll(cfg, from, fmt.Sprintf("127.0.0.1:%d", to))
	}
	// Exporters point at loopback ports nothing listens on (they retry
	// quietly); no own metrics endpoint, whose default port is fixed.
	cfg = strings.NewReplacer("jaeger-detailed:4317", fmt.Sprintf("127.0.0.1:%d", livetest.FreePort(t)),
		"jaeger-sampled:4317", fmt.Sprintf("127.0.0.1:%d", livetest.FreePort(t)),
		"jaeger-sampled:4318", fmt.Sprintf("127.0.0.1:%d", livetest.FreePort(t))).Replace(cfg)
	cfg = strings.Replace(cfg, "service:\n", "service:\n  telemetry:\n    metrics:\n      level: none\n", 1)
	livetest.Start(t, bin, "--config=file:"+livetest.WriteFile(t, "collector.yaml", cfg))
	livetest.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/", health), time.Minute)
}
