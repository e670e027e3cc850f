package pipeline

import (
	"errors"
	"fmt"
	"strings"
)

// Render writes the pipeline as Logstash configuration text, two-space
// indented; the same Pipeline always gives the same bytes.
func Render(p Config) (string, error) {
	r := &renderer{}
	for _, sec := range []struct {
		name   string
		stages []Stage
	}{{"input", p.Inputs}, {"filter", p.Filters}, {"output", p.Outputs}} {
		if len(sec.stages) == 0 {
			continue
		}
		if r.b.Len() > 0 {
			r.b.WriteByte('\n')
		}
		r.line(0, sec.name+" {")
		r.stages(1, sec.stages)
		r.line(0, "}")
	}
	if err := errors.Join(r.errs...); err != nil {
		return "", fmt.Errorf("render pipeline: %w", err)
	}
	return r.b.String(), nil
}

type renderer struct {
	b    strings.Builder
	errs []error
}

func (r *renderer) line(depth int, s string) {
	r.b.WriteString(strings.Repeat("  ", depth) + s + "\n")
}

func (r *renderer) fail(format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf(format, args...))
}

func (r *renderer) stages(depth int, stages []Stage) {
	for _, s := range stages {
		switch {
		case s.Plugin != nil && s.If == nil:
			r.plugin(depth, *s.Plugin)
		case s.If != nil && s.Plugin == nil:
			r.conditional(depth, *s.If)
		default:
			r.fail("a stage must be exactly one plugin or one conditional")
		}
	}
}

func (r *renderer) plugin(depth int, p Plugin) {
	if !word.MatchString(p.Name) {
		r.fail("plugin name %q is not a word", p.Name)
	}
	r.line(depth, p.Name+" {")
	for _, s := range p.Settings {
		if !word.MatchString(s.Name) {
			r.fail("%s: setting name %q is not a word", p.Name, s.Name)
		}
		r.line(depth+1, s.Name+" => "+r.value(s.Value))
	}
	r.line(depth, "}")
}

func (r *renderer) conditional(depth int, c If) {
	if len(c.Branches) == 0 {
		r.fail("a conditional needs at least one branch")
		return
	}
	for i, br := range c.Branches {
		kw := "if "
		if i > 0 {
			kw = "} else if "
		}
		r.line(depth, kw+r.condition(br.When)+" {")
		r.stages(depth+1, br.Then)
	}
	if len(c.Else) > 0 {
		r.line(depth, "} else {")
		r.stages(depth+1, c.Else)
	}
	r.line(depth, "}")
}

func (r *renderer) condition(c Condition) string {
	if !operators[c.Op] {
		r.fail("operator %q is not supported", c.Op)
	}
	if c.Op == "" {
		if c.Left.Kind != FieldRef {
			r.fail("a condition without an operator must test a field")
		}
		return r.operand(c.Left)
	}
	if (c.Op == "=~" || c.Op == "!~") != (c.Right.Kind == RegexpLit) {
		r.fail("%s takes a regular expression on its right, and only it does", c.Op)
	}
	return r.operand(c.Left) + " " + c.Op + " " + r.operand(c.Right)
}

func (r *renderer) operand(o Operand) string {
	switch o.Kind {
	case FieldRef:
		if !selector.MatchString(o.Value) {
			r.fail("field reference %q is not of the form [a][b]", o.Value)
		}
		return o.Value
	case StringLit:
		return r.str(o.Value)
	case RegexpLit:
		if strings.ContainsAny(o.Value, "\r\n") || strings.HasSuffix(o.Value, `\`) || unescapedSlash(o.Value) {
			r.fail("regular expression %q must be one line without an unescaped '/'", o.Value)
		}
		return "/" + o.Value + "/"
	}
	r.fail("operand %+v has no kind", o)
	return ""
}

// str quotes a string. Logstash does not process escapes unless
// config.support_escapes is on, so a string that would need one is refused.
func (r *renderer) str(s string) string {
	if strings.ContainsAny(s, "\"\\\r\n") {
		r.fail("string %q would need an escape: Logstash reads backslashes literally", s)
	}
	return `"` + s + `"`
}

func (r *renderer) value(v Value) string {
	switch v := v.(type) {
	case String:
		return r.str(string(v))
	case Number:
		if !number.MatchString(string(v)) {
			r.fail("%q is not a number", string(v))
		}
		return string(v)
	case Bool:
		if v {
			return "true"
		}
		return "false"
	case Bareword:
		if !word.MatchString(string(v)) || v == "true" || v == "false" {
			r.fail("%q is not a bareword", string(v))
		}
		return string(v)
	case Array:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			parts = append(parts, r.value(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case Hash:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			parts = append(parts, r.str(e.Key)+" => "+r.value(e.Value))
		}
		return "{ " + strings.Join(parts, " ") + " }"
	}
	r.fail("value %#v has no Logstash form", v)
	return ""
}

func unescapedSlash(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '/':
			return true
		}
	}
	return false
}
