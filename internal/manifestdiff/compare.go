package manifestdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// ContextLines is how many unchanged lines surround each hunk of a diff.
const ContextLines = 3

// JSONSchema names the shape Report.JSON writes; it changes only when a
// field is renamed or removed.
const JSONSchema = "klearkarma.manifestdiff/v1"

// Change is what happened to an object or a Secret key.
type Change string

// The changes, as they appear in the JSON and the Markdown.
const (
	Added   Change = "added"
	Changed Change = "changed"
	Removed Change = "removed"
)

// Report is the comparison of two renders.
//
// Its JSON form (Report.JSON) has these fields, which are stable:
//
//	schema       "klearkarma.manifestdiff/v1"
//	baseMissing  true when the base had no render (e.g. a new stack)
//	headMissing  true when the head had no render (e.g. a removed stack)
//	summary      {added, changed, removed, unchanged}: object counts
//	objects      the objects that differ, ordered by namespace, kind, name:
//	  apiVersion, kind, namespace ("" when cluster-scoped), name
//	  change       "added" | "changed" | "removed"
//	  baseFile, headFile  the file each side was read from (omitted when absent)
//	  linesAdded, linesRemoved  counts of "+" and "-" lines in diff
//	  diff         unified diff (base -> head) of the canonical YAML; every
//	               line "+" for an added object, "-" for a removed one; ""
//	               when only Secret values changed
//	  secretKeys   for v1 Secrets only, each key whose value was added,
//	               changed or removed: {field: "data" | "stringData" |
//	               "metadata.annotations", key, change}; never a value or hash
type Report struct {
	Schema      string         `json:"schema"`
	BaseMissing bool           `json:"baseMissing"`
	HeadMissing bool           `json:"headMissing"`
	Summary     Summary        `json:"summary"`
	Objects     []ObjectChange `json:"objects"`
}

// Summary counts objects by change.
type Summary struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
}

// Total is the number of objects that differ.
func (s Summary) Total() int { return s.Added + s.Changed + s.Removed }

// ObjectChange is one object that differs between the renders.
type ObjectChange struct {
	Key
	Change       Change            `json:"change"`
	BaseFile     string            `json:"baseFile,omitempty"`
	HeadFile     string            `json:"headFile,omitempty"`
	LinesAdded   int               `json:"linesAdded"`
	LinesRemoved int               `json:"linesRemoved"`
	Diff         string            `json:"diff"`
	SecretKeys   []SecretKeyChange `json:"secretKeys,omitempty"`
}

// SecretKeyChange says that one Secret value was added, changed or removed,
// and nothing about the value.
type SecretKeyChange struct {
	// Field is "data", "stringData" or "metadata.annotations" (kubectl's
	// last-applied-configuration, which repeats the values).
	Field  string `json:"field"`
	Key    string `json:"key"`
	Change Change `json:"change"`
}

// Compare reports every object added, changed or removed from base to head.
// Objects are equal when their canonical YAML is equal and, for Secrets,
// every value hash is equal; nothing is ignored.
func Compare(base, head Set) Report {
	r := Report{Schema: JSONSchema, BaseMissing: base.Missing, HeadMissing: head.Missing, Objects: []ObjectChange{}}
	keys := map[Key]bool{}
	for k := range base.Objects {
		keys[k] = true
	}
	for k := range head.Objects {
		keys[k] = true
	}
	sorted := make([]Key, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].less(sorted[j]) })

	for _, k := range sorted {
		b, inBase := base.Objects[k]
		h, inHead := head.Objects[k]
		c := ObjectChange{Key: k, BaseFile: b.File, HeadFile: h.File}
		switch {
		case !inBase:
			c.Change = Added
		case !inHead:
			c.Change = Removed
		}
		c.SecretKeys = secretChanges(b.secretHashes, h.secretHashes)
		if c.Change == "" {
			if b.YAML == h.YAML && len(c.SecretKeys) == 0 {
				r.Summary.Unchanged++
				continue
			}
			c.Change = Changed
		}
		c.Diff, c.LinesAdded, c.LinesRemoved = objectDiff(k, inBase, inHead, b.YAML, h.YAML)
		switch c.Change {
		case Added:
			r.Summary.Added++
		case Removed:
			r.Summary.Removed++
		default:
			r.Summary.Changed++
		}
		r.Objects = append(r.Objects, c)
	}
	return r
}

func secretChanges(base, head map[secretField][32]byte) []SecretKeyChange {
	var out []SecretKeyChange
	for f, hb := range base {
		hh, ok := head[f]
		switch {
		case !ok:
			out = append(out, SecretKeyChange{Field: f.field, Key: f.key, Change: Removed})
		case hh != hb:
			out = append(out, SecretKeyChange{Field: f.field, Key: f.key, Change: Changed})
		}
	}
	for f := range head {
		if _, ok := base[f]; !ok {
			out = append(out, SecretKeyChange{Field: f.field, Key: f.key, Change: Added})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Field != out[j].Field {
			return out[i].Field < out[j].Field
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// objectDiff diffs the canonical YAML of one object's two sides.
func objectDiff(k Key, inBase, inHead bool, a, b string) (diff string, added, removed int) {
	from, to := "base/"+k.String(), "head/"+k.String()
	if !inBase {
		from = "/dev/null"
	}
	if !inHead {
		to = "/dev/null"
	}
	return unifiedDiff(from, to, lines(a), lines(b))
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// JSON is the report as indented JSON with the fields documented on Report.
func (r Report) JSON() ([]byte, error) {
	if r.Objects == nil {
		r.Objects = []ObjectChange{}
	}
	if r.Schema == "" {
		r.Schema = JSONSchema
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // diffs hold "<redacted>" and config text, not HTML
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("manifest diff report as JSON: %w", err)
	}
	return buf.Bytes(), nil
}
