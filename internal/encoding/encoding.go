// Package encoding serialises generated configuration deterministically
// (sorted map keys, no timestamps) and hashes it, so that the same input
// always produces the same bytes and a second preview shows no changes.
package encoding

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/conventions"
)

// YAML marshals v through its JSON form, so map keys come out sorted and
// struct fields follow their json tags.
func YAML(v any) (string, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode yaml: %w", err)
	}
	return string(b), nil
}

// JSON marshals v with two-space indentation and sorted map keys, without
// HTML escaping (PromQL and templates keep their '<' and '&').
func JSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	return buf.String(), nil
}

// Checksum is the hex sha256 of the parts, each length-prefixed so that
// ("ab","c") and ("a","bc") differ.
func Checksum(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ChecksumOfMap hashes a map of file name -> content in key order.
func ChecksumOfMap(files map[string]string) string {
	b, _ := json.Marshal(files) // map[string]string always marshals; keys are sorted
	return Checksum(string(b))
}

// ChecksumAnnotation returns the pod-template annotation that rolls a
// workload when the named configuration changes.
func ChecksumAnnotation(configName string, files map[string]string) map[string]string {
	return map[string]string{conventions.ChecksumAnnotationPrefix + configName: ChecksumOfMap(files)}
}
