package build_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/functions/costexporter/build"
)

// repoRoot walks up from the package directory to go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the test")
		dir = parent
	}
}

func TestBuildZipTwiceGivesTheSameBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the function twice (about a minute on a cold build cache); runs without -short")
	}
	root := repoRoot(t)
	ctx := context.Background()
	var shas []string
	var first []byte
	for i := range 2 {
		out := t.TempDir()
		start := time.Now()
		path, sha, err := build.BuildZip(ctx, root, out)
		require.NoError(t, err)
		t.Logf("build %d: %s in %s", i+1, sha, time.Since(start).Round(time.Millisecond))
		assert.Equal(t, filepath.Join(out, build.ZipName), path)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		assert.Equal(t, hex.EncodeToString(sum[:]), sha, "the returned hash is the zip's")
		shas = append(shas, sha)
		if i == 0 {
			first = b
		}
		entries, err := os.ReadDir(out)
		require.NoError(t, err)
		assert.Len(t, entries, 1, "the temporary build directory is removed")
	}
	assert.Equal(t, shas[0], shas[1], "two builds of the same source give identical zips")

	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	f := zr.File[0]
	assert.Equal(t, "bootstrap", f.Name)
	assert.Equal(t, os.FileMode(0o755), f.Mode().Perm())
	assert.True(t, f.Modified.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)), "fixed time, got %s", f.Modified)
	rc, err := f.Open()
	require.NoError(t, err)
	bin, err := io.ReadAll(rc)
	require.NoError(t, err)
	ef, err := elf.NewFile(bytes.NewReader(bin))
	require.NoError(t, err)
	assert.Equal(t, elf.EM_AARCH64, ef.Machine, "arm64 for Graviton")
	assert.Nil(t, ef.Section(".interp"), "static: CGO off, nothing to load")
}

func TestBuildZipOutsideTheRepositoryExplainsTheFix(t *testing.T) {
	_, _, err := build.BuildZip(context.Background(), t.TempDir(), t.TempDir())
	require.ErrorContains(t, err, "pass the directory holding go.mod")
}
