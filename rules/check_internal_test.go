package rules

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckRuleExpr(t *testing.T) {
	cases := map[string]struct {
		expr    string
		wantErr string
	}{
		"a rule may not match on the cluster label, which Prometheus only adds after evaluation": {
			expr:    `namespace_service:http_requests:rate5m{cluster="prod"} > 0`,
			wantErr: `label "cluster" is not declared`,
		},
		"a rule may group by the target labels of a scraped metric": {
			expr: `sum by (namespace, service) (active_connections) > 80`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := checkRuleExpr(tc.expr)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestGroupsRefusesAnUndeclaredMetric(t *testing.T) {
	saved := ruleGroups
	t.Cleanup(func() { ruleGroups = saved })
	ruleGroups = []ruleGroup{{name: "broken.rules", alerts: []alertingRule{{
		alert: "Broken", expr: `sum(rate(payments_completed_total[5m])) > 0`, severity: SeverityWarning, team: TeamBackend,
	}}}}

	groups, err := Groups(Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts", LocalRetention: LongestWindow()})
	require.ErrorContains(t, err, `group "broken.rules", alert "Broken": metric "payments_completed_total" is not declared`)
	require.Empty(t, groups.Groups, "nothing is returned with an error")
}

func TestGroupsRefusesAnSLOOnAnUndeclaredMetric(t *testing.T) {
	saved := slos
	t.Cleanup(func() { slos = saved })
	broken := saved[0]
	broken.SLI = SLI{
		Good:  `sum by (namespace, service) (rate(payments_completed_total[{{.window}}]))`,
		Total: saved[0].SLI.Total,
	}
	slos = []SLO{broken}

	groups, err := Groups(Options{RunbookBaseURL: "https://runbooks.klearkarma.com/alerts", LocalRetention: LongestWindow()})
	require.ErrorContains(t, err, `group "slo:availability", recording rule "namespace_service_slo:sli_error:ratio_rate5m": metric "payments_completed_total" is not declared`)
	require.Empty(t, groups.Groups, "nothing is returned with an error")
}

// TestNoMetricIsDeclaredTwice guards the catalog's map: a second entry with
// the same name (two lists declaring one metric) would silently replace the
// first, with its labels and where it was checked.
func TestNoMetricIsDeclaredTwice(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range slices.Concat(exposed, platformExposed, pipelineExposed) {
		if seen[m.Name] {
			t.Errorf("%s is declared twice (exposed, platformExposed, pipelineExposed): keep one entry", m.Name)
		}
		seen[m.Name] = true
	}
	// One record name may have several rules (one per service or window);
	// it must not also be an exposed metric.
	for _, g := range allRuleGroups() {
		for _, r := range g.records {
			if seen[r.record] {
				t.Errorf("recording rule %s has the name of an exposed metric", r.record)
			}
		}
	}
}
