package stacks

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// ConfigDecl is one key's declaration in Pulumi.yaml's `config:` block.
type ConfigDecl struct {
	Type        string `json:"type"`
	Description string `json:"description"`
	Default     any    `json:"default,omitempty"`
}

// ProjectConfig derives the Pulumi.yaml `config:` declarations (keys without
// the namespace, as Pulumi.yaml writes project keys) from Config
// and Defaults, so the two can never disagree (a test compares them).
// Secrets are not declared: a declared key without a default is required in
// every stack, and the offline stack has no secrets.
func ProjectConfig() (map[string]ConfigDecl, error) {
	defaults := Defaults()
	v := reflect.ValueOf(defaults)
	t := v.Type()
	out := map[string]ConfigDecl{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("config")
		if name == "" || name == "-" {
			continue
		}
		d := ConfigDecl{Description: f.Tag.Get("doc")}
		switch f.Type.Kind() {
		case reflect.String:
			d.Type = "string"
			if s := v.Field(i).String(); s != "" {
				d.Default = s
			}
		case reflect.Struct:
			d.Type = "object"
			b, err := json.Marshal(v.Field(i).Interface())
			if err != nil {
				return nil, fmt.Errorf("default of %s: %w", name, err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("default of %s: %w", name, err)
			}
			d.Default = m
		default:
			return nil, fmt.Errorf("config field %s has unsupported kind %s", name, f.Type.Kind())
		}
		out[name] = d
	}
	return out, nil
}
