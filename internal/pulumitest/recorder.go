// Package pulumitest is the one recording mock every unit test uses: it
// stores each registered resource's inputs by "type::name" and echoes them
// as outputs, so tests assert after pulumi.RunErr returns.
package pulumitest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Recorder implements pulumi.MockResourceMonitor.
type Recorder struct {
	mu        sync.Mutex
	Resources map[string]resource.PropertyMap
	Invokes   []string
	// rpcs are the registrations as the SDK sent them (provider reference,
	// dependencies, version, plugin URL), by "type::name".
	rpcs map[string]*pulumirpc.RegisterResourceRequest
	// invokeProviders are the provider references of invokes, by token.
	invokeProviders map[string]string
	outputs         map[string]any
	// pending closes when a captured output has resolved: an apply on an
	// output that depends on no resource may still be running when
	// pulumi.RunErr returns.
	pending map[string]chan struct{}
}

// New returns an empty recorder.
func New() *Recorder {
	return &Recorder{
		Resources: map[string]resource.PropertyMap{}, rpcs: map[string]*pulumirpc.RegisterResourceRequest{},
		invokeProviders: map[string]string{}, outputs: map[string]any{}, pending: map[string]chan struct{}{},
	}
}

// NewResource records the inputs and echoes them.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := args.TypeToken + "::" + args.Name
	if _, dup := r.Resources[key]; dup {
		return "", nil, fmt.Errorf("resource %s registered twice", key)
	}
	r.Resources[key] = args.Inputs
	r.rpcs[key] = args.RegisterRPC
	outputs := args.Inputs.Copy()
	// The one computed output the program reads that no input carries: an
	// auto-named S3 bucket's name.
	if p, ok := args.Inputs["bucketPrefix"]; ok && p.IsString() && !args.Inputs.HasValue("bucket") {
		outputs["bucket"] = resource.NewStringProperty(p.StringValue() + "mock")
	}
	return args.Name + "-id", outputs, nil
}

// Call answers invokes by echoing their arguments.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Invokes = append(r.Invokes, args.Token)
	r.invokeProviders[args.Token] = args.Provider
	return args.Args, nil
}

// RPC returns a resource's registration request or fails the test.
func (r *Recorder) RPC(t testing.TB, key string) *pulumirpc.RegisterResourceRequest {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	rpc, ok := r.rpcs[key]
	if !ok {
		t.Fatalf("no registration of %s; registered: %v", key, r.keysLocked())
	}
	return rpc
}

// Provider is the provider reference ("urn::id") a resource or an invoke
// (by token) went through.
func (r *Recorder) Provider(key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rpc, ok := r.rpcs[key]; ok {
		return rpc.GetProvider()
	}
	return r.invokeProviders[key]
}

// Capture keeps an output's resolved value under name, for assertions
// after pulumi.RunErr returns (Output waits for it).
func (r *Recorder) Capture(name string, o pulumi.Output) {
	done := make(chan struct{})
	r.mu.Lock()
	r.pending[name] = done
	r.mu.Unlock()
	o.ApplyT(func(v any) any {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.outputs[name] = v
		close(done)
		return v
	})
}

// Output returns a captured output's value, waiting for it to resolve (up
// to 10 s), or fails the test.
func (r *Recorder) Output(t testing.TB, name string) any {
	t.Helper()
	r.mu.Lock()
	done, ok := r.pending[name]
	r.mu.Unlock()
	if !ok {
		t.Fatalf("output %q was not captured", name)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("output %q did not resolve", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outputs[name]
}

// Types counts registered resources per type token: assertions on counts
// fail when a resource is renamed, where "has no resource named x" passes.
func (r *Recorder) Types() map[string]int {
	out := map[string]int{}
	for _, k := range r.Keys() {
		typ, _, _ := strings.Cut(k, "::")
		out[typ]++
	}
	return out
}

// Get returns a resource's inputs or fails the test.
func (r *Recorder) Get(t testing.TB, key string) resource.PropertyMap {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	props, ok := r.Resources[key]
	if !ok {
		t.Fatalf("no resource %s; registered: %v", key, r.keysLocked())
	}
	return props
}

// Has reports whether a resource was registered.
func (r *Recorder) Has(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.Resources[key]
	return ok
}

// Keys lists the registered "type::name" keys, sorted.
func (r *Recorder) Keys() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.keysLocked()
}

func (r *Recorder) keysLocked() []string {
	keys := make([]string, 0, len(r.Resources))
	for k := range r.Resources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CountType counts resources of one type token.
func (r *Recorder) CountType(token string) int { return r.Types()[token] }

// WithConfig sets the program's config for mocks (the SDK reads
// PULUMI_CONFIG); values are raw strings, objects as JSON. Restored at test end.
func WithConfig(t testing.TB, values map[string]string, secretKeys []string) {
	t.Helper()
	b, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(pulumi.EnvConfig, string(b))
	s, err := json.Marshal(secretKeys)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(pulumi.EnvConfigSecretKeys, string(s))
}

// Plain returns the inputs as plain Go values with secret markers removed,
// for assertions on the values themselves (assert secrecy separately).
func Plain(m resource.PropertyMap) map[string]any {
	return resource.NewObjectProperty(m).MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		if v.IsSecret() {
			return resource.NewObjectProperty(resource.PropertyMap{"v": v.SecretValue().Element}).MapRepl(nil, nil).(map[string]any)["v"], true
		}
		return nil, false
	}).(map[string]any)
}

// Run evaluates program under the recording mock and returns the recorder
// with what it registered, for assertions after the run.
func Run(program pulumi.RunFunc) (*Recorder, error) {
	rec := New()
	err := pulumi.RunErr(program, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

// Object returns a resource's inputs as plain Go values, or fails the test.
func (r *Recorder) Object(t testing.TB, key string) map[string]any {
	t.Helper()
	return r.Get(t, key).Mappable()
}

// Dig walks nested objects by key ("spec", "template", ...), failing the
// test where a step is not an object.
func Dig(t testing.TB, m any, path ...string) any {
	t.Helper()
	cur := m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object at %q", cur, p)
		}
		cur = mm[p]
	}
	return cur
}
