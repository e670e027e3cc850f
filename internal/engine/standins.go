package engine

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"github.com/klearkarma/observability/internal/pins"
)

// BuildStandIns builds the stand-in plugin from this module into dir and
// links it under the name of every package it replaces. Returns dir.
func BuildStandIns(ctx context.Context, projectDir, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "pulumi-resource-standin")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/pulumi-resource-standin")
	cmd.Dir = projectDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build stand-in plugin: %w\n%s", err, out)
	}
	for _, pkg := range StandInNames() {
		link := filepath.Join(dir, "pulumi-resource-"+pkg)
		_ = os.Remove(link)
		if err := os.Symlink("pulumi-resource-standin", link); err != nil {
			return "", fmt.Errorf("link stand-in for %s: %w", pkg, err)
		}
	}
	return dir, nil
}

// StandInNames lists the packages the stand-in replaces, sorted.
func StandInNames() []string {
	pkgs := make([]string, 0, len(pins.StandInPackages))
	for pkg := range pins.StandInPackages {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	return pkgs
}
