package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// StackFile is a Pulumi.<stack>.yaml read as the program would see it:
// objects as JSON text, encrypted values marked secret (their ciphertext is
// kept, never decrypted here).
type StackFile struct {
	Stack  string
	Source MapSource
}

// ShippedStacks lists the stacks this repo ships a Pulumi.<stack>.yaml for.
func ShippedStacks(projectDir string) ([]string, error) {
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

// ReadStackFile reads projectDir/Pulumi.<stack>.yaml. An unknown stack is an
// error that lists the shipped ones.
func ReadStackFile(projectDir, stack string) (*StackFile, error) {
	path := filepath.Join(projectDir, "Pulumi."+stack+".yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			shipped, _ := ShippedStacks(projectDir)
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
	src := MapSource{Values: map[string]string{}, Secrets: map[string]bool{}}
	for k, v := range doc.Config {
		if m, ok := v.(map[string]any); ok && len(m) == 1 && m["secure"] != nil {
			src.Values[k] = fmt.Sprint(m["secure"])
			src.Secrets[k] = true
			continue
		}
		switch t := v.(type) {
		case string:
			src.Values[k] = t
		default:
			b, err := json.Marshal(t)
			if err != nil {
				return nil, fmt.Errorf("%s: key %s: %w", path, k, err)
			}
			src.Values[k] = string(b)
		}
	}
	return &StackFile{Stack: stack, Source: src}, nil
}
