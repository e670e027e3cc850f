package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/manifestdiff/manifestdifftest"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func TestDiffOfTwoRenders(t *testing.T) {
	// The manifestdiff fixtures: an added dashboard, a changed retention
	// flag, a removed object, a changed secret.
	base, head := manifestdifftest.Dirs(t)
	var secrets []string
	for _, v := range manifestdifftest.SecretValues() {
		secrets = append(secrets, v, base64.StdEncoding.EncodeToString([]byte(v)))
	}
	pulumitest.Cases(t, map[string]struct {
		args     []string
		wantCode int
		check    func(t *testing.T, stdout, stderr string)
	}{
		"Markdown names every changed object and never a secret value": {
			args: []string{"--base-dir", base, "--head-dir", head, "diff", "prod"},
			check: func(t *testing.T, stdout, _ string) {
				for _, want := range []string{"Stack `prod`", "grafana-dashboards-slo", "legacy-exporter", "thanos-compactor", "smtp-password"} {
					assert.Contains(t, stdout, want)
				}
				assert.Contains(t, stdout, "```diff")
				// Both Secrets' values, plain and encoded.
				for _, secret := range secrets {
					assert.NotContains(t, stdout, secret)
				}
			},
		},
		"JSON has the summary and one entry per changed object": {
			args: []string{"--json", "--base-dir", base, "--head-dir", head, "diff", "prod"},
			check: func(t *testing.T, stdout, _ string) {
				var r struct {
					Summary struct{ Added, Changed, Removed int }
					Objects []map[string]any
				}
				require.NoError(t, json.Unmarshal([]byte(stdout), &r))
				assert.Equal(t, 1, r.Summary.Added)
				assert.Equal(t, 1, r.Summary.Removed)
				assert.Len(t, r.Objects, r.Summary.Added+r.Summary.Changed+r.Summary.Removed)
			},
		},
		"a base that does not exist yet is a new stack": {
			args: []string{"--base-dir", filepath.Join(t.TempDir(), "none"), "--head-dir", head, "diff", "prod"},
			check: func(t *testing.T, stdout, _ string) {
				assert.Contains(t, stdout, "grafana-dashboards-slo")
			},
		},
		"a diff without a base says what to give": {
			args: []string{"--head-dir", head, "diff", "prod"}, wantCode: 1,
			check: func(t *testing.T, _, stderr string) {
				assert.Contains(t, stderr, "diff needs --base <git ref> or --base-dir <render>")
			},
		},
	}, func(t *testing.T, tc struct {
		args     []string
		wantCode int
		check    func(t *testing.T, stdout, stderr string)
	}) {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		require.Equal(t, tc.wantCode, code, stderr.String())
		tc.check(t, stdout.String(), stderr.String())
	})
}
