package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPolicyResultsReportEachFindingOnce(t *testing.T) {
	const pkg = "example.com/policy"
	ev := func(action, test, output string) string {
		return `{"Action":"` + action + `","Package":"` + pkg + `","Test":"` + test + `","Output":` + quote(output) + `}`
	}
	cases := map[string]struct {
		lines []string
		want  []policyTest
	}{
		"a failed subtest is one finding, not its parents too": {
			lines: []string{
				ev("output", "TestA/prod/x", "bad\n"),
				ev("fail", "TestA/prod/x", ""),
				ev("fail", "TestA/prod", ""),
				ev("fail", "TestA", ""),
				ev("fail", "", ""),
			},
			want: []policyTest{{Package: pkg, Name: "TestA/prod/x", Action: "fail", Output: "bad\n"}},
		},
		"a parent that fails on its own is reported beside its passing subtests": {
			lines: []string{
				ev("pass", "TestB/local", ""),
				ev("output", "TestB", "setup failed\n"),
				ev("fail", "TestB", ""),
			},
			want: []policyTest{
				{Package: pkg, Name: "TestB", Action: "fail", Output: "setup failed\n"},
				{Package: pkg, Name: "TestB/local", Action: "pass"},
			},
		},
		"plain-text build errors and build-fail lines are failures": {
			lines: []string{
				"# example.com/policy",
				"policy_test.go:1:1: syntax error",
				`{"Action":"build-output","ImportPath":"example.com/other","Output":"cannot compile\n"}`,
				`{"Action":"build-fail","ImportPath":"example.com/other"}`,
			},
			want: []policyTest{
				{Package: "(build)", Action: "fail", Output: "# example.com/policy\npolicy_test.go:1:1: syntax error\n"},
				{Package: "example.com/other", Action: "fail", Output: "cannot compile\n"},
			},
		},
		"tests without an outcome are left out": {
			lines: []string{ev("output", "TestC", "=== RUN   TestC\n")},
			want:  nil,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := parsePolicyResults([]byte(strings.Join(tc.lines, "\n") + "\n"))
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.tests)
		})
	}
}

func TestPolicyResultsNameTheLineThatIsNotAnEvent(t *testing.T) {
	_, err := parsePolicyResults([]byte("{\"Action\":\"pass\"}\n\n{not json\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 3 is not a go test -json event")
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, "\n", `\n`) + `"`
}
