// Package stackfile reads a project's Pulumi.<stack>.yaml files as the
// program would see their config: objects as JSON text, encrypted values
// marked secret (their ciphertext kept, never decrypted here). It knows
// nothing of what the keys mean; package stacks does.
package stackfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// File is one stack's config.
type File struct {
	Stack string
	// Values maps each full key ("observability:retention") to its value.
	Values map[string]string
	// Secrets marks the keys stored encrypted.
	Secrets map[string]bool
}

// Keys lists the file's keys, sorted.
func (f *File) Keys() []string {
	keys := make([]string, 0, len(f.Values))
	for k := range f.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Shipped lists the stacks a project has a Pulumi.<stack>.yaml for, sorted.
func Shipped(projectDir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(projectDir, "Pulumi.*.yaml"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	sort.Strings(names)
	return names, nil
}

// Path is where a stack's file lives.
func Path(projectDir, stack string) string {
	return filepath.Join(projectDir, "Pulumi."+stack+".yaml")
}

// Read reads projectDir/Pulumi.<stack>.yaml. An unknown stack is an error
// that lists the shipped ones.
func Read(projectDir, stack string) (*File, error) {
	path := Path(projectDir, stack)
	raw, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			shipped, _ := Shipped(projectDir)
			return nil, fmt.Errorf("unknown stack %q: there is no %s; use one of %s, or create the file", stack, filepath.Base(path), strings.Join(shipped, ", "))
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var doc struct {
		Config map[string]any `json:"config"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s is not valid YAML: %w", path, err)
	}
	f := &File{Stack: stack, Values: map[string]string{}, Secrets: map[string]bool{}}
	for k, v := range doc.Config {
		if m, ok := v.(map[string]any); ok && len(m) == 1 && m["secure"] != nil {
			f.Values[k] = fmt.Sprint(m["secure"])
			f.Secrets[k] = true
			continue
		}
		switch t := v.(type) {
		case string:
			f.Values[k] = t
		default:
			b, err := json.Marshal(t)
			if err != nil {
				return nil, fmt.Errorf("%s: key %s: %w", path, k, err)
			}
			f.Values[k] = string(b)
		}
	}
	return f, nil
}

// WithoutSecretsManager drops a stack file's secrets-manager settings and
// its encrypted values: a copy of the file on another backend gets its own
// secrets manager, and the original's ciphertext cannot be decrypted there.
func WithoutSecretsManager(stackFile []byte) ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(stackFile, &doc); err != nil {
		return nil, err
	}
	for _, k := range []string{"encryptionsalt", "secretsprovider", "encryptedkey"} {
		delete(doc, k)
	}
	if cfg, ok := doc["config"].(map[string]any); ok {
		for k, v := range cfg {
			if m, ok := v.(map[string]any); ok && m["secure"] != nil && len(m) == 1 {
				delete(cfg, k)
			}
		}
	}
	return yaml.Marshal(doc)
}
