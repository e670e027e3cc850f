package stacks

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/klearkarma/observability/internal/check"
)

// Source gives raw stack config values by full key ("observability:retention").
// Objects arrive as JSON text, as Pulumi passes them to programs.
type Source interface {
	Get(key string) (string, bool)
	IsSecret(key string) bool
}

// MapSource is a Source over plain maps, for tests and tools.
type MapSource struct {
	Values  map[string]string
	Secrets map[string]bool
}

// Get implements Source.
func (m MapSource) Get(key string) (string, bool) { v, ok := m.Values[key]; return v, ok }

// IsSecret implements Source.
func (m MapSource) IsSecret(key string) bool { return m.Secrets[key] }

// Keys lists the map's keys, sorted.
func (m MapSource) Keys() []string {
	keys := make([]string, 0, len(m.Values))
	for k := range m.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Problem is one thing wrong with the configuration.
type Problem struct {
	Key     string // full config key path, e.g. observability:retention.metrics.detailed
	Problem string
	Fix     string
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %s. Fix: %s", p.Key, p.Problem, p.Fix) }

// ConfigError lists every problem found in one pass.
type ConfigError struct {
	Stack    string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %q has %d configuration problem(s); nothing was created:", e.Stack, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap exposes each problem to errors.Is/As.
func (e *ConfigError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Parse reads the stack's values over Defaults and validates the result.
// keys lists every config key the stack sets (nil skips the unknown-key
// check for top-level keys). stack names the stack in messages only.
// Secrets are checked for presence and secrecy, not read.
func Parse(stack string, src Source, keys []string) (*Config, error) {
	cfg := Defaults()
	var ps check.Problems
	known := map[string]bool{}

	v := reflect.ValueOf(&cfg).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("config")
		if name == "" || name == "-" {
			continue
		}
		known[name] = true
		raw, ok := src.Get(Namespace + ":" + name)
		if !ok {
			continue
		}
		decodeField(&ps, name, raw, v.Field(i))
	}
	for _, s := range SecretKeys {
		known[s.Key] = true
	}
	checkUnknownKeys(&ps, keys, known)
	if len(ps) == 0 {
		validate(&ps, &cfg)
	}
	checkSecrets(&ps, &cfg, src, stack)
	if err := configError(stack, ps); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// configError is nil without problems, else a *ConfigError naming each
// problem's full key.
func configError(stack string, ps check.Problems) error {
	if len(ps) == 0 {
		return nil
	}
	ce := &ConfigError{Stack: stack}
	for _, p := range ps {
		ce.Problems = append(ce.Problems, Problem{Key: full(p.Field), Problem: p.Problem, Fix: p.Fix})
	}
	return ce
}

// decodeField decodes one top-level key into its field, reporting type
// mismatches and unknown nested keys all at once.
func decodeField(ps *check.Problems, name, raw string, field reflect.Value) {
	switch field.Kind() {
	case reflect.String:
		field.SetString(raw)
		return
	case reflect.Int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			ps.Add(name, fmt.Sprintf("%q is not a whole number", raw), "set a number such as 3")
			return
		}
		field.SetInt(int64(n))
		return
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			ps.Add(name, fmt.Sprintf("%q is not true or false", raw), "set true or false")
			return
		}
		field.SetBool(b)
		return
	}
	var doc any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		ps.Add(name, "is not an object", fmt.Sprintf("set it as a map in Pulumi.<stack>.yaml or with `pulumi config set --path %s.<field> <value>`", name))
		return
	}
	before := len(*ps)
	walk(ps, name, doc, field.Type())
	if len(*ps) > before {
		return
	}
	if err := json.Unmarshal([]byte(raw), field.Addr().Interface()); err != nil {
		ps.Add(name, err.Error(), "correct the value's type")
	}
}

var durationType = reflect.TypeOf(Duration{})

// walk compares a decoded JSON value with the Go type it will fill.
func walk(ps *check.Problems, path string, doc any, t reflect.Type) {
	if t == durationType {
		if _, ok := doc.(string); !ok {
			ps.Add(path, fmt.Sprintf("must be a duration string, got %s", jsonKind(doc)), `write it as "90d", "456d" or "5y"`)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := doc.(map[string]any)
		if !ok {
			ps.Add(path, fmt.Sprintf("must be an object, got %s", jsonKind(doc)), "write it as a map of fields")
			return
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			if tag := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]; tag != "" && tag != "-" {
				fields[tag] = t.Field(i).Type
				names = append(names, tag)
			}
		}
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				ps.Add(path+"."+k, "is not a known setting", suggest(path, k, names))
				continue
			}
			walk(ps, path+"."+k, m[k], ft)
		}
	case reflect.Map:
		m, ok := doc.(map[string]any)
		if !ok {
			ps.Add(path, fmt.Sprintf("must be a map, got %s", jsonKind(doc)), "write it as a map")
			return
		}
		for _, k := range sortedKeys(m) {
			walk(ps, path+"."+k, m[k], t.Elem())
		}
	case reflect.Slice:
		a, ok := doc.([]any)
		if !ok {
			ps.Add(path, fmt.Sprintf("must be a list, got %s", jsonKind(doc)), "write it as a YAML list")
			return
		}
		for i, e := range a {
			walk(ps, fmt.Sprintf("%s[%d]", path, i), e, t.Elem())
		}
	case reflect.String:
		if _, ok := doc.(string); !ok {
			ps.Add(path, fmt.Sprintf("must be a string, got %s", jsonKind(doc)), "quote the value")
		}
	case reflect.Int:
		n, ok := doc.(float64)
		if !ok || n != float64(int64(n)) {
			ps.Add(path, fmt.Sprintf("must be a whole number, got %s", jsonKind(doc)), "write a number such as 3 (unquoted)")
		}
	case reflect.Float64:
		if _, ok := doc.(float64); !ok {
			ps.Add(path, fmt.Sprintf("must be a number, got %s", jsonKind(doc)), "write a number such as 500 (unquoted)")
		}
	case reflect.Bool:
		if _, ok := doc.(bool); !ok {
			ps.Add(path, fmt.Sprintf("must be true or false, got %s", jsonKind(doc)), "write true or false (unquoted)")
		}
	}
}

func jsonKind(doc any) string {
	switch d := doc.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", d)
	case float64:
		return fmt.Sprintf("the number %v", d)
	case bool:
		return fmt.Sprintf("%v", d)
	case []any:
		return "a list"
	default:
		return "an object"
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkUnknownKeys reports keys in our namespace that the program does not read.
func checkUnknownKeys(ps *check.Problems, keys []string, known map[string]bool) {
	names := make([]string, 0, len(known))
	for k := range known {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, key := range keys {
		ns, name, ok := strings.Cut(key, ":")
		if !ok || ns != Namespace || known[name] {
			continue
		}
		ps.Add(name, "is not a known setting", suggest("", name, names))
	}
}

// suggest proposes the closest known name for a typo.
func suggest(parent, got string, names []string) string {
	best, bestDist := "", 1<<30
	for _, n := range names {
		if d := levenshtein(strings.ToLower(got), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	full := func(n string) string {
		if parent == "" {
			return Namespace + ":" + n
		}
		return Namespace + ":" + parent + "." + n
	}
	if best != "" && bestDist <= max(2, len(got)/3) {
		return fmt.Sprintf("did you mean %s? Rename the key", full(best))
	}
	return fmt.Sprintf("remove it; known settings here: %s", strings.Join(names, ", "))
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// checkSecrets requires the secrets of enabled integrations, and refuses
// secret keys stored in plaintext.
func checkSecrets(ps *check.Problems, cfg *Config, src Source, stack string) {
	if stack == "" {
		stack = "<stack>"
	}
	for _, s := range SecretKeys {
		full := Namespace + ":" + s.Key
		_, present := src.Get(full)
		switch {
		case present && !src.IsSecret(full):
			ps.Add(s.Key, "is stored in plaintext", fmt.Sprintf("remove it and set it again with `pulumi config set --secret %s <value> -s %s`", full, stack))
		case !present && s.required(cfg):
			ps.Add(s.Key, "is required because "+s.RequiredBy,
				fmt.Sprintf("run `pulumi config set --secret %s <value> -s %s`", full, stack))
		}
	}
}
