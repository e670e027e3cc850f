package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/rules"
)

// promtoolTests are the hand-written promtool unit-test files. They name
// their rule file rules.yaml, which the test writes beside them.
func promtoolTests(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "promtool", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestPromtool runs the pinned promtool (internal/pins: built with the
// Prometheus the platform deploys, by internal/livebin into the tools cache)
// on the generated rules: `check rules` with every lint fatal, then `test
// rules` on the unit tests. Without -short it builds Prometheus first if the
// cache lacks it (minutes); -short uses a cached build or skips.
func TestPromtool(t *testing.T) {
	promtool := livetest.Built(t, pins.Prometheus, "promtool")

	out, err := rules.YAML(mustGroups(t))
	require.NoError(t, err)
	dir := t.TempDir()
	rulesFile := filepath.Join(dir, "rules.yaml")
	require.NoError(t, os.WriteFile(rulesFile, []byte(out), 0o644))
	var tests []string
	for _, src := range promtoolTests(t) {
		b, err := os.ReadFile(src)
		require.NoError(t, err)
		dst := filepath.Join(dir, filepath.Base(src))
		require.NoError(t, os.WriteFile(dst, b, 0o644))
		tests = append(tests, dst)
	}

	t.Run("promtool check rules accepts the generated rule file with every lint fatal", func(t *testing.T) {
		out := livetest.RunOK(t, 2*time.Minute, promtool, "check", "rules", "--lint=all", "--lint-fatal", rulesFile)
		t.Logf("promtool check rules\n%s", out)
	})
	t.Run("promtool test rules passes every unit test", func(t *testing.T) {
		out := livetest.RunOK(t, 10*time.Minute, promtool, append([]string{"test", "rules"}, tests...)...)
		t.Logf("promtool test rules\n%s", out)
	})
}

// unitTestFile is the part of promtool's unit-test format the coverage check reads.
type unitTestFile struct {
	GroupEvalOrder []string `yaml:"group_eval_order"`
	Tests          []struct {
		Name          string `yaml:"name"`
		AlertRuleTest []struct {
			Alertname string `yaml:"alertname"`
			ExpAlerts []any  `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
		PromqlExprTest []struct {
			Expr string `yaml:"expr"`
		} `yaml:"promql_expr_test"`
	} `yaml:"tests"`
}

func TestPromtoolTestsCoverEveryRule(t *testing.T) {
	groups := mustGroups(t)
	var groupNames []string
	for _, g := range groups.Groups {
		groupNames = append(groupNames, g.Name)
	}
	fires, quiet := map[string]bool{}, map[string]bool{}
	var exprs []string
	for _, f := range promtoolTests(t) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var u unitTestFile
		require.NoError(t, yaml.Unmarshal(b, &u), f)
		// promtool evaluates groups in random order unless told otherwise,
		// which would make the alert timelines flaky.
		require.Equal(t, groupNames, u.GroupEvalOrder, "%s: group_eval_order must list every generated group, recording groups first", f)
		for _, tg := range u.Tests {
			for _, c := range tg.AlertRuleTest {
				if len(c.ExpAlerts) > 0 {
					fires[c.Alertname] = true
				} else {
					quiet[c.Alertname] = true
				}
			}
			for _, c := range tg.PromqlExprTest {
				exprs = append(exprs, c.Expr)
			}
		}
	}
	for _, r := range allRules(groups) {
		switch {
		case r.Alert != "":
			require.True(t, fires[r.Alert], "alert %s has no promtool case in which it fires", r.Alert)
			if r.Alert != rules.WatchdogAlert { // always firing is its point
				require.True(t, quiet[r.Alert], "alert %s has no promtool case in which it stays quiet", r.Alert)
			}
		case r.Record != "":
			found := false
			for _, e := range exprs {
				found = found || strings.Contains(e, r.Record)
			}
			require.True(t, found, "recording rule %s has no promql_expr_test", r.Record)
		}
	}
}
