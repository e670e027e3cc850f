package encoding_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/pulumitest"
)

// The checksums roll pods when (and only when) a configuration changes, so
// they must be stable across runs and map orders, and tell apart inputs
// that concatenate alike.
func TestChecksums(t *testing.T) {
	pulumitest.Cases(t, map[string]struct {
		a, b []string
		same bool
	}{
		"the same parts give the same checksum":                 {a: []string{"x", "y"}, b: []string{"x", "y"}, same: true},
		"parts that concatenate alike give different checksums": {a: []string{"ab", "c"}, b: []string{"a", "bc"}},
		"an empty part is a part":                               {a: []string{"a"}, b: []string{"a", ""}},
		"order matters":                                         {a: []string{"a", "b"}, b: []string{"b", "a"}},
	}, func(t *testing.T, tc struct {
		a, b []string
		same bool
	}) {
		x, y := encoding.Checksum(tc.a...), encoding.Checksum(tc.b...)
		assert.Len(t, x, 64)
		assert.Equal(t, tc.same, x == y)
	})
}

func TestAMapChecksumIsIndependentOfInsertionOrder(t *testing.T) {
	first := map[string]string{}
	second := map[string]string{}
	keys := []string{"prometheus.yml", "rules.yaml", "web.yml", "a", "z"}
	for _, k := range keys {
		first[k] = "content of " + k
	}
	for i := len(keys) - 1; i >= 0; i-- {
		second[keys[i]] = "content of " + keys[i]
	}
	for i := 0; i < 20; i++ {
		assert.Equal(t, encoding.ChecksumOfMap(first), encoding.ChecksumOfMap(second))
	}
	second["a"] = "changed"
	assert.NotEqual(t, encoding.ChecksumOfMap(first), encoding.ChecksumOfMap(second), "a changed file changes it")
}

func TestTheChecksumAnnotationNamesItsConfiguration(t *testing.T) {
	ann := encoding.ChecksumAnnotation("rules", map[string]string{"a.yaml": "x"})
	require.Len(t, ann, 1)
	v, ok := ann[conventions.ChecksumAnnotationPrefix+"rules"]
	require.True(t, ok, "%v", ann)
	assert.Equal(t, encoding.ChecksumOfMap(map[string]string{"a.yaml": "x"}), v)
}

func TestYAMLAndJSONAreDeterministic(t *testing.T) {
	v := map[string]any{"zeta": 1, "alpha": map[string]any{"b": []any{"x", "<y&>"}, "a": true}}
	y1, err := encoding.YAML(v)
	require.NoError(t, err)
	y2, err := encoding.YAML(v)
	require.NoError(t, err)
	assert.Equal(t, y1, y2)
	assert.Equal(t, "alpha:\n  a: true\n  b:\n  - x\n  - <y&>\nzeta: 1\n", y1, "keys sorted")
	j, err := encoding.JSON(v)
	require.NoError(t, err)
	assert.Contains(t, j, `"<y&>"`, "no HTML escaping of PromQL and templates")
	assert.Less(t, indexOf(j, "alpha"), indexOf(j, "zeta"))
	_, err = encoding.JSON(map[string]any{"f": func() {}})
	assert.Error(t, err, "a value JSON cannot hold is an error, not a panic")
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
