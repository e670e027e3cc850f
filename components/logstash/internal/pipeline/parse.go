package pipeline

import (
	"fmt"
	"strings"
)

// Parse reads Logstash configuration text back into the model. It covers
// the grammar Render writes (sections, plugins, settings with strings,
// numbers, booleans, barewords, arrays and hashes, comments, if / else if /
// else with one comparison or one field per condition) and refuses the
// rest of Logstash's grammar rather than guess.
func Parse(text string) (Config, error) {
	p := &parser{s: text}
	pl, err := p.pipeline()
	if err != nil {
		line := 1 + strings.Count(text[:p.pos], "\n")
		return Config{}, fmt.Errorf("parse pipeline: line %d: %w", line, err)
	}
	return pl, nil
}

type parser struct {
	s   string
	pos int
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

// ws skips whitespace and comments.
func (p *parser) ws() {
	for !p.eof() {
		switch c := p.s[p.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			p.pos++
		case c == '#':
			for !p.eof() && p.s[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *parser) peek(tok string) bool { return strings.HasPrefix(p.s[p.pos:], tok) }

func (p *parser) expect(tok string) error {
	p.ws()
	if !p.peek(tok) {
		return fmt.Errorf("expected %q at %q", tok, p.context())
	}
	p.pos += len(tok)
	return nil
}

func (p *parser) context() string {
	end := min(p.pos+20, len(p.s))
	return p.s[p.pos:end]
}

func isWordByte(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		return true
	case c >= '0' && c <= '9', c == '-':
		return !first
	}
	return false
}

func (p *parser) word() (string, error) {
	p.ws()
	start := p.pos
	for !p.eof() && isWordByte(p.s[p.pos], p.pos == start) {
		p.pos++
	}
	if p.pos == start {
		return "", fmt.Errorf("expected a name at %q", p.context())
	}
	return p.s[start:p.pos], nil
}

// keyword reports whether the next word is kw, consuming it if so.
func (p *parser) keyword(kw string) bool {
	p.ws()
	save := p.pos
	w, err := p.word()
	if err == nil && w == kw {
		return true
	}
	p.pos = save
	return false
}

func (p *parser) pipeline() (Config, error) {
	var pl Config
	for {
		p.ws()
		if p.eof() {
			return pl, nil
		}
		name, err := p.word()
		if err != nil {
			return pl, err
		}
		if err := p.expect("{"); err != nil {
			return pl, err
		}
		stages, err := p.stages()
		if err != nil {
			return pl, err
		}
		switch name {
		case "input":
			pl.Inputs = append(pl.Inputs, stages...)
		case "filter":
			pl.Filters = append(pl.Filters, stages...)
		case "output":
			pl.Outputs = append(pl.Outputs, stages...)
		default:
			return pl, fmt.Errorf("unknown section %q: use input, filter or output", name)
		}
	}
}

// stages reads plugins and conditionals up to and including the closing brace.
func (p *parser) stages() ([]Stage, error) {
	var out []Stage
	for {
		p.ws()
		if p.eof() {
			return nil, fmt.Errorf("missing '}'")
		}
		if p.peek("}") {
			p.pos++
			return out, nil
		}
		if p.keyword("if") {
			c, err := p.conditional()
			if err != nil {
				return nil, err
			}
			out = append(out, Stage{If: c})
			continue
		}
		pl, err := p.plugin()
		if err != nil {
			return nil, err
		}
		out = append(out, Stage{Plugin: pl})
	}
}

func (p *parser) plugin() (*Plugin, error) {
	name, err := p.word()
	if err != nil {
		return nil, err
	}
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	pl := &Plugin{Name: name}
	for {
		p.ws()
		if p.peek("}") {
			p.pos++
			return pl, nil
		}
		key, err := p.word()
		if err != nil {
			return nil, err
		}
		if err := p.expect("=>"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", name, key, err)
		}
		pl.Settings = append(pl.Settings, Setting{Name: key, Value: v})
	}
}

func (p *parser) value() (Value, error) {
	p.ws()
	if p.eof() {
		return nil, fmt.Errorf("missing value")
	}
	switch c := p.s[p.pos]; {
	case c == '"' || c == '\'':
		s, err := p.quoted()
		return String(s), err
	case c == '[':
		return p.array()
	case c == '{':
		return p.hash()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	w, err := p.word()
	if err != nil {
		return nil, err
	}
	switch w {
	case "true":
		return Bool(true), nil
	case "false":
		return Bool(false), nil
	}
	return Bareword(w), nil
}

// array reads "[v, v, ...]" from its opening bracket.
func (p *parser) array() (Array, error) {
	p.pos++
	arr := Array{}
	for {
		p.ws()
		if p.peek("]") {
			p.pos++
			return arr, nil
		}
		if len(arr) > 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
}

// hash reads "{ key => v ... }" from its opening brace; keys are quoted
// strings or words.
func (p *parser) hash() (Hash, error) {
	p.pos++
	h := Hash{}
	for {
		p.ws()
		if p.peek("}") {
			p.pos++
			return h, nil
		}
		var key string
		var err error
		if p.peek(`"`) || p.peek("'") {
			key, err = p.quoted()
		} else {
			key, err = p.word()
		}
		if err != nil {
			return nil, err
		}
		if err := p.expect("=>"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		h = append(h, HashEntry{Key: key, Value: v})
	}
}

// number reads an integer or decimal literal.
func (p *parser) number() (Number, error) {
	start := p.pos
	p.pos++
	for !p.eof() && (p.s[p.pos] >= '0' && p.s[p.pos] <= '9' || p.s[p.pos] == '.') {
		p.pos++
	}
	n := p.s[start:p.pos]
	if !number.MatchString(n) {
		return "", fmt.Errorf("%q is not a number", n)
	}
	return Number(n), nil
}

// quoted reads a quoted string; Logstash keeps backslashes as written.
func (p *parser) quoted() (string, error) {
	q := p.s[p.pos]
	end := strings.IndexByte(p.s[p.pos+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string")
	}
	s := p.s[p.pos+1 : p.pos+1+end]
	p.pos += end + 2
	return s, nil
}

func (p *parser) conditional() (*If, error) {
	c := &If{}
	for {
		cond, err := p.condition()
		if err != nil {
			return nil, err
		}
		p.ws()
		if !p.peek("{") {
			return nil, fmt.Errorf("unsupported condition at %q: one comparison or one field per condition", p.context())
		}
		if err := p.expect("{"); err != nil {
			return nil, err
		}
		then, err := p.stages()
		if err != nil {
			return nil, err
		}
		c.Branches = append(c.Branches, Branch{When: cond, Then: then})
		if !p.keyword("else") {
			return c, nil
		}
		if p.keyword("if") {
			continue
		}
		if err := p.expect("{"); err != nil {
			return nil, err
		}
		c.Else, err = p.stages()
		return c, err
	}
}

func (p *parser) condition() (Condition, error) {
	left, err := p.operand()
	if err != nil {
		return Condition{}, err
	}
	p.ws()
	var c Condition
	c.Left = left
	switch {
	case p.peek("{"):
		return c, nil
	case p.peek("=="), p.peek("!="), p.peek("=~"), p.peek("!~"):
		c.Op = p.s[p.pos : p.pos+2]
		p.pos += 2
	case p.keyword("in"):
		c.Op = "in"
	case p.keyword("not"):
		if !p.keyword("in") {
			return c, fmt.Errorf("expected \"in\" after \"not\"")
		}
		c.Op = "not in"
	default:
		return c, fmt.Errorf("unsupported condition at %q: one comparison or one field per condition", p.context())
	}
	c.Right, err = p.operand()
	return c, err
}

func (p *parser) operand() (Operand, error) {
	p.ws()
	if p.eof() {
		return Operand{}, fmt.Errorf("missing operand")
	}
	switch p.s[p.pos] {
	case '[':
		start := p.pos
		for p.peek("[") {
			end := strings.IndexByte(p.s[p.pos:], ']')
			if end < 0 {
				return Operand{}, fmt.Errorf("unterminated field reference")
			}
			p.pos += end + 1
		}
		return Operand{Kind: FieldRef, Value: p.s[start:p.pos]}, nil
	case '"', '\'':
		s, err := p.quoted()
		return Operand{Kind: StringLit, Value: s}, err
	case '/':
		start := p.pos + 1
		for i := start; i < len(p.s); i++ {
			switch p.s[i] {
			case '\\':
				i++
			case '/':
				p.pos = i + 1
				return Operand{Kind: RegexpLit, Value: p.s[start:i]}, nil
			case '\n':
				return Operand{}, fmt.Errorf("unterminated regular expression")
			}
		}
		return Operand{}, fmt.Errorf("unterminated regular expression")
	}
	return Operand{}, fmt.Errorf("unsupported operand at %q: use a field, a string or a regular expression", p.context())
}
