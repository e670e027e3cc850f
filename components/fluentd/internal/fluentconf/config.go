// Package fluentconf is Fluentd's configuration language (fluent.conf) as a
// typed model, with the renderer that writes it and the parser that reads it
// back (the same element form both ways, so what Render writes Parse
// returns unchanged). It knows the syntax, not any pipeline: what the
// collector's fluent.conf says is components/fluentd's. It creates no
// resources.
package fluentconf

import (
	"fmt"
	"strings"
)

// Config is a fluent.conf as typed directives. Fluentd reads <source>
// directives in any order, while <filter> and <match> directives form one
// ordered chain per label, so the model keeps sources apart from the
// top-level chain and from the labels' chains.
type Config struct {
	System  *Section
	Sources []Source
	Steps   []Step
	Labels  []Label
}

// Step is one link of a chain: exactly one of Filter or Match is set.
type Step struct {
	Filter *Filter
	Match  *Match
}

// Label is a <label @NAME> directive and its own chain.
type Label struct {
	Name  string
	Steps []Step
}

// Source is a <source> directive.
type Source struct {
	Type     string
	ID       string
	Params   Params
	Parse    *Parser
	Sections []Section
}

// Filter is a <filter pattern> directive.
type Filter struct {
	Pattern  string
	Type     string
	ID       string
	Params   Params
	Parse    *Parser
	Sections []Section
}

// Match is a <match pattern> directive.
type Match struct {
	Pattern  string
	Type     string
	ID       string
	Params   Params
	Sections []Section
	Buffer   *Buffer
}

// Parser is a <parse> section. Parsers that nest (multi_format's
// <pattern>s, cri's inner <parse>) keep their children in Sections.
type Parser struct {
	Type     string
	Params   Params
	Sections []Section
}

// Buffer is a <buffer> section with the settings this program decides as
// fields; anything else is kept, in order, in Extra.
type Buffer struct {
	// ChunkKeys is the section's argument ("tag", "tag,time"); empty buffers
	// everything into one chunk stream.
	ChunkKeys        string
	Type             string
	Path             string
	FlushMode        string
	RetryType        string
	FlushThreadCount int
	FlushInterval    string
	RetryForever     bool
	RetryMaxInterval string
	ChunkLimitSize   string
	QueueLimitLength int
	OverflowAction   string
	Extra            Params
}

// Section is any other nested element (<pattern>, <rule>, <system>).
type Section struct {
	Name     string
	Arg      string
	Params   Params
	Sections []Section
}

// Param is one "key value" line. Value is the literal exactly as fluent.conf
// spells it: bare text, a quoted string (double quotes may embed Ruby as
// #{...}, which Fluentd evaluates when it loads the file), or a JSON array.
// An empty Value is a bare key, which boolean parameters read as true.
type Param struct {
	Key   string
	Value string
}

// Params keep their order: Fluentd does not care, but a reader does.
type Params []Param

// P is a parameter whose value is plain text, quoted only if fluent.conf
// would otherwise misread it.
func P(key, value string) Param { return Param{Key: key, Value: Literal(value)} }

// Raw is a parameter whose value is already a fluent.conf literal.
func Raw(key, literal string) Param { return Param{Key: key, Value: literal} }

// EnvRef is the literal that Fluentd replaces with an environment variable
// when it loads the file, so a credential reaches the process without
// being written into the configuration.
func EnvRef(name string) string { return `"#{ENV['` + name + `']}"` }

// Get returns a parameter's literal as written.
func (ps Params) Get(key string) (string, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// Text returns a parameter's value with any quoting removed ("" if absent
// or not decodable). Embedded Ruby stays as written.
func (ps Params) Text(key string) string {
	v, _ := ps.Get(key)
	s, err := Unquote(v)
	if err != nil {
		return ""
	}
	return s
}

// Literal spells s as a fluent.conf value: bare when Fluentd reads bare
// text back unchanged, otherwise double-quoted with Ruby's escapes.
func Literal(s string) string {
	if bareSafe(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '#':
			// "#{" would start embedded Ruby inside double quotes.
			if strings.HasPrefix(s[i:], "#{") {
				b.WriteByte('\\')
			}
			b.WriteByte('#')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// bareSafe reports whether Fluentd's non-quoted scanner returns s as is:
// it stops at a newline and at whitespace followed by '#' (a comment), drops
// trailing whitespace, and treats a leading quote, '[' or '{' as another
// kind of literal.
func bareSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	switch s[0] {
	case '"', '\'', '[', '{':
		return false
	}
	if strings.ContainsAny(s, "\r\n") {
		return false
	}
	return !strings.Contains(s, " #") && !strings.Contains(s, "\t#")
}

// Unquote decodes a literal: quoted strings lose their quotes and escapes
// (as Fluentd's literal parser does), anything else is returned unchanged.
func Unquote(lit string) (string, error) {
	if lit == "" {
		return "", nil
	}
	switch lit[0] {
	case '"':
		return unquoteDouble(lit)
	case '\'':
		return unquoteSingle(lit)
	}
	return lit, nil
}

func unquoteDouble(lit string) (string, error) {
	end, err := closingQuote(lit)
	if err != nil {
		return "", err
	}
	if end != len(lit)-1 {
		return "", fmt.Errorf("text after the closing quote in %s", lit)
	}
	var b strings.Builder
	body := lit[1:end]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 'b':
			b.WriteByte('\b')
		default:
			if isAlnum(e) {
				return "", fmt.Errorf("unknown escape \\%c in %s", e, lit)
			}
			b.WriteByte(e)
		}
	}
	return b.String(), nil
}

func unquoteSingle(lit string) (string, error) {
	end, err := closingQuote(lit)
	if err != nil {
		return "", err
	}
	if end != len(lit)-1 {
		return "", fmt.Errorf("text after the closing quote in %s", lit)
	}
	r := strings.NewReplacer(`\'`, `'`, `\\`, `\`)
	return r.Replace(lit[1:end]), nil
}

// closingQuote finds the quote that closes the string opening lit[0].
func closingQuote(lit string) (int, error) {
	q := lit[0]
	for i := 1; i < len(lit); i++ {
		switch lit[i] {
		case '\\':
			i++
		case q:
			return i, nil
		}
	}
	return 0, fmt.Errorf("unterminated string %s", lit)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
