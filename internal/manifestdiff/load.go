// Package manifestdiff owns the reviewable change summary of a pull request:
// it loads two offline renders of a stack (the trees `stackctl render`
// writes, one Kubernetes object per YAML file under 0-crd/ and 1-manifest/),
// compares them object by object, and reports what was added, changed and
// removed as Markdown for a PR comment or as JSON. RenderRevision renders a
// git revision offline into a directory, so a base revision can be compared
// with the head.
//
// It reads rendered files and runs `go run ./cmd/stackctl` in a throwaway
// worktree; it must not import the program, its stacks or its components, so
// it renders any revision, including ones whose Go API differs from today's.
//
// Secret values never leave Load: for every v1 Secret the values under
// `data` and `stringData` (and a kubectl last-applied-configuration
// annotation, which would repeat them) are replaced by RedactedMarker before
// anything else sees the object, and only their SHA-256 is kept to say per
// key whether it was added, changed or removed. That is limited to Secrets:
// a credential put in a ConfigMap or an env value is diffed like any other
// field, because deciding which other fields are credentials is guesswork and
// the program keeps credentials in Secrets.
//
// Nothing is ignored in the comparison: every field of every object counts,
// including checksum annotations on pod templates (they are how a config
// change restarts pods, so they are real changes).
package manifestdiff

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// RedactedMarker replaces every Secret value before an object is diffed.
const RedactedMarker = "<redacted>"

// lastApplied is the annotation kubectl writes with the whole object in it,
// Secret data included.
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// Key identifies an object across two renders. Namespace is empty for
// cluster-scoped objects (and for namespaced ones rendered without one).
type Key struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}

// String is "apiVersion/kind/namespace/name" ("-" for no namespace).
func (k Key) String() string {
	ns := k.Namespace
	if ns == "" {
		ns = "-"
	}
	return k.APIVersion + "/" + k.Kind + "/" + ns + "/" + k.Name
}

// less orders by namespace, kind, name, then apiVersion.
func (k Key) less(o Key) bool {
	if k.Namespace != o.Namespace {
		return k.Namespace < o.Namespace
	}
	if k.Kind != o.Kind {
		return k.Kind < o.Kind
	}
	if k.Name != o.Name {
		return k.Name < o.Name
	}
	return k.APIVersion < o.APIVersion
}

func (k Key) isSecret() bool { return k.APIVersion == "v1" && k.Kind == "Secret" }

// Object is one rendered object in canonical form.
type Object struct {
	Key Key
	// File is the path, relative to the set's directory, it was read from.
	File string
	// YAML is the canonical form: mapping keys sorted at every level, one
	// style per scalar, Secret values replaced by RedactedMarker. A
	// multi-line string is a literal block, one diff line per line, unless a
	// line ends in a space: YAML cannot say that in a block, so it is one
	// double-quoted line.
	YAML string
	// secretHashes holds the SHA-256 of each redacted Secret value.
	secretHashes map[secretField][sha256.Size]byte
}

type secretField struct{ field, key string }

// Set is every object of one render, by key.
type Set struct {
	// Dir is the directory it was loaded from.
	Dir string
	// Missing says the directory did not exist (LoadOptional only), e.g. the
	// base revision has no such stack; the set is empty.
	Missing bool
	Objects map[Key]Object
}

// Len is the number of objects.
func (s Set) Len() int { return len(s.Objects) }

// Keys are the objects' keys in report order (namespace, kind, name).
func (s Set) Keys() []Key {
	keys := make([]Key, 0, len(s.Objects))
	for k := range s.Objects {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	return keys
}

// MissingSet is the empty set of a render that does not exist (a stack the
// base revision does not have).
func MissingSet(dir string) Set { return Set{Dir: dir, Missing: true, Objects: map[Key]Object{}} }

// Load reads every *.yaml and *.yml file under dir (recursively), each
// holding one object or several YAML documents, and keys the objects by
// apiVersion/kind/namespace/name. A missing dir is an error; two documents
// with the same key are an error naming both files.
func Load(dir string) (Set, error) {
	info, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Set{}, fmt.Errorf("render directory %s does not exist: render the stack first (stackctl render <stack>), or use LoadOptional where a missing render means no objects", dir)
		}
		return Set{}, fmt.Errorf("render directory %s: %w", dir, err)
	}
	if !info.IsDir() {
		return Set{}, fmt.Errorf("render directory %s is not a directory", dir)
	}
	set := Set{Dir: dir, Objects: map[Key]Object{}}
	var files []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return Set{}, fmt.Errorf("render directory %s: %w", dir, err)
	}
	sort.Strings(files) // stable error messages for duplicates
	for _, path := range files {
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			rel = path
		}
		rel = filepath.ToSlash(rel)
		objs, err := loadFile(path, rel)
		if err != nil {
			return Set{}, err
		}
		for _, o := range objs {
			if prev, dup := set.Objects[o.Key]; dup {
				return Set{}, fmt.Errorf("render directory %s: %s is in both %s and %s: a render holds each object once; re-render into an empty directory", dir, o.Key, prev.File, o.File)
			}
			set.Objects[o.Key] = o
		}
	}
	return set, nil
}

// LoadOptional is Load, except that a missing dir is an empty set with
// Missing set (a stack the revision does not have).
func LoadOptional(dir string) (Set, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return MissingSet(dir), nil
	}
	return Load(dir)
}

func loadFile(path, rel string) ([]Object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var objs []Object
	for doc := 1; ; doc++ {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d is not valid YAML: %w", path, doc, err)
		}
		if v == nil {
			continue // an empty document, e.g. a trailing "---"
		}
		o, err := newObject(v, rel)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, doc, err)
		}
		objs = append(objs, o)
	}
	return objs, nil
}

func newObject(v any, rel string) (Object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Object{}, fmt.Errorf("not a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got %T", v)
	}
	meta, _ := m["metadata"].(map[string]any)
	k := Key{
		APIVersion: str(m["apiVersion"]),
		Kind:       str(m["kind"]),
		Namespace:  str(meta["namespace"]),
		Name:       str(meta["name"]),
	}
	if k.APIVersion == "" || k.Kind == "" || k.Name == "" {
		return Object{}, fmt.Errorf("not a Kubernetes object: apiVersion %q, kind %q and metadata.name %q must all be set", k.APIVersion, k.Kind, k.Name)
	}
	o := Object{Key: k, File: rel}
	if k.isSecret() {
		o.secretHashes = redactSecret(m, meta)
	}
	b, err := canonicalYAML(m)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %w", k, err)
	}
	o.YAML = b
	return o, nil
}

// redactSecret replaces the Secret's values in place and returns their hashes.
func redactSecret(m, meta map[string]any) map[secretField][sha256.Size]byte {
	hashes := map[secretField][sha256.Size]byte{}
	for _, field := range []string{"data", "stringData"} {
		v, ok := m[field]
		if !ok {
			continue
		}
		values, ok := v.(map[string]any)
		if !ok {
			// Not a mapping (malformed, or null): hide it whole.
			hashes[secretField{field, ""}] = sha256.Sum256([]byte(fmt.Sprint(v)))
			m[field] = RedactedMarker
			continue
		}
		for key, val := range values {
			hashes[secretField{field, key}] = sha256.Sum256([]byte(fmt.Sprint(val)))
			values[key] = RedactedMarker
		}
	}
	if ann, ok := meta["annotations"].(map[string]any); ok {
		if v, ok := ann[lastApplied]; ok {
			hashes[secretField{"metadata.annotations", lastApplied}] = sha256.Sum256([]byte(fmt.Sprint(v)))
			ann[lastApplied] = RedactedMarker
		}
	}
	return hashes
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// canonicalYAML encodes with yaml.v3, which sorts mapping keys and picks one
// style per scalar (multi-line strings as literal blocks, so a changed line
// of an embedded config file is one changed diff line).
func canonicalYAML(v any) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode canonical YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("encode canonical YAML: %w", err)
	}
	return buf.String(), nil
}
