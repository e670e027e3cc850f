package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		"no command prints the usage": {
			args: nil, code: 2, wantStderr: "usage: cluster <command>",
		},
		"an unknown command prints the usage": {
			args: []string{"start"}, code: 2, wantStderr: "usage: cluster <command>",
		},
		"status of a directory without a cluster says how to start one": {
			args: []string{"status", "-dir", dir}, code: 1, wantStdout: "go run ./cmd/cluster up -dir " + dir,
		},
		"the command may follow the flags": {
			args: []string{"-dir", dir, "status"}, code: 1, wantStdout: "no cluster in " + dir,
		},
		"down of a directory without a cluster has nothing to do": {
			args: []string{"down", "-dir", dir}, code: 0,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			assert.Contains(t, stdout.String(), tc.wantStdout)
			assert.Contains(t, stderr.String(), tc.wantStderr)
		})
	}
}
