package fluentconf

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// element is the untyped form both directions go through: a directive
// name, its argument, its parameters and its nested elements.
type element struct {
	name, arg string
	params    Params
	children  []element
	line      int // where the parser found it, for errors
}

var (
	elementName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	paramKey    = regexp.MustCompile(`^@?[A-Za-z0-9_]+$`)
)

// Render writes the configuration as fluent.conf text: two-space indents,
// a blank line between top-level directives, parameters in the model's
// order. The same Config always gives the same bytes.
func Render(c Config) (string, error) {
	var b strings.Builder
	var errs []error
	for i, e := range c.elements() {
		if i > 0 {
			b.WriteByte('\n')
		}
		errs = append(errs, writeElement(&b, e, 0)...)
	}
	if err := errors.Join(errs...); err != nil {
		return "", fmt.Errorf("render fluent.conf: %w", err)
	}
	return b.String(), nil
}

func writeElement(b *strings.Builder, e element, depth int) []error {
	var errs []error
	where := "<" + e.name + ">"
	if !elementName.MatchString(e.name) {
		errs = append(errs, fmt.Errorf("directive name %q must be letters, digits or '_'", e.name))
	}
	if e.arg != strings.TrimSpace(e.arg) || strings.ContainsAny(e.arg, "<>\r\n") {
		errs = append(errs, fmt.Errorf("%s argument %q must be one line without '<', '>' or surrounding spaces", where, e.arg))
	}
	indent := strings.Repeat("  ", depth)
	b.WriteString(indent + "<" + e.name)
	if e.arg != "" {
		b.WriteString(" " + e.arg)
	}
	b.WriteString(">\n")
	for _, p := range e.params {
		if err := checkParam(p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		b.WriteString(indent + "  " + p.Key)
		if p.Value != "" {
			b.WriteString(" " + p.Value)
		}
		b.WriteByte('\n')
	}
	for _, c := range e.children {
		errs = append(errs, writeElement(b, c, depth+1)...)
	}
	b.WriteString(indent + "</" + e.name + ">\n")
	return errs
}

// checkParam refuses what Fluentd would read back differently.
func checkParam(p Param) error {
	if !paramKey.MatchString(p.Key) {
		return fmt.Errorf("parameter key %q must be letters, digits or '_', optionally after '@'", p.Key)
	}
	v := p.Value
	if v == "" {
		return nil
	}
	switch v[0] {
	case '"', '\'':
		if _, err := Unquote(v); err != nil {
			return fmt.Errorf("parameter %s: %w", p.Key, err)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("parameter %s: a value must fit on one line", p.Key)
		}
		return nil
	case '[', '{':
		if !jsonValue(v) {
			return fmt.Errorf("parameter %s: %s is not a one-line JSON value", p.Key, v)
		}
		return nil
	}
	if !bareSafe(v) {
		return fmt.Errorf("parameter %s: %q would not read back as written; build it with P to quote it", p.Key, v)
	}
	return nil
}

// elements lowers the typed model to directives in a fixed order: system,
// sources, the top-level chain, labels.
func (c Config) elements() []element {
	var out []element
	if c.System != nil {
		out = append(out, c.System.element())
	}
	for _, s := range c.Sources {
		out = append(out, s.element())
	}
	out = append(out, stepElements(c.Steps)...)
	for _, l := range c.Labels {
		out = append(out, element{name: "label", arg: l.Name, children: stepElements(l.Steps)})
	}
	return out
}

func stepElements(steps []Step) []element {
	out := make([]element, 0, len(steps))
	for _, s := range steps {
		switch {
		case s.Filter != nil:
			out = append(out, s.Filter.element())
		case s.Match != nil:
			out = append(out, s.Match.element())
		}
	}
	return out
}

// head is the @type and @id every plugin directive starts with.
func head(typ, id string) Params {
	var ps Params
	if typ != "" {
		ps = append(ps, P("@type", typ))
	}
	if id != "" {
		ps = append(ps, P("@id", id))
	}
	return ps
}

func (s Source) element() element {
	e := element{name: "source", params: append(head(s.Type, s.ID), s.Params...)}
	if s.Parse != nil {
		e.children = append(e.children, s.Parse.element())
	}
	e.children = append(e.children, sectionElements(s.Sections)...)
	return e
}

func (f Filter) element() element {
	e := element{name: "filter", arg: f.Pattern, params: append(head(f.Type, f.ID), f.Params...)}
	if f.Parse != nil {
		e.children = append(e.children, f.Parse.element())
	}
	e.children = append(e.children, sectionElements(f.Sections)...)
	return e
}

func (m Match) element() element {
	e := element{name: "match", arg: m.Pattern, params: append(head(m.Type, m.ID), m.Params...)}
	e.children = append(e.children, sectionElements(m.Sections)...)
	if m.Buffer != nil {
		e.children = append(e.children, m.Buffer.element())
	}
	return e
}

func (p Parser) element() element {
	return element{name: "parse", params: append(head(p.Type, ""), p.Params...), children: sectionElements(p.Sections)}
}

func (s Section) element() element {
	return element{name: s.Name, arg: s.Arg, params: s.Params, children: sectionElements(s.Sections)}
}

func sectionElements(ss []Section) []element {
	out := make([]element, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.element())
	}
	return out
}

// element writes the buffer settings in the seed's order; zero values are
// left out so Fluentd's defaults apply.
func (b Buffer) element() element {
	ps := head(b.Type, "")
	str := func(k, v string) {
		if v != "" {
			ps = append(ps, P(k, v))
		}
	}
	num := func(k string, v int) {
		if v != 0 {
			ps = append(ps, P(k, strconv.Itoa(v)))
		}
	}
	str("path", b.Path)
	str("flush_mode", b.FlushMode)
	str("retry_type", b.RetryType)
	num("flush_thread_count", b.FlushThreadCount)
	str("flush_interval", b.FlushInterval)
	if b.RetryForever {
		ps = append(ps, P("retry_forever", "true"))
	}
	str("retry_max_interval", b.RetryMaxInterval)
	str("chunk_limit_size", b.ChunkLimitSize)
	num("queue_limit_length", b.QueueLimitLength)
	str("overflow_action", b.OverflowAction)
	return element{name: "buffer", arg: b.ChunkKeys, params: append(ps, b.Extra...)}
}
