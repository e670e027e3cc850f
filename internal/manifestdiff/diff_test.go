package manifestdiff

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lcs is the textbook quadratic longest common subsequence length.
func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestLineEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"}", "{", "- name: a", "x", "y"} // few symbols: many repeats
	randLines := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[rng.IntN(len(words))]
		}
		return out
	}
	cases := map[string]func(t *testing.T, a, b []string){
		"applying the edits to the base gives the head": func(t *testing.T, a, b []string) {
			var got []string
			for _, e := range lineEdits(a, b) {
				if e.equal {
					require.Equal(t, a[e.i1:e.i2], b[e.j1:e.j2])
				}
				got = append(got, b[e.j1:e.j2]...)
			}
			assert.Equal(t, strings.Join(b, "\n"), strings.Join(got, "\n"))
		},
		"the edits keep a longest common subsequence, so the diff is shortest": func(t *testing.T, a, b []string) {
			kept := 0
			for _, e := range lineEdits(a, b) {
				if e.equal {
					kept += e.i2 - e.i1
				}
			}
			assert.Equal(t, lcs(a, b), kept)
		},
	}
	for name, check := range cases {
		t.Run(name, func(t *testing.T) {
			for range 500 {
				a, b := randLines(rng.IntN(30)), randLines(rng.IntN(30))
				check(t, a, b)
				if t.Failed() {
					t.Logf("a=%q\nb=%q", a, b)
					return
				}
			}
		})
	}
}

func TestUnifiedDiffHunks(t *testing.T) {
	base := make([]string, 40)
	for i := range base {
		base[i] = string(rune('a'+i%26)) + strings.Repeat("!", i/26)
	}
	change := func(idx ...int) []string {
		out := append([]string(nil), base...)
		for _, i := range idx {
			out[i] = "changed"
		}
		return out
	}
	cases := map[string]struct {
		head      []string
		wantHunks []string
	}{
		"equal lines give no diff":                          {head: base},
		"changes far apart are two hunks":                   {head: change(5, 30), wantHunks: []string{"@@ -3,7 +3,7 @@", "@@ -28,7 +28,7 @@"}},
		"changes within twice the context are one hunk":     {head: change(5, 11), wantHunks: []string{"@@ -3,13 +3,13 @@"}},
		"a change at the first line has no leading context": {head: change(0), wantHunks: []string{"@@ -1,4 +1,4 @@"}},
		"an insertion at the end has only leading context":  {head: append(append([]string(nil), base...), "new"), wantHunks: []string{"@@ -38,3 +38,4 @@"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, _, _ := unifiedDiff("a", "b", base, tc.head)
			var hunks []string
			for _, l := range strings.Split(d, "\n") {
				if strings.HasPrefix(l, "@@") {
					hunks = append(hunks, l)
				}
			}
			assert.Equal(t, tc.wantHunks, hunks, d)
		})
	}
}
