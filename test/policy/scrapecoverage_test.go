package policy_test

import (
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	promcfg "github.com/prometheus/prometheus/config"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renderedMonitoring is what the prod stack hands Prometheus: its scrape
// configuration and its rule files, read back from the ConfigMaps.
type renderedMonitoring struct {
	scrape *promcfg.Config
	groups []rulefmt.RuleGroup
}

func monitoringOf(t *testing.T, objs []manifest) renderedMonitoring {
	t.Helper()
	var out renderedMonitoring
	for _, m := range objs {
		if m.Kind != "ConfigMap" {
			continue
		}
		data, _ := m.Object["data"].(map[string]any)
		for key, v := range data {
			text, _ := v.(string)
			switch {
			case key == "prometheus.yml":
				cfg, err := promcfg.Load(text, slog.New(slog.DiscardHandler))
				require.NoError(t, err, "%s/%s", m.Namespace, m.Name)
				out.scrape = cfg
			case strings.HasSuffix(key, ".yaml"):
				rg, errs := rulefmt.Parse([]byte(text), false, model.LegacyValidation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
				if len(errs) == 0 {
					out.groups = append(out.groups, rg.Groups...)
				}
			}
		}
	}
	require.NotNil(t, out.scrape, "no prometheus.yml ConfigMap rendered")
	require.NotEmpty(t, out.groups, "no rule file ConfigMap rendered")
	return out
}

// downSelectors are the up{...} selectors (with matchers) of the alerts of
// platform.down, as the PromQL parser prints them.
func (r renderedMonitoring) downSelectors(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, g := range r.groups {
		if g.Name != "platform.down" {
			continue
		}
		for _, rule := range g.Rules {
			expr, err := parser.NewParser(parser.Options{}).ParseExpr(rule.Expr)
			require.NoError(t, err, rule.Alert)
			parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
				if vs, ok := n.(*parser.VectorSelector); ok && vs.Name == "up" && len(vs.LabelMatchers) > 1 {
					if s := vs.String(); !slices.Contains(out, s) {
						out = append(out, s)
					}
				}
				return nil
			})
		}
	}
	return out
}

// TestEveryScrapedComponentOfTheProdStackHasADownAlert reads the prod stack's
// rendered objects: every workload whose pods carry the scrape annotations,
// and every scrape job that is not the annotation job, must have a "down"
// alert in the rendered rule file. A new component scraped without one
// fails here.
func TestEveryScrapedComponentOfTheProdStackHasADownAlert(t *testing.T) {
	objs := manifests(t, "prod")
	mon := monitoringOf(t, objs)
	down := mon.downSelectors(t)
	require.NotEmpty(t, down, "the rule file has no platform.down group")

	var annotated []string
	for _, m := range objs {
		switch m.Kind {
		case "Deployment", "StatefulSet", "DaemonSet":
		default:
			continue
		}
		meta := nested(m.Object, "spec", "template", "metadata")
		ann, _ := meta["annotations"].(map[string]any)
		if ann["prometheus.io/scrape"] != "true" {
			continue
		}
		labels, _ := meta["labels"].(map[string]any)
		name, _ := labels["app.kubernetes.io/name"].(string)
		require.NotEmpty(t, name, "%s %s/%s is scraped but has no app.kubernetes.io/name, which becomes the series' service", m.Kind, m.Namespace, m.Name)
		if !slices.Contains(annotated, name) {
			annotated = append(annotated, name)
		}
	}
	require.NotEmpty(t, annotated, "no workload carries the scrape annotations")
	t.Logf("scraped by annotation: %v; down alerts select: %v", annotated, down)
	for _, name := range annotated {
		want := `up{job="kubernetes-pods",service="` + name + `"}`
		assert.Contains(t, down, want, "pods named %q are scraped by the annotation job but no platform.down alert selects them (rules/platform.go scraped)", name)
	}

	for _, sc := range mon.scrape.ScrapeConfigs {
		switch sc.JobName {
		case "kubernetes-pods": // per service, above
			continue
		case "kubernetes-service-endpoints":
			// The platform annotates pods, not Services; an annotated
			// Service would be scraped without a down alert.
			for _, m := range objs {
				if m.Kind != "Service" {
					continue
				}
				ann, _ := nested(m.Object, "metadata")["annotations"].(map[string]any)
				assert.NotEqual(t, "true", ann["prometheus.io/scrape"], "Service %s/%s is scraped by %s, which has no down alert", m.Namespace, m.Name, sc.JobName)
			}
			continue
		}
		assert.Contains(t, down, `up{job="`+sc.JobName+`"}`, "scrape job %s has no platform.down alert (rules/platform.go scraped)", sc.JobName)
	}
}

func nested(obj map[string]any, path ...string) map[string]any {
	cur := obj
	for _, p := range path {
		next, _ := cur[p].(map[string]any)
		if next == nil {
			return map[string]any{}
		}
		cur = next
	}
	return cur
}
