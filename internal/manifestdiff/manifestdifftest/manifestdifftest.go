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
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/klearkarma/observability/internal/encoding"
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
		tree, err := fs.Sub(fixtures, "fixtures/"+side)
		if err != nil {
			return "", "", fmt.Errorf("manifestdiff fixtures: %w", err)
		}
		if err := os.CopyFS(out, tree); err != nil {
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

// secretManifest is the Secret as the render mode writes it: data values
// base64-encoded, keys sorted.
func secretManifest(plain map[string]string) ([]byte, error) {
	secret := corev1.Secret{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{
			Name:      "alertmanager-smtp",
			Namespace: "monitoring",
			Labels:    map[string]string{"app.kubernetes.io/name": "alertmanager"},
		},
		Type: corev1.SecretTypeOpaque,
		Data: map[string][]byte{},
	}
	for k, v := range plain {
		secret.Data[k] = []byte(v)
	}
	out, err := encoding.YAML(secret)
	return []byte(out), err
}
