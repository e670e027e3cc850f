package recovery_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

// bucketConfig is Thanos' objstore file (thanos-io/objstore client.BucketConfig).
type bucketConfig struct {
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
}

// containerArgs are the rendered arguments of a workload's only container.
func containerArgs(t *testing.T, rec *pulumitest.Recorder, key string) []string {
	t.Helper()
	cs := pulumitest.Dig(t, rec.Object(t, key), "spec", "template", "spec", "containers").([]any)
	require.Len(t, cs, 1)
	var args []string
	for _, a := range cs[0].(map[string]any)["args"].([]any) {
		args = append(args, a.(string))
	}
	return args
}

// onLoopback rewrites a rendered container's arguments for this machine:
// every address on loopback, every path in the test's directories, the
// rest kept as rendered. Flags it does not expect fail the test, so a new
// flag that names a path of the pod is noticed.
func onLoopback(t *testing.T, args []string, swap map[string]string, drop func(string) bool) []string {
	t.Helper()
	out := []string{}
	seen := map[string]bool{}
	for _, a := range args {
		flag, _, _ := strings.Cut(a, "=")
		if drop != nil && drop(a) {
			continue
		}
		if v, ok := swap[flag]; ok {
			if !seen[flag] {
				out = append(out, flag+"="+v)
			}
			seen[flag] = true
			continue
		}
		require.NotContains(t, a, "/", "rendered flag %q names a path or an address this test does not swap", a)
		out = append(out, a)
	}
	for flag := range swap {
		require.True(t, seen[flag], "the rendered container has no %s: the test swaps a flag that is gone", flag)
	}
	return out
}

// The metrics runbook's claim: after the cluster is lost, a Store Gateway
// started from nothing but the bucket serves the old blocks through
// Thanos Query. Rehearsed with the pinned binaries on loopback, the
// rendered prod arguments and the rendered bucket configuration with S3
// swapped for a filesystem bucket: what is not rehearsed is S3 itself
// (credentials, the IRSA role, the lifecycle rules).
func TestARebuiltStoreGatewayServesTheBlocksLeftInTheBucket(t *testing.T) {
	livetest.SkipShort(t, "runs promtool, thanos store and thanos query")
	promtool := livetest.Built(t, pins.Prometheus, "promtool")
	thanosBin := livetest.Built(t, pins.Thanos, "thanos")
	rec := render(t, "prod")

	// The rendered bucket configuration points at the metrics bucket.
	var cfg bucketConfig
	require.NoError(t, yaml.Unmarshal([]byte(secretData(t, rec, "kubernetes:core/v1:Secret::thanos-objstore", thanos.ObjstoreKey)), &cfg))
	require.Equal(t, "S3", cfg.Type)
	assert.Equal(t, "klearkarma-prod-metrics-mock", cfg.Config["bucket"], "the metrics bucket's generated name (the mock's)")

	// The old cluster's data: a block promtool builds from samples of two
	// hours ending a day ago, uploaded as the sidecar does (the block
	// directory, its meta.json with Thanos' external labels).
	bucketDir := t.TempDir()
	end := time.Now().Add(-24 * time.Hour).Truncate(time.Minute)
	var om strings.Builder
	om.WriteString("# TYPE klearkarma_recovery_probe gauge\n")
	for ts := end.Add(-2 * time.Hour); !ts.After(end); ts = ts.Add(time.Minute) {
		fmt.Fprintf(&om, "klearkarma_recovery_probe{job=\"rehearsal\"} 42 %d\n", ts.Unix())
	}
	om.WriteString("# EOF\n")
	input := filepath.Join(t.TempDir(), "probe.om")
	require.NoError(t, os.WriteFile(input, []byte(om.String()), 0o644))
	blocks := t.TempDir()
	livetest.RunOK(t, 2*time.Minute, promtool, "tsdb", "create-blocks-from", "openmetrics", input, blocks)
	entries, err := os.ReadDir(blocks)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		upload(t, filepath.Join(blocks, e.Name()), filepath.Join(bucketDir, e.Name()), map[string]string{
			"cluster": "klearkarma-prod", prometheus.ReplicaLabel: "prometheus-0",
		})
	}

	// The rebuilt Store Gateway: the rendered arguments, the rendered
	// configuration with its bucket swapped to the filesystem, empty data.
	cfg = bucketConfig{Type: "FILESYSTEM", Config: map[string]any{"directory": bucketDir}}
	objstore, err := yaml.Marshal(cfg)
	require.NoError(t, err)
	objstoreFile := filepath.Join(t.TempDir(), thanos.ObjstoreKey)
	require.NoError(t, os.WriteFile(objstoreFile, objstore, 0o600))
	storeGRPC, storeHTTP := livetest.FreeAddr(t), livetest.FreeAddr(t)
	storeArgs := onLoopback(t, containerArgs(t, rec, "kubernetes:apps/v1:StatefulSet::thanos-store-statefulset"), map[string]string{
		"--data-dir": t.TempDir(), "--objstore.config-file": objstoreFile, "--grpc-address": storeGRPC, "--http-address": storeHTTP,
	}, nil)
	started := time.Now()
	livetest.Start(t, thanosBin, storeArgs...)
	livetest.WaitHTTP(t, "http://"+storeHTTP+"/-/ready", 2*time.Minute)
	t.Logf("store gateway ready in %s", time.Since(started).Round(100*time.Millisecond))

	// Thanos Query as rendered, its endpoints (the sidecars' and the
	// store's DNS SRV names) replaced by the one rebuilt store.
	queryGRPC, queryHTTP := livetest.FreeAddr(t), livetest.FreeAddr(t)
	queryArgs := onLoopback(t, containerArgs(t, rec, "kubernetes:apps/v1:Deployment::thanos-query-deployment"), map[string]string{
		"--grpc-address": queryGRPC, "--http-address": queryHTTP, "--endpoint": storeGRPC,
	}, nil)
	livetest.Start(t, thanosBin, queryArgs...)
	livetest.WaitHTTP(t, "http://"+queryHTTP+"/-/ready", time.Minute)

	// The old samples come back, deduplicated: no replica label.
	var result []struct {
		Metric map[string]string `json:"metric"`
		Value  []any             `json:"value"`
	}
	deadline := time.Now().Add(time.Minute)
	for {
		result = instantQuery(t, queryHTTP, "klearkarma_recovery_probe", end.Add(-time.Hour), &result)
		if len(result) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second) // the querier discovers the store's labels first
	}
	require.Len(t, result, 1, "the rebuilt store serves the block left in the bucket")
	assert.Equal(t, map[string]string{"__name__": "klearkarma_recovery_probe", "job": "rehearsal", "cluster": "klearkarma-prod"}, result[0].Metric)
	assert.Equal(t, "42", result[0].Value[1])
	t.Logf("old data served %s after the store started", time.Since(started).Round(100*time.Millisecond))
}

// secretData is one key of a recorded Secret's stringData, through the
// secret markers the engine keeps around it.
func secretData(t *testing.T, rec *pulumitest.Recorder, key, dataKey string) string {
	t.Helper()
	unwrap := func(v resource.PropertyValue) resource.PropertyValue {
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		return v
	}
	data := unwrap(rec.Get(t, key)["stringData"])
	require.True(t, data.IsObject(), "%s has no stringData", key)
	v := unwrap(data.ObjectValue()[resource.PropertyKey(dataKey)])
	require.True(t, v.IsString(), "%s has no %s", key, dataKey)
	return v.StringValue()
}

// upload copies a TSDB block into the filesystem bucket with the Thanos
// section of meta.json that the sidecar writes: its external labels, raw
// resolution, source.
func upload(t *testing.T, from, to string, labels map[string]string) {
	t.Helper()
	require.NoError(t, os.CopyFS(to, os.DirFS(from)))
	metaPath := filepath.Join(to, "meta.json")
	b, err := os.ReadFile(metaPath)
	require.NoError(t, err)
	var meta map[string]any
	require.NoError(t, json.Unmarshal(b, &meta))
	meta["thanos"] = map[string]any{"labels": labels, "downsample": map[string]any{"resolution": 0}, "source": "sidecar"}
	b, err = json.Marshal(meta)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(metaPath, b, 0o644))
}

// instantQuery asks Thanos Query's Prometheus API for a vector at one time.
func instantQuery[T any](t *testing.T, addr, query string, at time.Time, into *T) T {
	t.Helper()
	u := fmt.Sprintf("http://%s/api/v1/query?%s", addr, url.Values{"query": {query}, "time": {fmt.Sprint(at.Unix())}, "dedup": {"true"}}.Encode())
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var env struct {
		Status string `json:"status"`
		Data   struct {
			Result T `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &env), string(body))
	require.Equal(t, "success", env.Status)
	*into = env.Data.Result
	return env.Data.Result
}
