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
	type key struct{ pkg, test string }
	outcome := map[key]string{}
	output := map[key]*strings.Builder{}
	var order []key
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
			k := key{pkg: "(build)"}
			if output[k] == nil {
				output[k] = &strings.Builder{}
				order = append(order, k)
				outcome[k] = "fail"
			}
			output[k].WriteString(string(raw) + "\n")
			continue
		}
		var e testEvent
		if err := json.Unmarshal(raw, &e); err != nil {
			return policyResults{}, fmt.Errorf("line %d is not a go test -json event: %w", line, err)
		}
		pkg := e.Package
		if pkg == "" {
			pkg = e.ImportPath
		}
		k := key{pkg, e.Test}
		if output[k] == nil {
			output[k] = &strings.Builder{}
			order = append(order, k)
		}
		switch e.Action {
		case "output", "build-output":
			output[k].WriteString(e.Output)
		case "pass", "fail", "skip":
			outcome[k] = e.Action
		case "build-fail":
			outcome[k] = "fail"
		}
	}
	if err := sc.Err(); err != nil {
		return policyResults{}, err
	}

	// Report leaves, and parents only when they fail on their own (a
	// parent of a failed subtest fails too: that is not a second finding).
	isParent := map[key]bool{}
	failedChild := map[key]bool{}
	for _, k := range order {
		for i := strings.LastIndex(k.test, "/"); i > 0; i = strings.LastIndex(k.test[:i], "/") {
			p := key{k.pkg, k.test[:i]}
			isParent[p] = true
			if outcome[k] == "fail" {
				failedChild[p] = true
			}
		}
		if k.test != "" {
			isParent[key{k.pkg, ""}] = true
			if outcome[k] == "fail" {
				failedChild[key{k.pkg, ""}] = true
			}
		}
	}
	var p policyResults
	for _, k := range order {
		act, ok := outcome[k]
		if !ok {
			continue
		}
		if isParent[k] && (act != "fail" || failedChild[k]) {
			continue
		}
		p.tests = append(p.tests, policyTest{Package: k.pkg, Name: k.test, Action: act, Output: output[k].String()})
	}
	sort.SliceStable(p.tests, func(i, j int) bool {
		a, b := p.tests[i], p.tests[j]
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		return a.Name < b.Name
	})
	return p, nil
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
