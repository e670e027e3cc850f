package rules_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/rules"
)

// testOptions are the options the golden file and the promtool tests were
// written for; the runbook links in testdata/promtool/*.yaml depend on them.
var testOptions = rules.Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts", LocalRetention: 30 * 24 * time.Hour}

func mustGroups(t *testing.T) rulefmt.RuleGroups {
	t.Helper()
	groups, err := rules.Groups(testOptions)
	require.NoError(t, err)
	return groups
}

func allRules(groups rulefmt.RuleGroups) []rulefmt.Rule {
	var out []rulefmt.Rule
	for _, g := range groups.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

func ruleName(r rulefmt.Rule) string { return r.Alert + r.Record }

func TestOptions(t *testing.T) {
	cases := map[string]struct {
		opts        rules.Options
		wantErr     string
		wantRunbook string
	}{
		"an empty runbook base URL is refused and the error says what to set": {
			opts:    rules.Options{LocalRetention: testOptions.LocalRetention},
			wantErr: "set it to the absolute URL the runbooks live under",
		},
		"a relative runbook base URL is refused": {
			opts:    rules.Options{RunbookBaseURL: "runbooks/alerts", LocalRetention: testOptions.LocalRetention},
			wantErr: "is not an absolute http(s) URL",
		},
		"a runbook base URL with a query is refused": {
			opts:    rules.Options{RunbookBaseURL: "https://runbooks.klearkarma.com/?page=alerts", LocalRetention: testOptions.LocalRetention},
			wantErr: "without query or fragment",
		},
		"a trailing slash on the base URL does not double the slash in runbook links": {
			opts:        rules.Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts/", LocalRetention: testOptions.LocalRetention},
			wantRunbook: "https://runbooks.klearkarma.com/alerts/higherrorrate",
		},
		"a local retention shorter than the 30-day error budget window is refused, naming the rule that reads it": {
			opts:    rules.Options{RunbookBaseURL: testOptions.RunbookBaseURL, LocalRetention: 15 * 24 * time.Hour},
			wantErr: "localRetention: 15d is shorter than the 30d window namespace_service_slo:error_budget_remaining:ratio (group slo:availability) reads. Fix: keep at least 30d locally",
		},
		"a missing local retention is refused": {
			opts:    rules.Options{RunbookBaseURL: testOptions.RunbookBaseURL},
			wantErr: "localRetention: is not set. Fix: set it to at least 30d",
		},
		"exactly the longest window is enough": {
			opts:        rules.Options{RunbookBaseURL: testOptions.RunbookBaseURL, LocalRetention: rules.LongestWindow()},
			wantRunbook: "https://runbooks.klearkarma.com/alerts/higherrorrate",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			groups, err := rules.Groups(tc.opts)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.Empty(t, groups.Groups, "nothing is returned with an error")
				return
			}
			require.NoError(t, err)
			for _, r := range allRules(groups) {
				if r.Alert == "HighErrorRate" {
					require.Equal(t, tc.wantRunbook, r.Annotations["runbook_url"])
					return
				}
			}
			t.Fatal("HighErrorRate not found")
		})
	}
}

func TestGroups(t *testing.T) {
	groups := mustGroups(t)

	t.Run("the seed's alerts are all there, in the seed's groups", func(t *testing.T) {
		got := map[string][]string{}
		for _, g := range groups.Groups {
			if strings.HasPrefix(g.Name, "slo:") || strings.HasPrefix(g.Name, "platform.") {
				continue // TestSLOs, TestPlatformAlerts
			}
			for _, r := range g.Rules {
				if r.Alert != "" {
					got[g.Name] = append(got[g.Name], r.Alert)
				}
			}
		}
		require.Equal(t, map[string][]string{
			// HighErrorRate twice: its page and its warning tier.
			"application.rules": {"HighErrorRate", "HighErrorRate", "HighResponseTime", "DatabaseConnectionHigh", "HighMemoryUsage", "DiskSpaceLow", "EndpointDown", "EndpointDegraded"},
			"business.rules":    {"LowBookingRate", "HighPaymentFailureRate"},
		}, got)
	})

	t.Run("every expression parses with the PromQL parser and passes the catalog check", func(t *testing.T) {
		p := parser.NewParser(parser.Options{})
		for _, r := range allRules(groups) {
			_, err := p.ParseExpr(r.Expr)
			require.NoError(t, err, ruleName(r))
			require.NoError(t, rules.CheckQuery(r.Expr), ruleName(r))
		}
	})

	t.Run("every alert carries severity, team, summary, description and a runbook link", func(t *testing.T) {
		for _, g := range groups.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				if r.Alert == rules.WatchdogAlert {
					require.Equal(t, rules.SeverityNone, r.Labels["severity"], "the Watchdog never pages")
				} else {
					require.Contains(t, []string{rules.SeverityCritical, rules.SeverityWarning}, r.Labels["severity"], r.Alert)
				}
				if team, ok := r.Labels["team"]; ok {
					require.Contains(t, []string{rules.TeamBackend, rules.TeamInfrastructure, rules.TeamProduct, rules.TeamPayments}, team, r.Alert)
				} else {
					// The probe alerts keep the team label of the probed
					// application's series (the stack's probes list); the
					// catalog check proves probe_success carries it.
					require.Contains(t, []string{"EndpointDown", "EndpointDegraded"}, r.Alert, "only the probe alerts take their team from the series")
					require.Contains(t, r.Expr, "probe_success", r.Alert)
				}
				require.NotEmpty(t, r.Annotations["summary"], r.Alert)
				require.NotEmpty(t, r.Annotations["description"], r.Alert)
				require.Equal(t, testOptions.RunbookBaseURL+"/"+strings.ToLower(r.Alert), r.Annotations["runbook_url"])
				if strings.HasPrefix(g.Name, "slo:") {
					// The short window already makes a burn-rate alert
					// wait and resolve; a `for` would only delay the page.
					require.Zero(t, r.For, "%s: burn-rate alerts have no for duration", r.Alert)
				} else if r.Alert != rules.WatchdogAlert { // it must fire from the first evaluation
					require.NotZero(t, r.For, "%s: every other alert has a for duration", r.Alert)
				}
			}
		}
	})

	t.Run("HighErrorRate pages above 5% and warns above 1% under one name, so Alertmanager's critical-over-warning inhibit rule matches it", func(t *testing.T) {
		tiers := map[string]string{}
		for _, r := range allRules(groups) {
			if r.Alert == "HighErrorRate" {
				tiers[r.Labels["severity"]] = r.Expr
				require.Equal(t, rules.TeamBackend, r.Labels["team"])
			}
		}
		require.Equal(t, map[string]string{
			rules.SeverityCritical: "namespace_service:http_requests_5xx:ratio_rate5m > 0.05",
			rules.SeverityWarning:  "namespace_service:http_requests_5xx:ratio_rate5m > 0.01",
		}, tiers)
	})

	t.Run("the longest window any rule reads is the availability SLO's 30 days", func(t *testing.T) {
		require.Equal(t, 30*24*time.Hour, rules.LongestWindow())
	})

	t.Run("the payment failure alert stays with the payments team", func(t *testing.T) {
		for _, r := range allRules(groups) {
			if r.Alert == "HighPaymentFailureRate" {
				require.Equal(t, rules.TeamPayments, r.Labels["team"])
				require.Equal(t, rules.SeverityCritical, r.Labels["severity"])
				return
			}
		}
		t.Fatal("HighPaymentFailureRate not found")
	})

	t.Run("no rule uses the label names cAdvisor removed", func(t *testing.T) {
		for _, r := range allRules(groups) {
			for _, old := range []string{"container_name", "pod_name", "container_memory_usage_bytes"} {
				require.NotContains(t, r.Expr, old, ruleName(r))
				require.NotContains(t, r.Annotations["description"], old, ruleName(r))
			}
		}
	})

	t.Run("recording rules follow level:metric:operations and are declared in the catalog", func(t *testing.T) {
		for _, r := range allRules(groups) {
			if r.Record == "" {
				continue
			}
			parts := strings.Split(r.Record, ":")
			require.Len(t, parts, 3, r.Record)
			m, ok := rules.Lookup(r.Record)
			require.True(t, ok, "%s is not in the catalog", r.Record)
			require.Equal(t, rules.SourceRecordingRule, m.Source)
			require.True(t, isLevel(parts[0], m.Labels),
				"%s: the level %q must be its labels %v joined by _", r.Record, parts[0], m.Labels)
		}
	})
}

// isLevel reports whether level is the labels joined by "_" in some order.
func isLevel(level string, labels []string) bool {
	if len(labels) == 0 {
		return level == ""
	}
	for i, l := range labels {
		rest := slices.Delete(slices.Clone(labels), i, i+1)
		if level == l && len(rest) == 0 {
			return true
		}
		if after, ok := strings.CutPrefix(level, l+"_"); ok && isLevel(after, rest) {
			return true
		}
	}
	return false
}

func TestYAML(t *testing.T) {
	groups := mustGroups(t)
	out, err := rules.YAML(groups)
	require.NoError(t, err)

	t.Run("the rule file loads with rulefmt.Parse without errors", func(t *testing.T) {
		parsed, errs := rulefmt.Parse([]byte(out), false, model.LegacyValidation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
		require.Empty(t, errs)
		require.Equal(t, groups, *parsed, "the file reads back as the groups it was written from")
	})

	t.Run("the same groups always give the same bytes", func(t *testing.T) {
		for range 5 {
			again, err := rules.YAML(mustGroups(t))
			require.NoError(t, err)
			require.Equal(t, out, again)
		}
	})

	t.Run("a group that Prometheus would refuse is an error, not a file", func(t *testing.T) {
		bad := rulefmt.RuleGroups{Groups: []rulefmt.RuleGroup{{Name: "x", Rules: []rulefmt.Rule{{Record: "a:b:c", Expr: "sum(("}}}}}
		_, err := rules.YAML(bad)
		require.ErrorContains(t, err, "does not load")
	})

	t.Run("the rule file matches testdata/rules.golden.yaml (go test ./rules -update rewrites it)", func(t *testing.T) {
		golden := filepath.Join("testdata", "rules.golden.yaml")
		if pulumitest.Updating() {
			require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err)
		require.Equal(t, string(want), out)
	})
}
