// Package pipeline is Logstash's pipeline configuration language as a
// typed model, with the renderer that writes it and the parser that reads
// it back, for the part of the grammar the program uses (sections,
// plugins, settings, if / else if / else on one comparison); it refuses the
// rest rather than misread it. It knows the syntax, not any pipeline: what
// the Logstash component's pipeline says is components/logstash's. It
// creates no resources.
package pipeline

import (
	"regexp"
	"strings"
)

// Config is a Logstash pipeline configuration as typed sections.
type Config struct {
	Inputs  []Stage
	Filters []Stage
	Outputs []Stage
}

// Stage is one plugin or one conditional: exactly one of Plugin or If is set.
type Stage struct {
	Plugin *Plugin
	If     *If
}

// If is "if ... {} else if ... {} else {}".
type If struct {
	Branches []Branch
	Else     []Stage
}

// Branch is one condition and the stages it guards.
type Branch struct {
	When Condition
	Then []Stage
}

// Plugin is a plugin block with its settings in order.
type Plugin struct {
	Name     string
	Settings []Setting
}

// Setting is "name => value".
type Setting struct {
	Name  string
	Value Value
}

// Value is a setting's value: String, Number, Bool, Bareword, Array or Hash.
type Value interface{ isValue() }

type (
	// String is a double-quoted string; Logstash expands ${VAR} in it.
	String string
	// Number is a numeric literal as written.
	Number string
	// Bool is true or false.
	Bool bool
	// Bareword is an unquoted word, such as a codec name.
	Bareword string
	// Array is a list of values.
	Array []Value
	// Hash is a map whose entries keep their order.
	Hash []HashEntry
)

// HashEntry is one "key" => value pair of a Hash.
type HashEntry struct {
	Key   string
	Value Value
}

func (String) isValue()   {}
func (Number) isValue()   {}
func (Bool) isValue()     {}
func (Bareword) isValue() {}
func (Array) isValue()    {}
func (Hash) isValue()     {}

// Condition compares two operands, or tests one field's truth when Op is
// empty. That is all the routing needs; the parser refuses the rest of
// Logstash's condition grammar rather than misread it.
type Condition struct {
	Left  Operand
	Op    string // "==", "!=", "=~", "!~", "in", "not in", or ""
	Right Operand
}

// Operand is a field reference, a string or a regular expression.
type Operand struct {
	Kind  OperandKind
	Value string // "[a][b]" for a field, the text of a string, the pattern of a regexp
}

// OperandKind says how an Operand is written.
type OperandKind int

const (
	FieldRef OperandKind = iota + 1
	StringLit
	RegexpLit
)

// Field refers to a (nested) event field: Field("@metadata", "route") is
// [@metadata][route].
func Field(path ...string) Operand {
	return Operand{Kind: FieldRef, Value: "[" + strings.Join(path, "][") + "]"}
}

// Str is a string operand.
func Str(s string) Operand { return Operand{Kind: StringLit, Value: s} }

// Regexp is a regular-expression operand.
func Regexp(pattern string) Operand { return Operand{Kind: RegexpLit, Value: pattern} }

var (
	word      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	number    = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	selector  = regexp.MustCompile(`^(\[[^\[\],]+\])+$`)
	operators = map[string]bool{"==": true, "!=": true, "=~": true, "!~": true, "in": true, "not in": true, "": true}
)
