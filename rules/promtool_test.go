package rules_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

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

// TestPromtool runs the pinned promtool (tools/go.mod) on the generated rules:
// `check rules` with every lint fatal, then `test rules` on the unit tests.
// promtool is built by `go tool` on first use, which takes minutes, so -short
// skips it; `make test` and CI run it.
func TestPromtool(t *testing.T) {
	if testing.Short() {
		t.Skip("runs promtool through `go tool`, whose first build takes minutes; run without -short")
	}
	toolsDir, err := filepath.Abs(filepath.Join("..", "tools"))
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(toolsDir, "go.mod"), "the pinned tools module is expected at ../tools")

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
		promtool(t, toolsDir, "check", "rules", "--lint=all", "--lint-fatal", rulesFile)
	})
	t.Run("promtool test rules passes every unit test", func(t *testing.T) {
		promtool(t, toolsDir, append([]string{"test", "rules"}, tests...)...)
	})
}

func promtool(t *testing.T, toolsDir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"tool", "promtool"}, args...)...)
	cmd.Dir = toolsDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("promtool %s\n%s", args[0]+" "+args[1], out)
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
