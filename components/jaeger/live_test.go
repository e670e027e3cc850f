package jaeger

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/jaeger" //lint:ignore SA1019 the last Jaeger Thrift exporter of the Go SDK: the seed app's protocol
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
)

// The live check runs what New deploys, with the pinned binaries on
// loopback: two Jaeger v2 processes from the generated tier configs and the
// collector from its generated config. Only addresses change, and each
// Jaeger's Cassandra backend becomes its memory backend (Cassandra cannot
// run here: no container runtime, no JVM). Spans go in over the three
// endpoints applications use and come back through each tier's query API.

// tracesPerProtocol × 3 protocols is the sample the ratio is judged on.
const (
	tracesPerProtocol = 1000
	spansPerTrace     = 3
)

// liveStack is the processes' loopback addresses.
type liveStack struct {
	query     map[string]string // tier role -> query HTTP address
	otlpGRPC  string
	otlpHTTP  string
	thriftURL string
}

// loopback is the address of port on 127.0.0.1.
func loopback(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// onLoopback is a tier's generated config with its addresses moved to free
// loopback ports and its storage swapped for memory.
func onLoopback(t *testing.T, c jaegerConfig) (jaegerConfig, string, string) {
	otlp, query, health := livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t)
	c.Receivers.OTLP.Protocols.GRPC = &endpoint{loopback(otlp)}
	c.Extensions.Query.HTTP = endpoint{loopback(query)}
	c.Extensions.Query.GRPC = endpoint{loopback(livetest.FreePort(t))}
	c.Extensions.Health.HTTP = endpoint{loopback(health)}
	c.Service.Telemetry.Metrics.Readers[0].Pull.Exporter.Prometheus = promEndpoint{Host: "127.0.0.1", Port: livetest.FreePort(t)}
	c.Extensions.Storage.Backends = map[string]traceBackend{storageName: {Memory: &memoryBackend{MaxTraces: 100000}}}
	return c, loopback(otlp), loopback(query) + "|" + loopback(health)
}

// startLiveStack starts both tiers' Jaegers, then the collector in front.
func startLiveStack(t *testing.T, a Args) liveStack {
	jaegerBin, collectorBin := livetest.Built(t, pins.Jaeger, "jaeger"), livetest.Built(t, pins.OTelCollector, "otelcol-kk")
	s := liveStack{query: map[string]string{}}
	otlpOf := map[string]string{}
	for _, tr := range a.tiers() {
		cfg, otlp, addrs := onLoopback(t, tierConfig("jaeger", tr, "cassandra.invalid"))
		query, health, _ := strings.Cut(addrs, "|")
		y, err := render(cfg)
		require.NoError(t, err)
		livetest.Start(t, jaegerBin, "--config=file:"+livetest.WriteFile(t, "jaeger-"+tr.role+".yaml", y))
		livetest.WaitHTTP(t, "http://"+health+"/status", time.Minute)
		s.query[tr.role], otlpOf[tr.role] = query, otlp
	}
	c := collectorConfigFor("jaeger", a.tiers(), nil)
	for _, tr := range a.tiers() {
		e := c.Exporters[exporterName(tr)]
		e.Endpoint = otlpOf[tr.role]
		c.Exporters[exporterName(tr)] = e
	}
	grpcPort, httpPort, thrift, health := livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t), livetest.FreePort(t)
	c.Receivers.OTLP.Protocols = otlpProtocols{GRPC: &endpoint{loopback(grpcPort)}, HTTP: &endpoint{loopback(httpPort)}}
	c.Receivers.Jaeger.Protocols.ThriftHTTP = endpoint{loopback(thrift)}
	c.Extensions.Health = endpoint{loopback(health)}
	c.Service.Telemetry.Metrics.Readers[0].Pull.Exporter.Prometheus = promEndpoint{Host: "127.0.0.1", Port: livetest.FreePort(t)}
	y, err := render(c)
	require.NoError(t, err)
	livetest.Start(t, collectorBin, "--config=file:"+livetest.WriteFile(t, "collector.yaml", y))
	livetest.WaitHTTP(t, "http://"+loopback(health)+"/", time.Minute)
	s.otlpGRPC, s.otlpHTTP = loopback(grpcPort), loopback(httpPort)
	s.thriftURL = fmt.Sprintf("http://%s/api/traces", loopback(thrift))
	return s
}

// exporters are the three ways in, by the service name their spans carry.
func exporters(t *testing.T, ctx context.Context, s liveStack) map[string]sdktrace.SpanExporter {
	grpcExp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(s.otlpGRPC), otlptracegrpc.WithInsecure())
	require.NoError(t, err)
	httpExp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpoint(s.otlpHTTP), otlptracehttp.WithInsecure())
	require.NoError(t, err)
	thriftExp, err := jaeger.New(jaeger.WithCollectorEndpoint(jaeger.WithEndpoint(s.thriftURL)))
	require.NoError(t, err)
	return map[string]sdktrace.SpanExporter{"live-otlp-grpc": grpcExp, "live-otlp-http": httpExp, "live-jaeger-thrift": thriftExp}
}

// sendTraces sends tracesPerProtocol traces of spansPerTrace spans through
// exp as service, and returns their trace ids.
func sendTraces(t *testing.T, ctx context.Context, service string, exp sdktrace.SpanExporter) []string {
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp, sdktrace.WithMaxExportBatchSize(256), sdktrace.WithMaxQueueSize(tracesPerProtocol*spansPerTrace)),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))),
	)
	tracer := tp.Tracer("live-test")
	ids := make([]string, 0, tracesPerProtocol)
	for i := 0; i < tracesPerProtocol; i++ {
		rctx, root := tracer.Start(ctx, "request")
		for j := 1; j < spansPerTrace; j++ {
			_, child := tracer.Start(rctx, "step-"+strconv.Itoa(j))
			child.End()
		}
		root.End()
		ids = append(ids, root.SpanContext().TraceID().String())
	}
	require.NoError(t, tp.Shutdown(ctx), "flush %s", service)
	return ids
}

// storedTrace is a trace as the query API returns it.
type storedTrace struct {
	TraceID string `json:"traceID"`
	Spans   []struct {
		Tags []struct {
			Key   string `json:"key"`
			Value any    `json:"value"`
		} `json:"tags"`
	} `json:"spans"`
}

// findTraces asks a tier's query API (the one Grafana uses) for a
// service's traces of the last hour.
func findTraces(t *testing.T, query, service string) map[string]storedTrace {
	now := time.Now()
	url := fmt.Sprintf("http://%s/api/traces?service=%s&limit=%d&start=%d&end=%d", query, service, 10*tracesPerProtocol,
		now.Add(-time.Hour).UnixMicro(), now.Add(time.Minute).UnixMicro())
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct{ Data []storedTrace }
	if resp.StatusCode != http.StatusOK {
		return nil // no such service yet
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	out := map[string]storedTrace{}
	for _, tr := range body.Data {
		out[tr.TraceID] = tr
	}
	return out
}

// settled polls find until it returns the same number of traces twice in a
// row, each with every span, or the deadline passes.
func settled(t *testing.T, find func() map[string]storedTrace, want func(map[string]storedTrace) bool) map[string]storedTrace {
	deadline := time.Now().Add(time.Minute)
	var last map[string]storedTrace
	for {
		got := find()
		if want(got) && last != nil && len(got) == len(last) {
			return got
		}
		last = got
		if time.Now().After(deadline) {
			return got
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func wholeTraces(m map[string]storedTrace) bool {
	for _, tr := range m {
		if len(tr.Spans) != spansPerTrace {
			return false
		}
	}
	return true
}

func TestLiveBothTiersKeepWhatTheyShould(t *testing.T) {
	livetest.SkipShort(t, "runs two jaeger tiers and otelcol-kk")
	started := time.Now()
	a := seedArgs(t)
	s := startLiveStack(t, a)
	t.Logf("stack up in %s", time.Since(started).Round(100*time.Millisecond))
	ctx := context.Background()
	sent := map[string][]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for service, exp := range exporters(t, ctx, s) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := sendTraces(t, ctx, service, exp)
			mu.Lock()
			sent[service] = ids
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Logf("sent %d traces of %d spans over OTLP gRPC, OTLP HTTP and Jaeger Thrift in %s", 3*tracesPerProtocol, spansPerTrace, time.Since(started).Round(100*time.Millisecond))

	kept := 0
	var threshold string
	for service, ids := range sent {
		detailed := settled(t, func() map[string]storedTrace { return findTraces(t, s.query[roleDetailed], service) },
			func(m map[string]storedTrace) bool { return len(m) == len(ids) && wholeTraces(m) })
		require.Len(t, detailed, len(ids), "%s: the detailed tier keeps every trace", service)
		for _, id := range ids {
			require.Len(t, detailed[id].Spans, spansPerTrace, "%s: the detailed tier keeps every span of %s", service, id)
		}
		sampled := settled(t, func() map[string]storedTrace { return findTraces(t, s.query[roleSampled], service) }, wholeTraces)
		sentSet := map[string]bool{}
		for _, id := range ids {
			sentSet[id] = true
		}
		for id, tr := range sampled {
			require.True(t, sentSet[id], "%s: the sampled tier has a trace that was not sent: %s", service, id)
			require.Len(t, tr.Spans, spansPerTrace, "%s: a kept trace is kept whole: %s", service, id)
			threshold = tracestateThreshold(t, tr)
		}
		assert.NotEmpty(t, sampled, "%s: some traces are kept", service)
		assert.Equal(t, keptBy(t, threshold, ids), sortedKeys(sampled), "%s: exactly the traces whose randomness is at or above the sampler's threshold", service)
		kept += len(sampled)
	}
	for _, role := range []string{roleDetailed, roleSampled} {
		assert.ElementsMatch(t, []string{"live-otlp-grpc", "live-otlp-http", "live-jaeger-thrift"}, services(t, s.query[role]),
			"%s: only the applications' traces (Jaeger does not trace itself into the tier)", role)
	}
	n := float64(3 * tracesPerProtocol)
	p := a.SampledRatio
	sigma := math.Sqrt(n * p * (1 - p))
	t.Logf("sampled tier kept %d of %.0f traces (expected %.0f, σ %.1f); done in %s", kept, n, n*p, sigma, time.Since(started).Round(100*time.Millisecond))
	// Binomial(n, p): 4σ on either side fails a correct sampler about once
	// in 16,000 runs, and a wrong ratio (e.g. 0.05 or 0.15: ±9σ) always.
	assert.InDelta(t, n*p, float64(kept), 4*sigma, "kept about sampledRatio of the traces")
}

// tracestateThreshold is the sampler's threshold a kept span records in
// its W3C tracestate ("ot=th:e666"), which Jaeger keeps as a tag.
func tracestateThreshold(t *testing.T, tr storedTrace) string {
	for _, sp := range tr.Spans {
		for _, tag := range sp.Tags {
			if tag.Key != "w3c.tracestate" {
				continue
			}
			for _, kv := range strings.Split(strings.TrimPrefix(fmt.Sprint(tag.Value), "ot="), ";") {
				if th, ok := strings.CutPrefix(kv, "th:"); ok {
					return th
				}
			}
		}
	}
	t.Fatalf("trace %s: no span records the sampling threshold in w3c.tracestate", tr.TraceID)
	return ""
}

// keptBy is which trace ids the proportional sampler keeps at threshold
// th: those whose last 56 bits (the W3C randomness) are at least th,
// padded to 14 hex digits.
func keptBy(t *testing.T, th string, ids []string) []string {
	limit, err := strconv.ParseUint((th + "00000000000000")[:14], 16, 64)
	require.NoError(t, err, "threshold %q", th)
	var out []string
	for _, id := range ids {
		b, err := hex.DecodeString(id)
		require.NoError(t, err)
		if binary.BigEndian.Uint64(append([]byte{0}, b[9:]...)) >= limit {
			out = append(out, id)
		}
	}
	return sorted(out)
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]storedTrace) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return sorted(out)
}

// services are the service names a tier's query API knows.
func services(t *testing.T, query string) []string {
	resp, err := http.Get("http://" + query + "/api/services")
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct{ Data []string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return body.Data
}
