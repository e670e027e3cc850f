// Package jsonprobetest runs a jsonprobe.Probe's configuration through the
// json_exporter's own code, for tests: the rendered file is loaded by the
// exporter's config loader and applied to a response by its collector,
// exactly what the sidecar does on each scrape. Only tests import it.
package jsonprobetest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus-community/json_exporter/config"
	"github.com/prometheus-community/json_exporter/exporter"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/klearkarma/observability/internal/jsonprobe"
)

// Result is one scrape: every series by its text form (name{label="v",...},
// labels sorted), and the errors the exporter logged (a path that matched
// nothing, a value that is no number), each of which drops its series.
type Result struct {
	Series map[string]float64
	Errors []string
}

// Names are the metric names of the series, sorted, each once.
func (r Result) Names() []string {
	var out []string
	for s := range r.Series {
		n, _, _ := strings.Cut(s, "{")
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Scrape renders p, loads the file with config.LoadConfig and collects the
// module's metrics from response.
func Scrape(t testing.TB, p jsonprobe.Probe, response []byte) Result {
	t.Helper()
	text, err := p.Render()
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	path := filepath.Join(t.TempDir(), jsonprobe.ConfigFile)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadConfig(path)
	if err != nil {
		t.Fatalf("json_exporter refuses the configuration: %v\n%s", err, text)
	}
	module, ok := cfg.Modules[p.Module]
	if !ok {
		t.Fatalf("the loaded configuration has no module %q:\n%s", p.Module, text)
	}
	metrics, err := exporter.CreateMetricsList(module)
	if err != nil {
		t.Fatalf("json_exporter refuses the module: %v", err)
	}
	logs := &recorder{}
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(exporter.JSONMetricCollector{JSONMetrics: metrics, Data: response, Logger: slog.New(logs)}); err != nil {
		t.Fatalf("register the collector: %v", err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := Result{Series: map[string]float64{}, Errors: logs.errors()}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var pairs []string
			for _, l := range m.GetLabel() {
				pairs = append(pairs, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			slices.Sort(pairs)
			key := f.GetName()
			if len(pairs) > 0 {
				key += "{" + strings.Join(pairs, ",") + "}"
			}
			var v float64
			switch {
			case m.GetGauge() != nil:
				v = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				v = m.GetCounter().GetValue()
			default:
				v = m.GetUntyped().GetValue()
			}
			out.Series[key] = v
		}
	}
	return out
}

// recorder keeps the messages of the records at level error and above.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	msg := rec.Message
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "path" || a.Key == "err" {
			msg += " " + a.Key + "=" + a.Value.String()
		}
		return true
	})
	r.mu.Lock()
	r.msgs = append(r.msgs, msg)
	r.mu.Unlock()
	return nil
}

func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func (r *recorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}
