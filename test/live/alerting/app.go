package alerting

import (
	"fmt"
	"io"
	"maps"
	"math"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The synthetic application: the metrics of rules/CATALOG.md, as the
// seed's Node.js services would expose them, with values that are functions
// of time. A counter is the integral of a piecewise-constant rate from the
// app's origin, so the same function gives the history the test backfills
// and the values the live scrapes read, and the two join without a reset.

// segment is a rate (counters) or a value (gauges) from a moment on.
type segment struct {
	from time.Time
	v    float64
}

type series struct {
	name   string // the sample's name, e.g. http_requests_total
	labels map[string]string
	segs   []segment
}

func (s *series) at(t time.Time, counter bool, origin time.Time) float64 {
	if !counter {
		v := 0.0
		for _, g := range s.segs {
			if !g.from.After(t) {
				v = g.v
			}
		}
		return v
	}
	total := 0.0
	for i, g := range s.segs {
		start := maxTime(g.from, origin)
		end := t
		if i+1 < len(s.segs) && s.segs[i+1].from.Before(end) {
			end = s.segs[i+1].from
		}
		if end.After(start) {
			total += g.v * end.Sub(start).Seconds()
		}
	}
	return math.Floor(total)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// family is one metric family of a target.
type family struct {
	name, typ, help string
	series          []*series
}

// Target is one scrape target of the app: a pod as Prometheus's Kubernetes
// service discovery would find it.
type Target struct {
	// Job is the rendered scrape job that finds it.
	Job string
	// Namespace, Pod, Service (the pod's app.kubernetes.io/name), Container
	// and Node are the pod's identity, turned into target labels by the
	// job's relabelling.
	Namespace, Pod, Service, Container, Node string
	// Path is where the app serves its metrics.
	Path string

	app      *App
	families []*family
}

// App serves every target's metrics on one loopback listener.
type App struct {
	// Origin is where counters start at 0: the start of the history.
	Origin time.Time

	mu      sync.Mutex
	targets []*Target
	srv     *http.Server
	addr    string
}

// NewApp returns an app whose counters start at origin.
func NewApp(origin time.Time) *App { return &App{Origin: origin} }

// Start listens on a free loopback port.
func (a *App) Start() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("synthetic app: %w", err)
	}
	a.addr = l.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("/", a.serve)
	a.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = a.srv.Serve(l) }()
	return nil
}

// Addr is host:port of the listener.
func (a *App) Addr() string { return a.addr }

// Close stops the listener.
func (a *App) Close() error {
	if a.srv == nil {
		return nil
	}
	return a.srv.Close()
}

func (a *App) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.targets {
		if t.Path == r.URL.Path {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4")
			t.expose(w, time.Now())
			return
		}
	}
	http.NotFound(w, r)
}

func (a *App) target(t *Target) *Target {
	a.mu.Lock()
	defer a.mu.Unlock()
	t.app = a
	if t.Container == "" {
		t.Container = "app"
	}
	if t.Pod == "" {
		t.Pod = t.Service + "-5d8f7c9b6-x2k4p"
	}
	a.targets = append(a.targets, t)
	return t
}

// Targets returns the app's targets.
func (a *App) Targets() []*Target {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.targets)
}

func (t *Target) family(name, typ, help string) *family {
	for _, f := range t.families {
		if f.name == name {
			return f
		}
	}
	f := &family{name: name, typ: typ, help: help}
	t.families = append(t.families, f)
	return f
}

func (t *Target) set(f *family, name string, labels map[string]string, from time.Time, v float64) {
	for _, s := range f.series {
		if s.name == name && maps.Equal(s.labels, labels) {
			s.segs = append(s.segs, segment{from: from, v: v})
			return
		}
	}
	f.series = append(f.series, &series{name: name, labels: labels, segs: []segment{{from: from, v: v}}})
}

func (t *Target) expose(w io.Writer, now time.Time) {
	for _, f := range t.families {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		for _, s := range f.series {
			fmt.Fprintf(w, "%s%s %s\n", s.name, formatLabels(s.labels, nil), num(s.at(now, isCounterSample(f, s), t.app.Origin)))
		}
	}
}

// isCounterSample reports whether a sample accumulates (counters and a
// histogram's buckets, sum and count) rather than holds a value.
func isCounterSample(f *family, _ *series) bool { return f.typ == "counter" || f.typ == "histogram" }

func formatLabels(ls, extra map[string]string) string {
	all := maps.Clone(ls)
	if all == nil {
		all = map[string]string{}
	}
	maps.Copy(all, extra)
	if len(all) == 0 {
		return ""
	}
	keys := slices.Sorted(maps.Keys(all))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Quote(all[k])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// HTTP is an HTTP service's traffic from a moment on.
type HTTP struct {
	// RPS is requests per second.
	RPS float64
	// Errors is the share answered 500.
	Errors float64
	// Slow is the share that takes SlowSeconds (the rest take 50 ms).
	Slow        float64
	SlowSeconds float64
	// NoHistogram leaves the duration histogram out (a smaller history).
	NoHistogram bool
}

// httpBuckets are http_request_duration_seconds's, from the catalog.
var httpBuckets = []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// HTTPService adds an HTTP service in namespace, scraped by the
// kubernetes-pods job from its prometheus.io/path annotation.
func (a *App) HTTPService(namespace, service string, from time.Time, p HTTP) *Target {
	t := a.target(&Target{Job: "kubernetes-pods", Namespace: namespace, Service: service, Path: "/metrics/" + namespace + "/" + service})
	t.SetHTTP(from, p)
	return t
}

// SetHTTP changes the service's traffic from a moment on.
func (t *Target) SetHTTP(from time.Time, p HTTP) {
	t.app.mu.Lock()
	defer t.app.mu.Unlock()
	route := map[string]string{"method": "GET", "endpoint": "/api/v1/items"}
	with := func(k, v string) map[string]string { m := maps.Clone(route); m[k] = v; return m }
	reqs := t.family("http_requests_total", "counter", "HTTP requests served.")
	t.set(reqs, "http_requests_total", with("status_code", "200"), from, p.RPS*(1-p.Errors))
	t.set(reqs, "http_requests_total", with("status_code", "500"), from, p.RPS*p.Errors)
	if p.NoHistogram {
		return
	}
	slowS := p.SlowSeconds
	if slowS == 0 {
		slowS = 3
	}
	const fast = 0.05
	dur := t.family("http_request_duration_seconds", "histogram", "HTTP request duration.")
	for _, le := range append(slices.Clone(httpBuckets), math.Inf(1)) {
		share := 0.0
		if fast <= le {
			share += 1 - p.Slow
		}
		if slowS <= le {
			share += p.Slow
		}
		leText := "+Inf"
		if !math.IsInf(le, 1) {
			leText = num(le)
		}
		t.set(dur, "http_request_duration_seconds_bucket", with("le", leText), from, p.RPS*share)
	}
	t.set(dur, "http_request_duration_seconds_sum", maps.Clone(route), from, p.RPS*((1-p.Slow)*fast+p.Slow*slowS))
	t.set(dur, "http_request_duration_seconds_count", maps.Clone(route), from, p.RPS)
}

// Payments is a payment service's attempts from a moment on.
type Payments struct {
	PerSecond float64
	Failed    float64 // share of attempts that failed
}

// PaymentService adds the payments service of a namespace.
func (a *App) PaymentService(namespace string, from time.Time, p Payments) *Target {
	t := a.target(&Target{Job: "kubernetes-pods", Namespace: namespace, Service: "payments", Path: "/metrics/" + namespace + "/payments"})
	t.SetPayments(from, p)
	return t
}

// SetPayments changes the attempts from a moment on.
func (t *Target) SetPayments(from time.Time, p Payments) {
	t.app.mu.Lock()
	defer t.app.mu.Unlock()
	f := t.family("payment_attempts_total", "counter", "Payment attempts by outcome.")
	t.set(f, "payment_attempts_total", map[string]string{"payment_method": "card", "status": "succeeded"}, from, p.PerSecond*(1-p.Failed))
	t.set(f, "payment_attempts_total", map[string]string{"payment_method": "card", "status": "failed"}, from, p.PerSecond*p.Failed)
}

// BookingService adds the bookings service of a namespace, creating
// perHour bookings (every attempt succeeds).
func (a *App) BookingService(namespace string, from time.Time, perHour float64) *Target {
	t := a.target(&Target{Job: "kubernetes-pods", Namespace: namespace, Service: "bookings", Path: "/metrics/" + namespace + "/bookings"})
	t.SetBookings(from, perHour)
	return t
}

// SetBookings changes the booking rate from a moment on.
func (t *Target) SetBookings(from time.Time, perHour float64) {
	t.app.mu.Lock()
	defer t.app.mu.Unlock()
	st := map[string]string{"service_type": "consultation"}
	created := t.family("bookings_created_total", "counter", "Bookings created.")
	t.set(created, "bookings_created_total", st, from, perHour/3600)
	attempts := t.family("booking_attempts_total", "counter", "Booking attempts by outcome.")
	t.set(attempts, "booking_attempts_total", map[string]string{"service_type": "consultation", "status": "created"}, from, perHour/3600)
}

// NodeExporter adds a node-exporter pod on node, in the exporters'
// namespace, whose root filesystem of sizeBytes has freeShare free.
func (a *App) NodeExporter(namespace, node string, from time.Time, sizeBytes, freeShare float64) *Target {
	t := a.target(&Target{Job: "node-exporter", Namespace: namespace, Service: "node-exporter", Node: node,
		Pod: "node-exporter-" + node, Container: "node-exporter", Path: "/metrics/" + namespace + "/node-exporter/" + node})
	t.SetDisk(from, sizeBytes, freeShare)
	return t
}

// SetDisk changes the free share of the root filesystem from a moment on.
func (t *Target) SetDisk(from time.Time, sizeBytes, freeShare float64) {
	t.app.mu.Lock()
	defer t.app.mu.Unlock()
	fs := map[string]string{"device": "/dev/nvme0n1p1", "fstype": "ext4", "mountpoint": "/"}
	avail := t.family("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users.")
	t.set(avail, "node_filesystem_avail_bytes", fs, from, math.Round(sizeBytes*freeShare))
	size := t.family("node_filesystem_size_bytes", "gauge", "Filesystem size.")
	t.set(size, "node_filesystem_size_bytes", maps.Clone(fs), from, sizeBytes)
}

// TargetLabels are the labels the rendered relabelling gives the target's
// series (checked live against what Prometheus stored), and Meta are the
// discovery labels that produce them.
func (t *Target) TargetLabels(addr string) map[string]string {
	switch t.Job {
	case "node-exporter":
		return map[string]string{"job": t.Job, "instance": t.Node, "node": t.Node, "namespace": t.Namespace, "pod": t.Pod}
	default:
		return map[string]string{"job": t.Job, "instance": addr, "namespace": t.Namespace, "pod": t.Pod,
			"service": t.Service, "container": t.Container}
	}
}

// Meta are the __meta_kubernetes_* labels Kubernetes service discovery
// would give the pod, which the rendered relabel_configs turn into target
// labels; with them a static target goes through the rendered relabelling.
func (t *Target) Meta(addr string) map[string]string {
	_, port, _ := net.SplitHostPort(addr)
	m := map[string]string{
		"__meta_kubernetes_namespace":                           t.Namespace,
		"__meta_kubernetes_pod_name":                            t.Pod,
		"__meta_kubernetes_pod_phase":                           "Running",
		"__meta_kubernetes_pod_label_app_kubernetes_io_name":    t.Service,
		"__meta_kubernetes_pod_container_name":                  t.Container,
		"__meta_kubernetes_pod_annotation_prometheus_io_scrape": "true",
		"__meta_kubernetes_pod_annotation_prometheus_io_port":   port,
		"__meta_kubernetes_pod_annotation_prometheus_io_path":   t.Path,
		"__meta_kubernetes_pod_container_port_name":             "metrics",
		// The declared port SD gives the target: the annotation job keeps
		// only the target whose port is the annotated one (keepequal).
		"__meta_kubernetes_pod_container_port_number": port,
		"__meta_kubernetes_pod_ready":                 "true",
	}
	if t.Node != "" {
		m["__meta_kubernetes_pod_node_name"] = t.Node
		// node-exporter is scraped on /metrics: the path comes from the
		// job, not an annotation, so the target carries it itself.
		m["__metrics_path__"] = t.Path
	}
	return m
}

// OpenMetrics writes the app's history from its origin to end (exclusive)
// at step, as `promtool tsdb create-blocks-from openmetrics` reads it, with
// each target's labels as the live scrapes will store them. extra are
// further series (ALERTS_FOR_STATE) written as gauges.
func (a *App) OpenMetrics(w io.Writer, end time.Time, step time.Duration, addr string, extra []Sample) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	byFamily := map[string][]string{}
	var order []string
	for _, t := range a.targets {
		tl := t.TargetLabels(addr)
		for _, f := range t.families {
			if _, ok := byFamily[f.name]; !ok {
				order = append(order, f.name)
				byFamily[f.name] = []string{fmt.Sprintf("# TYPE %s %s", omFamily(f), f.typ)}
			}
			for _, s := range f.series {
				lbl := formatLabels(s.labels, tl)
				for ts := a.Origin; ts.Before(end); ts = ts.Add(step) {
					byFamily[f.name] = append(byFamily[f.name], fmt.Sprintf("%s%s %s %d", s.name, lbl, num(s.at(ts, isCounterSample(f, s), a.Origin)), ts.Unix()))
				}
			}
		}
	}
	var b strings.Builder
	for _, name := range order {
		b.WriteString(strings.Join(byFamily[name], "\n"))
		b.WriteString("\n")
	}
	sort.SliceStable(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	last := ""
	for _, s := range extra {
		if s.Name != last {
			fmt.Fprintf(&b, "# TYPE %s gauge\n", s.Name)
			last = s.Name
		}
		fmt.Fprintf(&b, "%s%s %s %d\n", s.Name, formatLabels(s.Labels, nil), num(s.Value), s.At.Unix())
	}
	b.WriteString("# EOF\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// omFamily is the OpenMetrics family name: a counter's without _total.
func omFamily(f *family) string {
	if f.typ == "counter" {
		return strings.TrimSuffix(f.name, "_total")
	}
	return f.name
}

// Sample is one sample of a series the history adds.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
	At     time.Time
}
