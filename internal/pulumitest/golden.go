package pulumitest

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// update is the one -update flag of every test binary that compares with
// golden files: `go test ./<pkg> -update` rewrites them.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ (and other generated files the tests compare)")

// Updating reports whether the test run was asked to rewrite golden files.
func Updating() bool { return *update }

// Golden compares got with the file at path (under the package's
// testdata/), rewriting it instead under -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file %s: %v (run the test with -update to create it)", path, err)
	}
	if string(want) != string(got) {
		t.Errorf("%s is stale or the output changed; review the diff and run the test with -update:\n%s", path, lineDiff(string(want), string(got)))
	}
}

// Cases runs one subtest per case, in the order of the case names (a map
// keyed by a sentence saying what the case shows).
func Cases[C any](t *testing.T, cases map[string]C, run func(t *testing.T, tc C)) {
	t.Helper()
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tc := cases[name]
		t.Run(name, func(t *testing.T) { run(t, tc) })
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := splitLines(want), splitLines(got)
	var out []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "-"+a, "+"+b)
		}
		if len(out) >= 20 {
			out = append(out, "...")
			break
		}
	}
	s := ""
	for _, l := range out {
		s += l + "\n"
	}
	return s
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
