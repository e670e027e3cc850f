package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"
)

// The policy results are the output of `go test -json ./test/policy/`
// (kube-score and the connectivity table): the format Go's test runner
// already writes, so the workflow needs no converter and the tests no
// report writer. A test belongs to a stack when a segment of its name
// ("TestKubeScore/prod/...") is the stack's name; the rest apply to every
// stack.

// testEvent is one line of `go test -json` (cmd/test2json).
type testEvent struct {
	Action  string `json:"Action"`
	Package string `json:"Package"`
	Test    string `json:"Test"`
	Output  string `json:"Output"`
	// ImportPath is set on build-output and build-fail lines.
	ImportPath string `json:"ImportPath"`
}

// policyTest is one test's outcome.
type policyTest struct {
	Package, Name string
	// Action is pass, fail or skip.
	Action string
	Output string
}

type policyResults struct {
	tests []policyTest
}

func readPolicyResults(path string) (policyResults, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return policyResults{}, fmt.Errorf("policy results: %w", err)
	}
	p, err := parsePolicyResults(b)
	if err != nil {
		return policyResults{}, fmt.Errorf("policy results %s: %w; write them with `go test -json ./test/policy/ > %s`", path, err, path)
	}
	return p, nil
}

func parsePolicyResults(b []byte) (policyResults, error) {
	l, err := scanTestEvents(b)
	if err != nil {
		return policyResults{}, err
	}
	p := policyResults{tests: l.findings()}
	sort.SliceStable(p.tests, func(i, j int) bool {
		a, b := p.tests[i], p.tests[j]
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		return a.Name < b.Name
	})
	return p, nil
}

// testKey names one test of a package, or the package itself when test is
// empty.
type testKey struct{ pkg, test string }

// testLog is what the events said about each test, in the order the tests
// first appeared.
type testLog struct {
	outcome map[testKey]string
	output  map[testKey]*strings.Builder
	order   []testKey
}

// scanTestEvents reads go test -json output line by line into a testLog.
func scanTestEvents(b []byte) (*testLog, error) {
	l := &testLog{outcome: map[testKey]string{}, output: map[testKey]*strings.Builder{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if raw[0] != '{' {
			// go test prints some build errors as plain text before the JSON.
			l.addBuildText(raw)
			continue
		}
		if err := l.addEvent(raw); err != nil {
			return nil, fmt.Errorf("line %d is not a go test -json event: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// seen reports whether k has an entry, and gives it one when not.
func (l *testLog) seen(k testKey) bool {
	if l.output[k] != nil {
		return true
	}
	l.output[k] = &strings.Builder{}
	l.order = append(l.order, k)
	return false
}

// addBuildText records a plain-text build error line as a failure of the
// pseudo-package "(build)".
func (l *testLog) addBuildText(raw []byte) {
	k := testKey{pkg: "(build)"}
	if !l.seen(k) {
		l.outcome[k] = "fail"
	}
	l.output[k].WriteString(string(raw) + "\n")
}

// addEvent records one JSON event line.
func (l *testLog) addEvent(raw []byte) error {
	var e testEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return err
	}
	pkg := e.Package
	if pkg == "" {
		pkg = e.ImportPath
	}
	k := testKey{pkg, e.Test}
	l.seen(k)
	switch e.Action {
	case "output", "build-output":
		l.output[k].WriteString(e.Output)
	case "pass", "fail", "skip":
		l.outcome[k] = e.Action
	case "build-fail":
		l.outcome[k] = "fail"
	}
	return nil
}

// findings are the tests to report: leaves, and parents only when they fail
// on their own (a parent of a failed subtest fails too: that is not a second
// finding).
func (l *testLog) findings() []policyTest {
	isParent, failedChild := l.parents()
	var out []policyTest
	for _, k := range l.order {
		act, ok := l.outcome[k]
		if !ok {
			continue
		}
		if isParent[k] && (act != "fail" || failedChild[k]) {
			continue
		}
		out = append(out, policyTest{Package: k.pkg, Name: k.test, Action: act, Output: l.output[k].String()})
	}
	return out
}

// parents are the tests (and packages) that have subtests, and those of them
// with a failed subtest.
func (l *testLog) parents() (isParent, failedChild map[testKey]bool) {
	isParent, failedChild = map[testKey]bool{}, map[testKey]bool{}
	for _, k := range l.order {
		for i := strings.LastIndex(k.test, "/"); i > 0; i = strings.LastIndex(k.test[:i], "/") {
			p := testKey{k.pkg, k.test[:i]}
			isParent[p] = true
			if l.outcome[k] == "fail" {
				failedChild[p] = true
			}
		}
		if k.test != "" {
			isParent[testKey{k.pkg, ""}] = true
			if l.outcome[k] == "fail" {
				failedChild[testKey{k.pkg, ""}] = true
			}
		}
	}
	return isParent, failedChild
}

// forStack are the tests with a name segment equal to stack.
func (p policyResults) forStack(stack string) []policyTest {
	var out []policyTest
	for _, t := range p.tests {
		if testStack(t.Name, []string{stack}) == stack {
			out = append(out, t)
		}
	}
	return out
}

// general are the tests of no stack in stacks (package failures among them).
func (p policyResults) general(stacks []string) []policyTest {
	var out []policyTest
	for _, t := range p.tests {
		if testStack(t.Name, stacks) == "" {
			out = append(out, t)
		}
	}
	return out
}

// testStack is the first stack that is a segment of the test's name.
func testStack(name string, stacks []string) string {
	for _, seg := range strings.Split(name, "/") {
		for _, s := range stacks {
			if seg == s {
				return s
			}
		}
	}
	return ""
}

func policyCounts(tests []policyTest) string {
	n := map[string]int{}
	for _, t := range tests {
		n[t.Action]++
	}
	var parts []string
	if n["fail"] > 0 {
		parts = append(parts, fmt.Sprintf("❌ %d failed", n["fail"]))
	}
	parts = append(parts, fmt.Sprintf("%d passed", n["pass"]))
	if n["skip"] > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", n["skip"]))
	}
	return strings.Join(parts, ", ")
}

// policyText is the counts and, for each failure, what the test printed.
func policyText(tests []policyTest) string {
	var b strings.Builder
	b.WriteString(policyCounts(tests) + ".\n")
	shown := 0
	for _, t := range tests {
		if t.Action != "fail" {
			continue
		}
		if shown == maxPolicyFailures {
			b.WriteString("\n_More failures are in the workflow run's policy results._\n")
			break
		}
		shown++
		name := t.Name
		if name == "" {
			name = t.Package + " (the package itself: a build error or a failure outside any test)"
		}
		out := strings.TrimRight(t.Output, "\n")
		if len(out) > maxFailureOutput {
			cut := len(out) - maxFailureOutput
			for cut < len(out) && !utf8.RuneStart(out[cut]) {
				cut++
			}
			out = "…" + out[cut:]
		}
		f := fence(out)
		fmt.Fprintf(&b, "\n<details><summary>❌ <code>%s</code></summary>\n\n%s\n%s\n%s\n\n</details>\n", htmlEscape(name), f, out, f)
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
