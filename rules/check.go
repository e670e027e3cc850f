package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// CheckQuery parses expr with the Prometheus PromQL parser and fails when it
// selects a metric the catalog does not declare, or uses a label (in a
// matcher, by/without, on/ignoring or group_left/group_right) that the
// selected series cannot carry. It is meant for dashboard and SLO queries,
// which read through Thanos Query and so may also use ExternalLabels.
//
// A histogram is selected through its series: name_bucket (which adds `le`),
// name_sum and name_count. Recording rules carry only their own labels, not
// the target labels of the series they were computed from.
func CheckQuery(expr string) error { return checkExpr(expr, true) }

// checkRuleExpr is CheckQuery for rule expressions. Prometheus evaluates
// rules before external labels are attached, so a rule matching on `cluster`
// would silently select nothing.
func checkRuleExpr(expr string) error { return checkExpr(expr, false) }

func checkExpr(expr string, external bool) error {
	node, err := newParser().ParseExpr(expr)
	if err != nil {
		return fmt.Errorf("parse PromQL %q: %w", expr, err)
	}
	c := checker{external: external, seen: map[string]bool{}}
	c.labels(node)
	return errors.Join(c.errs...)
}

// labelSet is the set of labels an expression's result can carry. anyLabel
// stands for "unknown" (below an undeclared metric), so that one mistake is
// reported once rather than at every label used above it.
type labelSet struct {
	anyLabel bool
	names    map[string]bool
}

func setOf(names ...string) labelSet {
	s := labelSet{names: map[string]bool{}}
	for _, n := range names {
		s.names[n] = true
	}
	return s
}

func (s labelSet) has(name string) bool { return s.anyLabel || s.names[name] }

func (s labelSet) union(o labelSet) labelSet {
	out := labelSet{anyLabel: s.anyLabel || o.anyLabel, names: map[string]bool{}}
	for n := range s.names {
		out.names[n] = true
	}
	for n := range o.names {
		out.names[n] = true
	}
	return out
}

func (s labelSet) with(names ...string) labelSet { return s.union(setOf(names...)) }

func (s labelSet) without(names ...string) labelSet {
	out := s.union(labelSet{})
	for _, n := range names {
		delete(out.names, n)
	}
	return out
}

func (s labelSet) String() string {
	if s.anyLabel {
		return "any"
	}
	names := make([]string, 0, len(s.names))
	for n := range s.names {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

type checker struct {
	external bool
	errs     []error
	seen     map[string]bool
}

func (c *checker) fail(format string, args ...any) {
	err := fmt.Errorf(format, args...)
	if !c.seen[err.Error()] {
		c.seen[err.Error()] = true
		c.errs = append(c.errs, err)
	}
}

// labels checks node and returns the labels its result can carry.
func (c *checker) labels(node parser.Node) labelSet {
	switch n := node.(type) {
	case *parser.VectorSelector:
		return c.selector(n)
	case *parser.MatrixSelector:
		return c.labels(n.VectorSelector)
	case *parser.SubqueryExpr:
		return c.labels(n.Expr)
	case *parser.ParenExpr:
		return c.labels(n.Expr)
	case *parser.UnaryExpr:
		return c.labels(n.Expr)
	case *parser.StepInvariantExpr:
		return c.labels(n.Expr)
	case *parser.AggregateExpr:
		return c.aggregate(n)
	case *parser.BinaryExpr:
		return c.binary(n)
	case *parser.Call:
		return c.call(n)
	default: // number and string literals, durations
		return setOf()
	}
}

func (c *checker) selector(vs *parser.VectorSelector) labelSet {
	name := vs.Name
	for _, m := range vs.LabelMatchers {
		if m.Name != model.MetricNameLabel || name != "" {
			continue
		}
		if m.Type != labels.MatchEqual {
			c.fail("%s selects metric names by %s: select one declared metric by name so it can be checked", vs, m.Type)
			return labelSet{anyLabel: true}
		}
		name = m.Value
	}
	if name == "" {
		c.fail("%s has no metric name: select a declared metric by name", vs)
		return labelSet{anyLabel: true}
	}
	allowed, ok := c.series(name)
	if !ok {
		return labelSet{anyLabel: true}
	}
	for _, m := range vs.LabelMatchers {
		if m.Name != model.MetricNameLabel && !allowed.has(m.Name) {
			c.fail("%s: label %q is not declared on %s (it can carry: %s); declare it in the catalog if the source exposes it, or fix the query",
				vs, m.Name, name, allowed)
		}
	}
	return allowed
}

// series resolves a selected series name to the labels it can carry.
func (c *checker) series(name string) (labelSet, bool) {
	m, suffix, ok := resolve(name)
	if !ok {
		c.fail("metric %q is not declared in the catalog (rules/catalog.go): declare it, with its type and labels, if the application or an exporter exposes it, or fix the query (rules/CATALOG.md lists replaced names)", name)
		return labelSet{}, false
	}
	if suffix == "" && m.Type == Histogram {
		c.fail("metric %q is a histogram: select %s_bucket, %s_sum or %s_count", name, name, name, name)
		return labelSet{}, false
	}
	s := setOf(m.Labels...)
	if m.Source != SourceRecordingRule {
		s = s.with(targetLabels...)
	}
	if c.external {
		s = s.with(externalLabels...)
	}
	if suffix == "_bucket" {
		s = s.with("le")
	}
	if suffix == "" && m.Type == Summary {
		s = s.with("quantile")
	}
	return s, true
}

// resolve finds the catalog entry a series belongs to: the metric itself, or
// the histogram (or summary) a _bucket, _sum or _count series is part of.
func resolve(name string) (m Metric, suffix string, ok bool) {
	if m, ok := catalog[name]; ok {
		return m, "", true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, found := strings.CutSuffix(name, suffix)
		if !found {
			continue
		}
		m, ok := catalog[base]
		if ok && (m.Type == Histogram || (m.Type == Summary && suffix != "_bucket")) {
			return m, suffix, true
		}
	}
	return Metric{}, "", false
}

func (c *checker) aggregate(n *parser.AggregateExpr) labelSet {
	in := c.labels(n.Expr)
	if n.Param != nil {
		c.labels(n.Param) // checked for its own selectors; it adds no labels
	}
	clause := "by"
	if n.Without {
		clause = "without"
	}
	for _, l := range n.Grouping {
		if !in.has(l) {
			c.fail("%s (%s): label %q is not carried by the aggregated expression %s (it can carry: %s)",
				clause, strings.Join(n.Grouping, ", "), l, n.Expr, in)
		}
	}
	var out labelSet
	switch {
	case n.Op == parser.TOPK || n.Op == parser.BOTTOMK || n.Op == parser.LIMITK || n.Op == parser.LIMIT_RATIO:
		out = in // these select series and keep their labels
	case n.Without:
		out = in.without(n.Grouping...)
	default:
		out = setOf(n.Grouping...)
	}
	if n.Op == parser.COUNT_VALUES {
		if s, ok := n.Param.(*parser.StringLiteral); ok {
			out = out.with(s.Val)
		}
	}
	return out
}

func (c *checker) binary(n *parser.BinaryExpr) labelSet {
	lhs, rhs := c.labels(n.LHS), c.labels(n.RHS)
	lv, rv := n.LHS.Type() == parser.ValueTypeVector, n.RHS.Type() == parser.ValueTypeVector
	switch {
	case lv && !rv:
		return lhs
	case rv && !lv:
		return rhs
	case !lv && !rv:
		return setOf()
	}
	vm := n.VectorMatching
	if vm == nil {
		vm = &parser.VectorMatching{Card: parser.CardOneToOne}
	}
	for _, l := range vm.MatchingLabels {
		if vm.On && !(lhs.has(l) && rhs.has(l)) {
			c.fail("on (%s): label %q is not carried by both sides of %s (left: %s; right: %s)",
				strings.Join(vm.MatchingLabels, ", "), l, n, lhs, rhs)
		}
		if !vm.On && !lhs.has(l) && !rhs.has(l) {
			c.fail("ignoring (%s): label %q is carried by neither side of %s", strings.Join(vm.MatchingLabels, ", "), l, n)
		}
	}
	// group_left(x) copies x from the right ("one") side, group_right from the left.
	one := rhs
	if vm.Card == parser.CardOneToMany {
		one = lhs
	}
	for _, l := range vm.Include {
		if !one.has(l) {
			c.fail("group_left/group_right (%s): label %q is not carried by the side it is copied from in %s (it can carry: %s)",
				strings.Join(vm.Include, ", "), l, n, one)
		}
	}
	switch {
	case n.Op == parser.LAND || n.Op == parser.LUNLESS:
		return lhs
	case n.Op == parser.LOR:
		return lhs.union(rhs)
	case vm.Card == parser.CardManyToOne:
		return lhs.with(vm.Include...)
	case vm.Card == parser.CardOneToMany:
		return rhs.with(vm.Include...)
	case vm.On:
		return setOf(vm.MatchingLabels...) // one-to-one on() keeps only the on() labels
	default:
		return lhs.without(vm.MatchingLabels...)
	}
}

func (c *checker) call(n *parser.Call) labelSet {
	args := make([]labelSet, len(n.Args))
	for i, a := range n.Args {
		args[i] = c.labels(a)
	}
	str := func(i int) string {
		if i < len(n.Args) {
			if s, ok := n.Args[i].(*parser.StringLiteral); ok {
				return s.Val
			}
		}
		return ""
	}
	switch n.Func.Name {
	case "histogram_quantile":
		in := args[1]
		if !in.has("le") {
			c.fail("%s: the histogram argument has no le label (it can carry: %s); select a _bucket series and keep le in by()", n, in)
		}
		return in.without("le")
	case "label_replace": // label_replace(v, dst, replacement, src, regex)
		if src := str(3); src != "" && !args[0].has(src) {
			c.fail("%s: source label %q is not carried by %s (it can carry: %s)", n, src, n.Args[0], args[0])
		}
		return args[0].with(str(1))
	case "label_join": // label_join(v, dst, separator, src...)
		for i := 3; i < len(n.Args); i++ {
			if src := str(i); !args[0].has(src) {
				c.fail("%s: source label %q is not carried by %s (it can carry: %s)", n, src, n.Args[0], args[0])
			}
		}
		return args[0].with(str(1))
	}
	out := setOf()
	for i, a := range n.Args {
		if a.Type() == parser.ValueTypeVector || a.Type() == parser.ValueTypeMatrix {
			out = out.union(args[i])
		}
	}
	return out
}
