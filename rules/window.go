package rules

import (
	"fmt"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// LongestWindow is the longest stretch of past data any generated rule
// reads at one evaluation: its range selectors and subqueries with their
// offsets (and an instant selector's offset with the 5-minute lookback).
// The Prometheus that evaluates the rules must keep at least this much
// (CheckLocalRetention); today it is the availability SLO's 30-day error
// budget.
func LongestWindow() time.Duration {
	d, _ := longestWindow()
	return d
}

// lookbackDelta is how far back Prometheus looks for an instant vector's
// latest sample (its default, which the platform keeps).
const lookbackDelta = 5 * time.Minute

// longestWindow is LongestWindow and the rule that reads it, for messages.
func longestWindow() (time.Duration, string) {
	var longest time.Duration
	var which string
	for _, g := range allRuleGroups() {
		visit := func(name, expr string) {
			if d := exprWindow(expr); d > longest {
				longest, which = d, fmt.Sprintf("%s (group %s)", name, g.name)
			}
		}
		for _, r := range g.records {
			visit(r.record, r.expr)
		}
		for _, a := range g.alerts {
			visit(a.alert, a.expr)
		}
	}
	return longest, which
}

// exprWindow is how far back one expression reads. The rules are checked
// to parse (Groups), so an expression that does not is read as reaching
// nothing here.
func exprWindow(expr string) time.Duration {
	node, err := newParser().ParseExpr(expr)
	if err != nil {
		return 0
	}
	return nodeWindow(node, 0)
}

// nodeWindow walks node, with outer the range and offset its enclosing
// subqueries already add.
func nodeWindow(node parser.Node, outer time.Duration) time.Duration {
	switch n := node.(type) {
	case *parser.MatrixSelector:
		vs := n.VectorSelector.(*parser.VectorSelector)
		return outer + n.Range + vs.OriginalOffset
	case *parser.VectorSelector:
		return outer + lookbackDelta + n.OriginalOffset
	case *parser.SubqueryExpr:
		return nodeWindow(n.Expr, outer+n.Range+n.OriginalOffset)
	}
	var longest time.Duration
	for _, c := range parser.Children(node) {
		longest = max(longest, nodeWindow(c, outer))
	}
	return longest
}
