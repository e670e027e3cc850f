package manifestdiff_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/manifestdiff"
	"github.com/klearkarma/observability/internal/manifestdiff/manifestdifftest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden/")

// golden compares got with testdata/golden/<name>, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/manifestdiff -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), got, "%s differs; run with -update if the change is intended", path)
}

// fixtures loads the two renders manifestdifftest lays out (their Secrets
// written at test time).
func fixtures(t *testing.T) (base, head manifestdiff.Set) {
	t.Helper()
	baseDir, headDir := manifestdifftest.Dirs(t)
	base, err := manifestdiff.Load(baseDir)
	require.NoError(t, err)
	head, err = manifestdiff.Load(headDir)
	require.NoError(t, err)
	return base, head
}

func find(t *testing.T, r manifestdiff.Report, kind, ns, name string) (manifestdiff.ObjectChange, bool) {
	t.Helper()
	for _, c := range r.Objects {
		if c.Kind == kind && c.Namespace == ns && c.Name == name {
			return c, true
		}
	}
	return manifestdiff.ObjectChange{}, false
}

// writeTree lays files (relative path -> content) out in a temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		path := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return dir
}

func TestLoad(t *testing.T) {
	cases := map[string]struct {
		files    map[string]string
		wantKeys []string
		wantErr  string
	}{
		"one object per file under both sub-directories is keyed by apiVersion/kind/namespace/name": {
			files: map[string]string{
				"0-crd/crd.yaml":     "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.example.com\n",
				"1-manifest/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: monitoring\n",
			},
			wantKeys: []string{"apiextensions.k8s.io/v1/CustomResourceDefinition/-/a.example.com", "v1/ConfigMap/monitoring/a"},
		},
		"a multi-document file yields each object and skips empty documents": {
			files: map[string]string{
				"all.yml": "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n---\n# nothing here\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: x\n---\n",
			},
			wantKeys: []string{"v1/ConfigMap/x/a", "v1/ConfigMap/x/b"},
		},
		"files that are not YAML are not read": {
			files:    map[string]string{"README.md": "not: [yaml", "a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n"},
			wantKeys: []string{"v1/Namespace/-/a"},
		},
		"an empty directory is an empty set": {
			files:    map[string]string{},
			wantKeys: []string{},
		},
		"the same object in two files is an error naming both": {
			files: map[string]string{
				"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n",
				"b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n",
			},
			wantErr: "v1/ConfigMap/x/a is in both a.yaml and b.yaml",
		},
		"a document without a name is an error naming the file and document": {
			files:   map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"},
			wantErr: "a.yaml: document 2: not a Kubernetes object",
		},
		"invalid YAML is an error naming the file": {
			files:   map[string]string{"bad.yaml": "apiVersion: [v1\n"},
			wantErr: "bad.yaml: document 1 is not valid YAML",
		},
		"a document that is not a mapping is an error": {
			files:   map[string]string{"list.yaml": "- a\n- b\n"},
			wantErr: "not a Kubernetes object",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			set, err := manifestdiff.Load(dir)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			got := []string{}
			for _, k := range set.Keys() {
				got = append(got, k.String())
			}
			assert.Equal(t, tc.wantKeys, got)
			assert.False(t, set.Missing)
		})
	}
}

func TestLoadMissingDirectory(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "rendered", "new-stack")
	cases := map[string]struct {
		load        func(string) (manifestdiff.Set, error)
		wantErr     string
		wantMissing bool
	}{
		"Load refuses a missing directory and names it":     {load: manifestdiff.Load, wantErr: missing + " does not exist"},
		"LoadOptional makes it an empty set marked missing": {load: manifestdiff.LoadOptional, wantMissing: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			set, err := tc.load(missing)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantMissing, set.Missing)
			assert.Zero(t, set.Len())
		})
	}
}

func TestCompare(t *testing.T) {
	base, head := fixtures(t)
	r := manifestdiff.Compare(base, head)

	cases := map[string]func(t *testing.T){
		"the counts cover every object of both renders": func(t *testing.T) {
			assert.Equal(t, manifestdiff.Summary{Added: 1, Changed: 3, Removed: 1, Unchanged: 3}, r.Summary)
			assert.False(t, r.BaseMissing)
			assert.False(t, r.HeadMissing)
		},
		"a new dashboard ConfigMap is added with its whole content as + lines": func(t *testing.T) {
			c, ok := find(t, r, "ConfigMap", "monitoring", "grafana-dashboards-slo")
			require.True(t, ok)
			assert.Equal(t, manifestdiff.Added, c.Change)
			assert.Contains(t, c.Diff, "--- /dev/null\n+++ head/v1/ConfigMap/monitoring/grafana-dashboards-slo\n")
			assert.Contains(t, c.Diff, `+          "title": "Error budget remaining",`)
			assert.Zero(t, c.LinesRemoved)
			assert.Equal(t, "1-manifest/v1-configmap-monitoring-grafana-dashboards-slo.yaml", c.HeadFile)
			assert.Empty(t, c.BaseFile)
		},
		"a new dashboard key in an existing ConfigMap is a change of + lines only": func(t *testing.T) {
			c, ok := find(t, r, "ConfigMap", "monitoring", "grafana-dashboards")
			require.True(t, ok)
			assert.Equal(t, manifestdiff.Changed, c.Change)
			assert.Contains(t, c.Diff, "+  booking-funnel.json: |\n")
			assert.Zero(t, c.LinesRemoved)
			assert.Equal(t, 6, c.LinesAdded)
		},
		"a changed retention flag is one - and one + line with context around it": func(t *testing.T) {
			c, ok := find(t, r, "StatefulSet", "monitoring", "thanos-compactor")
			require.True(t, ok)
			assert.Equal(t, manifestdiff.Changed, c.Change)
			assert.Equal(t, 1, c.LinesAdded)
			assert.Equal(t, 1, c.LinesRemoved)
			assert.Contains(t, c.Diff, "-            - --retention.resolution-raw=456d\n+            - --retention.resolution-raw=500d\n")
			assert.Contains(t, c.Diff, "             - --objstore.config-file=/etc/thanos/objstore.yaml\n", "context before")
			assert.Contains(t, c.Diff, "             - --retention.resolution-5m=456d\n", "context after")
			assert.NotContains(t, c.Diff, "image:", "context is only a few lines")
		},
		"a removed Service is listed as removed": func(t *testing.T) {
			c, ok := find(t, r, "Service", "monitoring", "legacy-exporter")
			require.True(t, ok)
			assert.Equal(t, manifestdiff.Removed, c.Change)
			assert.Contains(t, c.Diff, "+++ /dev/null\n")
			assert.Zero(t, c.LinesAdded)
		},
		"a Secret reports each key's value as added, changed or removed": func(t *testing.T) {
			c, ok := find(t, r, "Secret", "monitoring", "alertmanager-smtp")
			require.True(t, ok)
			assert.Equal(t, manifestdiff.Changed, c.Change)
			assert.Equal(t, []manifestdiff.SecretKeyChange{
				{Field: "data", Key: "api-token", Change: manifestdiff.Added},
				{Field: "data", Key: "legacy-token", Change: manifestdiff.Removed},
				{Field: "data", Key: "smtp-password", Change: manifestdiff.Changed},
			}, c.SecretKeys, "smtp-user kept its value, so it is not listed")
			assert.Contains(t, c.Diff, "+  api-token: <redacted>\n")
			assert.Contains(t, c.Diff, "-  legacy-token: <redacted>\n")
			assert.Contains(t, c.Diff, "\n   smtp-password: <redacted>\n", "a changed value leaves its line unchanged")
		},
		"unchanged objects are not listed, whatever their key order or quoting": func(t *testing.T) {
			for _, o := range [][3]string{{"ConfigMap", "logging", "fluentd"}, {"Namespace", "", "monitoring"}, {"CustomResourceDefinition", "", "servicemonitors.monitoring.coreos.com"}} {
				_, ok := find(t, r, o[0], o[1], o[2])
				assert.False(t, ok, "%v is unchanged", o)
			}
		},
		"objects are ordered by namespace, kind, then name": func(t *testing.T) {
			var got []string
			for _, c := range r.Objects {
				got = append(got, c.Namespace+"/"+c.Kind+"/"+c.Name)
			}
			assert.Equal(t, []string{
				"monitoring/ConfigMap/grafana-dashboards",
				"monitoring/ConfigMap/grafana-dashboards-slo",
				"monitoring/Secret/alertmanager-smtp",
				"monitoring/Service/legacy-exporter",
				"monitoring/StatefulSet/thanos-compactor",
			}, got)
		},
		"a render compared with itself has no changes": func(t *testing.T) {
			same := manifestdiff.Compare(head, head)
			assert.Empty(t, same.Objects)
			assert.Equal(t, head.Len(), same.Summary.Unchanged)
		},
	}
	for name, check := range cases {
		t.Run(name, check)
	}
}

func TestSecretValuesNeverAppear(t *testing.T) {
	plain := append(manifestdifftest.SecretValues(), "fixture-string-data-value", "fixture-applied-value")
	var forbidden []string
	for _, p := range plain {
		b64 := base64.StdEncoding.EncodeToString([]byte(p))
		forbidden = append(forbidden, p, b64)
		for _, form := range []string{p, b64} {
			sum := sha256.Sum256([]byte(form))
			forbidden = append(forbidden, hex.EncodeToString(sum[:]), base64.StdEncoding.EncodeToString(sum[:]))
		}
	}
	// A Secret with stringData and kubectl's last-applied annotation (which
	// repeats the data) beside the fixtures' data-only one.
	extra := func(pass, applied string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: es-writer\n  namespace: logging\n  annotations:\n" +
			"    kubectl.kubernetes.io/last-applied-configuration: '{\"stringData\":{\"password\":\"" + applied + "\"}}'\n" +
			"stringData:\n  password: " + pass + "\n"
	}
	baseFix, headFix := fixtures(t)
	extraBase, err := manifestdiff.Load(writeTree(t, map[string]string{"s.yaml": extra("old", "applied-old")}))
	require.NoError(t, err)
	extraHead, err := manifestdiff.Load(writeTree(t, map[string]string{"s.yaml": extra("fixture-string-data-value", "fixture-applied-value")}))
	require.NoError(t, err)
	for k, o := range extraBase.Objects {
		baseFix.Objects[k] = o
	}
	for k, o := range extraHead.Objects {
		headFix.Objects[k] = o
	}

	cases := map[string]struct{ base, head manifestdiff.Set }{
		"the Secret changed between the renders":    {baseFix, headFix},
		"the Secret is new (the base has no stack)": {manifestdiff.MissingSet("base"), headFix},
		"the Secret was removed":                    {baseFix, manifestdiff.MissingSet("head")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := manifestdiff.Compare(tc.base, tc.head)
			js, err := r.JSON()
			require.NoError(t, err)
			outputs := map[string]string{
				"markdown":             r.Markdown("local"),
				"markdown, no limits":  r.Markdown("local", manifestdiff.MaxChars(0), manifestdiff.MaxDiffLines(0)),
				"JSON":                 string(js),
				"canonical YAML, base": allYAML(tc.base),
				"canonical YAML, head": allYAML(tc.head),
			}
			for what, out := range outputs {
				for _, f := range forbidden {
					assert.NotContains(t, out, f, "%s shows a Secret value or its hash", what)
				}
			}
			c, ok := find(t, r, "Secret", "logging", "es-writer")
			require.True(t, ok)
			assert.NotEmpty(t, c.SecretKeys)
		})
	}

	t.Run("a Secret whose values alone changed has no diff and says how many values changed", func(t *testing.T) {
		r := manifestdiff.Compare(extraBase, extraHead)
		require.Len(t, r.Objects, 1)
		assert.Empty(t, r.Objects[0].Diff)
		md := r.Markdown("local")
		assert.Contains(t, md, "| `logging` | Secret (v1) | `es-writer` | changed (2 Secret values) |")
		assert.NotContains(t, md, "```diff")
	})

	t.Run("the changed key and the annotation are reported by name", func(t *testing.T) {
		r := manifestdiff.Compare(baseFix, headFix)
		md := r.Markdown("local")
		assert.Contains(t, md, "- key `smtp-password`: changed\n")
		assert.Contains(t, md, "- stringData key `password`: changed\n")
		assert.Contains(t, md, "- metadata.annotations key `kubectl.kubernetes.io/last-applied-configuration`: changed\n")
	})
}

func allYAML(s manifestdiff.Set) string {
	var sb strings.Builder
	for _, k := range s.Keys() {
		sb.WriteString(s.Objects[k].YAML)
	}
	return sb.String()
}

func TestMissingRenders(t *testing.T) {
	_, head := fixtures(t)
	cases := map[string]struct {
		base, head manifestdiff.Set
		want       manifestdiff.Summary
		note       string
	}{
		"a stack the base does not have is all added and says so": {
			base: manifestdiff.MissingSet("base"), head: head,
			want: manifestdiff.Summary{Added: head.Len()},
			note: "The base has no render of this stack (a new stack): every object is added.",
		},
		"a stack the head drops is all removed and says so": {
			base: head, head: manifestdiff.MissingSet("head"),
			want: manifestdiff.Summary{Removed: head.Len()},
			note: "The head has no render of this stack (a removed stack): every object is removed.",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := manifestdiff.Compare(tc.base, tc.head)
			assert.Equal(t, tc.want, r.Summary)
			assert.Contains(t, r.Markdown("local"), tc.note)
			js, err := r.JSON()
			require.NoError(t, err)
			var back map[string]any
			require.NoError(t, json.Unmarshal(js, &back))
			assert.Equal(t, tc.base.Missing, back["baseMissing"])
			assert.Equal(t, tc.head.Missing, back["headMissing"])
		})
	}
}

func TestMarkdownLimits(t *testing.T) {
	base, head := fixtures(t)
	r := manifestdiff.Compare(base, head)
	cases := map[string]struct {
		opts    []manifestdiff.MarkdownOption
		maxLen  int
		want    []string
		notWant []string
	}{
		"by default every diff is shown whole": {
			want:    []string{"booking-funnel.json", "Error budget remaining", "--retention.resolution-raw=500d"},
			notWant: []string{"Diff cut", "left out"},
		},
		"a diff longer than the line limit is cut with a note": {
			opts:    []manifestdiff.MarkdownOption{manifestdiff.MaxDiffLines(5)},
			want:    []string{"_Diff cut after 5 of 15 lines._", "_Diff cut after 5 of 23 lines._"},
			notWant: []string{"Error budget remaining"},
		},
		"a comment over the size limit leaves diffs out with a note and stays under it": {
			opts:   []manifestdiff.MarkdownOption{manifestdiff.MaxChars(2200)},
			maxLen: 2200,
			want:   []string{"| `monitoring` | StatefulSet (apps/v1) | `thanos-compactor` | changed (+1 -1) |", "left out to keep this comment under 2200 characters"},
		},
		"a limit too small for the table lists fewer rows with a note": {
			opts:   []manifestdiff.MarkdownOption{manifestdiff.MaxChars(800)},
			maxLen: 800,
			want:   []string{"more object(s) are not listed"},
		},
		"a limit too small for anything is still respected": {
			opts:   []manifestdiff.MarkdownOption{manifestdiff.MaxChars(40)},
			maxLen: 40,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			md := r.Markdown("Stack `local`", tc.opts...)
			if tc.maxLen > 0 {
				assert.LessOrEqual(t, len(md), tc.maxLen)
			}
			for _, w := range tc.want {
				assert.Contains(t, md, w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, md, w)
			}
		})
	}
}

func TestMarkdownFencesOutlastBackticksInTheDiff(t *testing.T) {
	base, err := manifestdiff.Load(writeTree(t, map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: readme\n  namespace: x\ndata:\n  README.md: |\n    ```\n    old\n    ```\n"}))
	require.NoError(t, err)
	head, err := manifestdiff.Load(writeTree(t, map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: readme\n  namespace: x\ndata:\n  README.md: |\n    ````\n    new\n    ````\n"}))
	require.NoError(t, err)
	md := manifestdiff.Compare(base, head).Markdown("x")
	assert.Contains(t, md, "`````diff\n")
}

func TestGolden(t *testing.T) {
	base, head := fixtures(t)
	r := manifestdiff.Compare(base, head)
	js, err := r.JSON()
	require.NoError(t, err)
	cases := map[string]string{
		"report.md":           r.Markdown("Stack `local`"),
		"report-truncated.md": r.Markdown("Stack `local`", manifestdiff.MaxDiffLines(6), manifestdiff.MaxChars(1800)),
		"report.json":         string(js),
		"no-changes.md":       manifestdiff.Compare(head, head).Markdown("Stack `local`"),
	}
	for name, got := range cases {
		t.Run(name, func(t *testing.T) { golden(t, name, got) })
	}
}

// BenchmarkCompareLargeConfigMap measures one changed line in a ConfigMap
// holding a 10000-line file where every other line is "}", the shape of the
// biggest rendered dashboards (go-difflib's matcher took 5 s on it).
func BenchmarkCompareLargeConfigMap(b *testing.B) {
	cm := func(changed string) string {
		var sb strings.Builder
		sb.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: x\ndata:\n  big.json: |\n")
		for i := range 5000 {
			line := fmt.Sprintf("    {\"panel\": %d},\n    }\n", i)
			if i == 2500 {
				line = "    " + changed + "\n"
			}
			sb.WriteString(line)
		}
		return sb.String()
	}
	dir := b.TempDir()
	for name, content := range map[string]string{"base/a.yaml": cm("old"), "head/a.yaml": cm("new")} {
		require.NoError(b, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		require.NoError(b, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	base, err := manifestdiff.Load(filepath.Join(dir, "base"))
	require.NoError(b, err)
	head, err := manifestdiff.Load(filepath.Join(dir, "head"))
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		r := manifestdiff.Compare(base, head)
		if r.Summary.Changed != 1 || r.Objects[0].LinesAdded != 1 {
			b.Fatalf("want one changed line, got %+v", r.Summary)
		}
	}
}
