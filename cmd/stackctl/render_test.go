package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/livetest"
)

// snapshot maps every file under dir to the hash of its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sum := sha256.Sum256(b)
		files[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	require.NoError(t, err)
	return files
}

// A render-mode stack keeps its state between runs of `make up`; the
// state alone must not decide what is on disk.
func TestUpAfterTheRenderedFilesAreDeletedGivesThemBack(t *testing.T) {
	root := livetest.PulumiTools(t)
	project := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.local.yaml"} {
		b, err := os.ReadFile(filepath.Join("../..", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(project, f), b, 0o644))
	}
	t.Setenv("PULUMI_HOME", filepath.Join(project, ".pulumi-home"))
	up := func() string {
		var stdout, stderr bytes.Buffer
		code := run([]string{"--tools-root", root, "--project-dir", project, "up", "local"}, &stdout, &stderr)
		require.Equal(t, 0, code, "stackctl up local:\n%s\n%s", stdout.String(), stderr.String())
		return stdout.String()
	}
	rendered := filepath.Join(project, "rendered", "local")

	up()
	want := snapshot(t, rendered)
	require.Greater(t, len(want), 50, "the local stack renders every object")

	require.NoError(t, os.RemoveAll(rendered))
	out := up()
	require.Contains(t, out, "rendered")
	require.Equal(t, want, snapshot(t, rendered), "deleting the folder and running up again gives the same files back")

	one := filepath.Join(rendered, "1-manifest", "apps_v1-statefulset-monitoring-prometheus.yaml")
	require.NoError(t, os.Remove(one))
	up()
	require.Equal(t, want, snapshot(t, rendered), "one deleted file comes back too")

	up()
	require.Equal(t, want, snapshot(t, rendered), "a run with nothing missing changes nothing")
}
