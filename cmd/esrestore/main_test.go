package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheCommandRendersTheScriptOfTheStacksRepository(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"a bucket: the S3 repository under the program's base path": {
			args: []string{"-bucket", "klearkarma-prod-log-snapshots-x"}, want: `"base_path": "audit",`,
		},
		"no bucket: the nodes' snapshot volume": {
			args: nil, want: `"location": "/usr/share/elasticsearch/snapshots",`,
		},
		"a chosen snapshot": {
			args: []string{"-snapshot", "klearkarma-audit-2026.11.30-b"}, want: "SNAPSHOT=${SNAPSHOT:-klearkarma-audit-2026.11.30-b}",
		},
	} {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			require.NoError(t, run(tc.args, &out))
			assert.Contains(t, out.String(), tc.want)
		})
	}
	require.ErrorContains(t, run([]string{"-snapshot", "../x"}, &strings.Builder{}), "not a snapshot name")
}
