package manifestdiff

import (
	"fmt"
	"strings"
)

// A line diff of our own: Myers' O((N+M)D) algorithm in linear space (the
// "middle snake" recursion GNU diff uses). go-difflib's matcher is
// quadratic on the repeated lines ("}", "- name: x") that dashboards and
// manifests are full of, and took seconds for one changed line in a
// 10000-line ConfigMap.

// edit is a run of equal lines or a change (a[i1:i2] replaced by b[j1:j2]).
type edit struct {
	equal          bool
	i1, i2, j1, j2 int
}

// lineEdits returns the edit script from a to b as alternating runs.
func lineEdits(a, b []string) []edit {
	// Compare interned ints, not strings.
	ids := map[string]int{}
	intern := func(ls []string) []int {
		out := make([]int, len(ls))
		for i, l := range ls {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b), delA: make([]bool, len(a)), insB: make([]bool, len(b))}
	d.compare(0, len(a), 0, len(b))

	var edits []edit
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		e := edit{i1: i, j1: j}
		if i < len(a) && j < len(b) && !d.delA[i] && !d.insB[j] {
			e.equal = true
			for i < len(a) && j < len(b) && !d.delA[i] && !d.insB[j] {
				i++
				j++
			}
		} else {
			for i < len(a) && d.delA[i] {
				i++
			}
			for j < len(b) && d.insB[j] {
				j++
			}
		}
		if i == e.i1 && j == e.j1 {
			// Unpaired lines left over cannot happen; end in one change.
			i, j = len(a), len(b)
		}
		e.i2, e.j2 = i, j
		edits = append(edits, e)
	}
	return edits
}

type differ struct {
	a, b       []int
	delA, insB []bool
}

// compare marks the lines of a[aLo:aHi] deleted and of b[bLo:bHi] inserted
// that a shortest edit script needs.
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo++
		bLo++
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi--
		bHi--
	}
	switch {
	case aLo == aHi:
		for j := bLo; j < bHi; j++ {
			d.insB[j] = true
		}
		return
	case bLo == bHi:
		for i := aLo; i < aHi; i++ {
			d.delA[i] = true
		}
		return
	}
	x, y, ok := d.middle(aLo, aHi, bLo, bHi)
	if !ok || (x == aLo && y == bLo) || (x == aHi && y == bHi) {
		// Cannot happen for a correct split; replacing the block keeps the
		// diff valid and the recursion finite all the same.
		for i := aLo; i < aHi; i++ {
			d.delA[i] = true
		}
		for j := bLo; j < bHi; j++ {
			d.insB[j] = true
		}
		return
	}
	d.compare(aLo, x, bLo, y)
	d.compare(x, aHi, y, bHi)
}

// middle finds a point on a shortest edit path through the block, where
// the forward and backward searches meet.
func (d *differ) middle(aLo, aHi, bLo, bHi int) (x, y int, ok bool) {
	n, m := aHi-aLo, bHi-bLo
	delta := n - m
	odd := delta&1 != 0
	maxD := (n + m + 1) / 2
	off := maxD + 1
	vf := make([]int, 2*maxD+3) // forward: furthest x on diagonal k = x-y
	vb := make([]int, 2*maxD+3) // backward: furthest x counted from the end
	for D := 0; D <= maxD; D++ {
		for k := -D; k <= D; k += 2 {
			var x int
			if k == -D || (k != D && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && d.a[aLo+x] == d.b[bLo+y] {
				x++
				y++
			}
			vf[off+k] = x
			if kr := delta - k; odd && kr >= -(D-1) && kr <= D-1 && x+vb[off+kr] >= n {
				return aLo + x, bLo + y, true
			}
		}
		for k := -D; k <= D; k += 2 {
			var x int
			if k == -D || (k != D && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && d.a[aHi-1-x] == d.b[bHi-1-y] {
				x++
				y++
			}
			vb[off+k] = x
			if kf := delta - k; !odd && kf >= -D && kf <= D && vf[off+kf]+x >= n {
				return aHi - x, bHi - y, true
			}
		}
	}
	return 0, 0, false
}

// unifiedDiff is a unified diff of a to b with ContextLines of context, and
// its counts of added and removed lines; "" when they are equal.
func unifiedDiff(from, to string, a, b []string) (diff string, added, removed int) {
	edits := lineEdits(a, b)
	// Hunks: runs of changes whose separating equal runs are short enough
	// that their contexts would touch.
	type hunk struct{ first, last int } // indexes into edits, both changes
	var hunks []hunk
	for i, e := range edits {
		if e.equal {
			continue
		}
		if n := len(hunks); n > 0 {
			gap := edits[i-1] // the equal run between this change and the last
			if gap.i2-gap.i1 <= 2*ContextLines {
				hunks[n-1].last = i
				continue
			}
		}
		hunks = append(hunks, hunk{i, i})
	}
	if len(hunks) == 0 {
		return "", 0, 0
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", from, to)
	for _, h := range hunks {
		first, last := edits[h.first], edits[h.last]
		lead, trail := 0, 0
		if h.first > 0 {
			lead = min(ContextLines, edits[h.first-1].i2-edits[h.first-1].i1)
		}
		if h.last+1 < len(edits) {
			trail = min(ContextLines, edits[h.last+1].i2-edits[h.last+1].i1)
		}
		i1, i2 := first.i1-lead, last.i2+trail
		j1, j2 := first.j1-lead, last.j2+trail
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(i1, i2), hunkRange(j1, j2))
		for _, l := range a[i1:first.i1] {
			sb.WriteString(" " + l + "\n")
		}
		for k := h.first; k <= h.last; k++ {
			e := edits[k]
			if e.equal {
				for _, l := range a[e.i1:e.i2] {
					sb.WriteString(" " + l + "\n")
				}
				continue
			}
			for _, l := range a[e.i1:e.i2] {
				sb.WriteString("-" + l + "\n")
				removed++
			}
			for _, l := range b[e.j1:e.j2] {
				sb.WriteString("+" + l + "\n")
				added++
			}
		}
		for _, l := range a[last.i2:i2] {
			sb.WriteString(" " + l + "\n")
		}
	}
	return sb.String(), added, removed
}

// hunkRange is the unified format's "start,length" (1-based; an empty
// range starts at the line before it).
func hunkRange(start, stop int) string {
	switch n := stop - start; n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	default:
		return fmt.Sprintf("%d,%d", start+1, n)
	}
}
