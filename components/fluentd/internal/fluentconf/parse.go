package fluentconf

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Parse reads fluent.conf text into the model. It follows Fluentd's v1
// syntax for what this program writes and for the seed: comments, nested
// directives, bare keys, bare, quoted and one-line JSON values. It refuses
// what it cannot represent (@include, multi-line values, <worker>) rather
// than guess.
func Parse(text string) (Config, error) {
	root, err := parseElements(text)
	if err != nil {
		return Config{}, fmt.Errorf("parse fluent.conf: %w", err)
	}
	c, err := lift(root)
	if err != nil {
		return Config{}, fmt.Errorf("parse fluent.conf: %w", err)
	}
	return c, nil
}

func parseElements(text string) ([]element, error) {
	type open struct {
		e element
	}
	stack := []open{{e: element{name: "ROOT"}}}
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		switch {
		case strings.HasPrefix(line, "</"):
			end := strings.IndexByte(line, '>')
			if end < 0 || !isComment(line[end+1:]) {
				return nil, fmt.Errorf("line %d: malformed end tag %q", n, line)
			}
			name := strings.TrimSpace(line[2:end])
			top := stack[len(stack)-1]
			if len(stack) == 1 || top.e.name != name {
				return nil, fmt.Errorf("line %d: </%s> does not close <%s>", n, name, top.e.name)
			}
			stack = stack[:len(stack)-1]
			parent := &stack[len(stack)-1].e
			parent.children = append(parent.children, top.e)
		case line[0] == '<':
			end := strings.IndexByte(line, '>')
			if end < 0 || !isComment(line[end+1:]) {
				return nil, fmt.Errorf("line %d: malformed tag %q", n, line)
			}
			inner := strings.TrimSpace(line[1:end])
			name, arg, _ := strings.Cut(inner, " ")
			if !elementName.MatchString(name) {
				return nil, fmt.Errorf("line %d: bad directive name %q", n, name)
			}
			stack = append(stack, open{e: element{name: name, arg: strings.TrimSpace(arg), line: n}})
		default:
			key, rest, _ := strings.Cut(strings.ReplaceAll(line, "\t", " "), " ")
			if key == "@include" || key == "include" {
				return nil, fmt.Errorf("line %d: @include is not supported: inline the included file", n)
			}
			if len(stack) == 1 {
				return nil, fmt.Errorf("line %d: parameter %q outside a directive", n, key)
			}
			if !paramKey.MatchString(key) {
				return nil, fmt.Errorf("line %d: bad parameter key %q", n, key)
			}
			value, err := scanValue(strings.TrimSpace(rest))
			if err != nil {
				return nil, fmt.Errorf("line %d: %s: %w", n, key, err)
			}
			top := &stack[len(stack)-1].e
			top.params = append(top.params, Param{Key: key, Value: value})
		}
	}
	if len(stack) > 1 {
		top := stack[len(stack)-1].e
		return nil, fmt.Errorf("line %d: <%s> is never closed", top.line, top.name)
	}
	return stack[0].e.children, nil
}

// scanValue returns the literal at the start of rest, without a trailing
// comment, as Fluentd's literal parser would delimit it.
func scanValue(rest string) (string, error) {
	if rest == "" {
		return "", nil
	}
	switch rest[0] {
	case '"', '\'':
		end, err := closingQuote(rest)
		if err != nil {
			return "", errors.New("unterminated quoted value (values spanning lines are not supported)")
		}
		if !isComment(rest[end+1:]) {
			return "", fmt.Errorf("text after the closing quote: %q", rest[end+1:])
		}
		return rest[:end+1], nil
	case '[', '{':
		if !jsonValue(rest) {
			return "", errors.New("JSON values must be complete on one line, without a trailing comment")
		}
		return rest, nil
	}
	// A '#' starts a comment only after whitespace.
	for i := 1; i < len(rest); i++ {
		if rest[i] == '#' && (rest[i-1] == ' ' || rest[i-1] == '\t') {
			return strings.TrimRight(rest[:i], " \t"), nil
		}
	}
	return rest, nil
}

func isComment(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s[0] == '#'
}

func jsonValue(s string) bool {
	var v any
	return json.Unmarshal([]byte(s), &v) == nil
}

// lift turns untyped directives into the model.
func lift(root []element) (Config, error) {
	var c Config
	var errs []error
	for _, e := range root {
		switch e.name {
		case "system":
			if c.System != nil {
				errs = append(errs, fmt.Errorf("line %d: a second <system>", e.line))
				continue
			}
			s := liftSection(e)
			c.System = &s
		case "source":
			s, err := liftSource(e)
			errs = append(errs, err)
			c.Sources = append(c.Sources, s)
		case "filter", "match":
			s, err := liftStep(e)
			errs = append(errs, err)
			c.Steps = append(c.Steps, s)
		case "label":
			l := Label{Name: e.arg}
			if !strings.HasPrefix(l.Name, "@") {
				errs = append(errs, fmt.Errorf("line %d: label %q must start with '@'", e.line, l.Name))
			}
			if len(e.params) > 0 {
				errs = append(errs, fmt.Errorf("line %d: <label> takes no parameters", e.line))
			}
			for _, child := range e.children {
				s, err := liftStep(child)
				errs = append(errs, err)
				l.Steps = append(l.Steps, s)
			}
			c.Labels = append(c.Labels, l)
		default:
			errs = append(errs, fmt.Errorf("line %d: <%s> is not supported at the top level", e.line, e.name))
		}
	}
	return c, errors.Join(errs...)
}

// typeAndID takes @type and @id out of a directive's parameters.
func typeAndID(e element) (typ, id string, rest Params, err error) {
	for _, p := range e.params {
		switch p.Key {
		case "@type", "@id":
			v, uerr := Unquote(p.Value)
			if uerr != nil {
				return "", "", nil, fmt.Errorf("line %d: %s: %w", e.line, p.Key, uerr)
			}
			if p.Key == "@type" {
				typ = v
			} else {
				id = v
			}
		default:
			rest = append(rest, p)
		}
	}
	return typ, id, rest, nil
}

func liftSource(e element) (Source, error) {
	typ, id, params, err := typeAndID(e)
	if err != nil {
		return Source{}, err
	}
	if typ == "" {
		return Source{}, fmt.Errorf("line %d: <source> without @type", e.line)
	}
	s := Source{Type: typ, ID: id, Params: params}
	s.Parse, s.Sections, err = splitParse(e)
	return s, err
}

func liftStep(e element) (Step, error) {
	typ, id, params, err := typeAndID(e)
	if err != nil {
		return Step{}, err
	}
	if typ == "" {
		return Step{}, fmt.Errorf("line %d: <%s %s> without @type", e.line, e.name, e.arg)
	}
	switch e.name {
	case "filter":
		f := Filter{Pattern: e.arg, Type: typ, ID: id, Params: params}
		f.Parse, f.Sections, err = splitParse(e)
		return Step{Filter: &f}, err
	case "match":
		m := Match{Pattern: e.arg, Type: typ, ID: id, Params: params}
		for _, child := range e.children {
			if child.name != "buffer" {
				m.Sections = append(m.Sections, liftSection(child))
				continue
			}
			if m.Buffer != nil {
				return Step{}, fmt.Errorf("line %d: a second <buffer> in one <match>", child.line)
			}
			b, berr := liftBuffer(child)
			if berr != nil {
				return Step{}, berr
			}
			m.Buffer = &b
		}
		return Step{Match: &m}, nil
	}
	return Step{}, fmt.Errorf("line %d: <%s> is not allowed in a chain: use <filter> or <match>", e.line, e.name)
}

func splitParse(e element) (*Parser, []Section, error) {
	var parse *Parser
	var rest []Section
	for _, child := range e.children {
		if child.name != "parse" {
			rest = append(rest, liftSection(child))
			continue
		}
		if parse != nil {
			return nil, nil, fmt.Errorf("line %d: a second <parse>", child.line)
		}
		typ, _, params, err := typeAndID(child)
		if err != nil {
			return nil, nil, err
		}
		parse = &Parser{Type: typ, Params: params, Sections: liftSections(child.children)}
	}
	return parse, rest, nil
}

func liftSection(e element) Section {
	return Section{Name: e.name, Arg: e.arg, Params: e.params, Sections: liftSections(e.children)}
}

func liftSections(es []element) []Section {
	var out []Section
	for _, e := range es {
		out = append(out, liftSection(e))
	}
	return out
}

// liftBuffer reads the settings the model names into fields.
func liftBuffer(e element) (Buffer, error) {
	b := Buffer{ChunkKeys: e.arg}
	var errs []error
	for _, p := range e.params {
		v, err := Unquote(p.Value)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: buffer %s: %w", e.line, p.Key, err))
			continue
		}
		num := func(dst *int) {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("line %d: buffer %s %q is not an integer", e.line, p.Key, v))
			}
			*dst = n
		}
		switch p.Key {
		case "@type":
			b.Type = v
		case "path":
			b.Path = v
		case "flush_mode":
			b.FlushMode = v
		case "retry_type":
			b.RetryType = v
		case "flush_thread_count":
			num(&b.FlushThreadCount)
		case "flush_interval":
			b.FlushInterval = v
		case "retry_forever":
			// A bare key is true, as for every Fluentd boolean.
			switch v {
			case "", "true":
				b.RetryForever = true
			case "false":
				b.RetryForever = false
			default:
				errs = append(errs, fmt.Errorf("line %d: buffer retry_forever %q is not a boolean", e.line, v))
			}
		case "retry_max_interval":
			b.RetryMaxInterval = v
		case "chunk_limit_size":
			b.ChunkLimitSize = v
		case "queue_limit_length":
			num(&b.QueueLimitLength)
		case "overflow_action":
			b.OverflowAction = v
		default:
			b.Extra = append(b.Extra, p)
		}
	}
	if len(e.children) > 0 {
		errs = append(errs, fmt.Errorf("line %d: <buffer> takes no nested sections", e.line))
	}
	return b, errors.Join(errs...)
}
