// Package manifestdifftest lays out the manifestdiff fixtures (two renders
// of one stack: an added dashboard, a changed retention flag, a removed
// object, a changed Secret) for the tests of internal/manifestdiff and
// cmd/stackctl.
//
// The Secret of each render is written at test time from plain values
// (SecretValues), not committed: a committed Secret manifest with data,
// even a fixture's, is what secret scanners rightly flag, and the tests
// that prove no value leaks need the plain values anyway.
package manifestdifftest

import (
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sigs.k8s.io/yaml"
)

//go:embed fixtures
var fixtures embed.FS

// SecretFile is where each render's Secret is written, relative to the
// render's directory (the name the render mode gives it).
const SecretFile = "1-manifest/v1-secret-monitoring-alertmanager-smtp.yaml"

// secretData is the data of the alertmanager-smtp Secret in each render:
// one key removed (legacy-token), one added (api-token), one changed
// (smtp-password) and one kept (smtp-user).
var secretData = map[string]map[string]string{
	"base": {"legacy-token": "fixture-legacy-value", "smtp-password": "fixture-old-smtp-value", "smtp-user": "alerts"},
	"head": {"api-token": "fixture-api-value", "smtp-password": "fixture-new-smtp-value", "smtp-user": "alerts"},
}

// SecretValues are the plain values of both renders' Secrets, sorted, for
// tests that assert none of them (nor their encodings) is ever shown.
func SecretValues() []string {
	var out []string
	for _, data := range secretData {
		for _, v := range data {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Write lays both renders out under dir and returns their directories
// (dir/base and dir/head).
func Write(dir string) (base, head string, err error) {
	for _, side := range []string{"base", "head"} {
		out := filepath.Join(dir, side)
		if err := copyTree(side, out); err != nil {
			return "", "", fmt.Errorf("manifestdiff fixtures: %w", err)
		}
		secret, err := secretManifest(secretData[side])
		if err != nil {
			return "", "", fmt.Errorf("manifestdiff fixtures: %s Secret: %w", side, err)
		}
		if err := os.WriteFile(filepath.Join(out, SecretFile), secret, 0o644); err != nil {
			return "", "", fmt.Errorf("manifestdiff fixtures: %w", err)
		}
	}
	return filepath.Join(dir, "base"), filepath.Join(dir, "head"), nil
}

// Dirs is Write into a temporary directory removed when t ends.
func Dirs(t testing.TB) (base, head string) {
	t.Helper()
	base, head, err := Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return base, head
}

func copyTree(side, out string) error {
	root := "fixtures/" + side
	return fs.WalkDir(fixtures, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		target := filepath.Join(out, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fixtures.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// secretManifest is the Secret as the render mode writes it: data values
// base64-encoded, keys sorted (sigs.k8s.io/yaml sorts map keys).
func secretManifest(plain map[string]string) ([]byte, error) {
	data := map[string]string{}
	for k, v := range plain {
		data[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	return yaml.Marshal(map[string]any{
		"apiVersion": "v1",
		"kind":       "Secret",
		"type":       "Opaque",
		"metadata": map[string]any{
			"name":      "alertmanager-smtp",
			"namespace": "monitoring",
			"labels":    map[string]string{"app.kubernetes.io/name": "alertmanager"},
		},
		"data": data,
	})
}
