package stacks

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// A ReferenceRow is one setting in the README's configuration reference:
// a key path, its type, its default and its description, all read from
// Config's struct tags and Defaults(), like Pulumi.yaml.
type ReferenceRow struct {
	Key, Type, Default, Doc string
}

// Reference lists every setting, top-level keys in Config's order and
// their fields in declaration order. Descriptions come from `doc` tags.
func Reference() []ReferenceRow {
	defaults := reflect.ValueOf(Defaults())
	t := defaults.Type()
	var rows []ReferenceRow
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("config")
		if name == "" || name == "-" {
			continue
		}
		rows = append(rows, referenceRows(name, f.Tag.Get("doc"), f.Type, defaults.Field(i))...)
	}
	return rows
}

func referenceRows(key, doc string, t reflect.Type, v reflect.Value) []ReferenceRow {
	if t.Kind() == reflect.Struct && t != durationType {
		rows := []ReferenceRow{{Key: key, Type: "object", Doc: doc}}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			rows = append(rows, referenceRows(key+"."+tag, f.Tag.Get("doc"), f.Type, v.Field(i))...)
		}
		return rows
	}
	return []ReferenceRow{{Key: key, Type: typeName(t), Default: defaultText(v), Doc: doc}}
}

func typeName(t reflect.Type) string {
	switch {
	case t == durationType:
		return "duration"
	case t.Kind() == reflect.Slice:
		return "list of " + typeName(t.Elem())
	case t.Kind() == reflect.Map:
		return "map of " + typeName(t.Elem())
	case t.Kind() == reflect.Struct:
		return "object"
	case t.Kind() == reflect.Float64:
		return "number"
	case t.Kind() == reflect.Int:
		return "integer"
	case t.Kind() == reflect.Bool:
		return "boolean"
	default:
		return "string"
	}
}

func defaultText(v reflect.Value) string {
	if v.IsZero() && v.Kind() != reflect.Bool && v.Kind() != reflect.Int && v.Kind() != reflect.Float64 {
		return ""
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Sprint(v.Interface())
	}
	s := string(b)
	if v.Kind() == reflect.String || v.Type() == durationType {
		s = strings.Trim(s, `"`)
	}
	return s
}

// ReferenceMarkdown renders Reference as the README's table, followed by
// the secrets table (from SecretKeys).
func ReferenceMarkdown() string {
	var b strings.Builder
	b.WriteString("| key | type | default | what it is, and its rules |\n|-----|------|---------|---------------------------|\n")
	for _, r := range Reference() {
		def := ""
		if r.Default != "" {
			def = "`" + r.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Key, r.Type, def, escapeCell(r.Doc))
	}
	b.WriteString("\n| secret key | what it is | required when |\n|------------|------------|---------------|\n")
	for _, s := range SecretKeys {
		fmt.Fprintf(&b, "| `%s:%s` | %s | %s |\n", Namespace, s.Key, escapeCell(s.Description), escapeCell(s.RequiredBy))
	}
	return b.String()
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
