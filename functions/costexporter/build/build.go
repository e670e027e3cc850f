// Package build owns turning the cost exporter's source into the zip Lambda
// runs, reproducibly: the same source and Go toolchain give the same bytes,
// so the Pulumi program (which calls BuildZip at deploy time) sees the same
// source hash and shows no diff until the code really changes. It builds;
// it uploads and deploys nothing.
package build

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const (
	// Package is the main package built, relative to the repository root.
	Package = "./functions/costexporter"
	// ZipName is the archive BuildZip writes into outDir.
	ZipName = "costexporter.zip"
	// binaryName is what the provided.al2023 runtime executes.
	binaryName = "bootstrap"
)

// zipTime is every entry's modification time: fixed, so the archive does
// not change with the clock. 1980-01-01 is the earliest MS-DOS time.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// BuildZip cross-compiles the exporter for Lambda on arm64 (Graviton) and
// zips it as a single executable `bootstrap`. It returns the zip's path
// (outDir/costexporter.zip) and the hex SHA-256 of its bytes.
//
// What makes it reproducible: -trimpath (no local paths), -buildid= and
// -buildvcs=false (no build ID, no commit or dirty flag stamped in),
// CGO_ENABLED=0 (no host C toolchain), GOFLAGS and GOEXPERIMENT cleared (the
// caller's environment cannot add flags), GOWORK=off (only this module), and
// a zip with one entry of fixed time and mode 0755. The Go toolchain version
// still matters: a different go version gives a different binary.
func BuildZip(ctx context.Context, repoDir, outDir string) (zipPath, sha256hex string, err error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", "", fmt.Errorf("build cost exporter: no go command on PATH: install the Go toolchain the repository's go.mod names: %w", err)
	}
	if _, err := os.Stat(filepath.Join(repoDir, "go.mod")); err != nil {
		return "", "", fmt.Errorf("build cost exporter: %s is not the repository root (no go.mod): pass the directory holding go.mod", repoDir)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", "", fmt.Errorf("build cost exporter: create %s: %w", outDir, err)
	}
	tmp, err := os.MkdirTemp(outDir, ".build-")
	if err != nil {
		return "", "", fmt.Errorf("build cost exporter: %w", err)
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, binaryName)
	cmd := exec.CommandContext(ctx, goBin, "build",
		"-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w -buildid=",
		"-tags", "lambda.norpc",
		"-o", bin, Package)
	cmd.Dir = repoDir
	cmd.Env = append(filteredEnv(os.Environ()),
		"GOOS=linux", "GOARCH=arm64", "GOARM64=v8.0", "CGO_ENABLED=0",
		"GOFLAGS=", "GOEXPERIMENT=", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("build cost exporter: go build %s (GOOS=linux GOARCH=arm64) in %s: %w\n%s", Package, repoDir, err, strings.TrimSpace(stderr.String()))
	}

	var buf bytes.Buffer
	if err := writeZip(&buf, bin); err != nil {
		return "", "", fmt.Errorf("build cost exporter: zip: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	// Write then rename, so a concurrent reader never sees half a zip.
	part := filepath.Join(tmp, ZipName)
	if err := os.WriteFile(part, buf.Bytes(), 0o644); err != nil {
		return "", "", fmt.Errorf("build cost exporter: %w", err)
	}
	zipPath = filepath.Join(outDir, ZipName)
	if err := os.Rename(part, zipPath); err != nil {
		return "", "", fmt.Errorf("build cost exporter: %w", err)
	}
	return zipPath, hex.EncodeToString(sum[:]), nil
}

// filteredEnv drops the variables BuildZip sets itself, so the caller's
// values (a GOFLAGS=-race, a GOARCH) cannot leak into the build.
func filteredEnv(env []string) []string {
	set := map[string]bool{"GOOS": true, "GOARCH": true, "GOARM64": true, "CGO_ENABLED": true,
		"GOFLAGS": true, "GOEXPERIMENT": true, "GOWORK": true}
	out := env[:0:0]
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); !set[k] {
			out = append(out, kv)
		}
	}
	return out
}

func writeZip(w io.Writer, bin string) error {
	f, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(w)
	h := &zip.FileHeader{Name: binaryName, Method: zip.Deflate, Modified: zipTime}
	h.SetMode(0o755) // Lambda executes bootstrap; without x it fails with permission denied
	fw, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(fw, f); err != nil {
		return err
	}
	return zw.Close()
}
