package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBadInvocationsFailWithOneClearMessage(t *testing.T) {
	readOnly := t.TempDir()
	if err := os.Chmod(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		"no arguments print the usage": {
			args: nil, wantCode: 2, wantErr: "usage: stackctl",
		},
		"an unknown command prints the usage": {
			args: []string{"--tools-root", "/nonexistent", "deploy", "local"}, wantCode: 2, wantErr: `unknown command "deploy"`,
		},
		"an unknown stack names the shipped ones": {
			args: []string{"--tools-root", "/nonexistent", "--project-dir", "../..", "preview", "staging"}, wantCode: 1,
			wantErr: `unknown stack "staging": there is no Pulumi.staging.yaml; use one of dev, local, prod`,
		},
		"missing tools say how to get them": {
			args: []string{"--tools-root", "", "--project-dir", "../..", "preview", "local"}, wantCode: 1, wantErr: "run scripts/tools.sh",
		},
		"a render directory that cannot be written is refused before anything runs": {
			args:     []string{"--tools-root", "/nonexistent", "--project-dir", "../..", "--render-dir", filepath.Join(readOnly, "out"), "render", "local"},
			wantCode: 1, wantErr: "cannot be created",
		},
		"a drift check of a destroy is refused": {
			args: []string{"--tools-root", "/nonexistent", "--expect-no-changes", "destroy", "dev"}, wantCode: 2,
			wantErr: "--expect-no-changes is for preview, up and refresh",
		},
		"--preview-only belongs to refresh": {
			args: []string{"--tools-root", "/nonexistent", "--preview-only", "preview", "dev"}, wantCode: 2,
			wantErr: "--preview-only for refresh",
		},
		"a refresh of a stack that renders to files says why it cannot run": {
			args: []string{"--tools-root", "/nonexistent", "--project-dir", "../..", "refresh", "local"}, wantCode: 1,
			wantErr: "a render has neither",
		},
		"pr-comment needs the stacks": {
			args: []string{"pr-comment"}, wantCode: 2, wantErr: "pr-comment needs the stacks",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if os.Geteuid() == 0 && name == "a render directory that cannot be written is refused before anything runs" {
				// root writes through file modes; use a path under a file instead.
				gomod, err := filepath.Abs("../../go.mod")
				if err != nil {
					t.Fatal(err)
				}
				tc.args[5] = filepath.Join(gomod, "out")
			}
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			assert.Equal(t, tc.wantCode, code, stderr.String())
			assert.Contains(t, stderr.String(), tc.wantErr)
		})
	}
}
