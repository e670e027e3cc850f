package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Step is one resource operation of a preview or refresh, as the engine
// announced it: what a reviewer reads to see what `up` would do. It holds no
// property value (the engine's events carry inputs and outputs; only the
// names of changed properties are kept), so it is safe to print in a pull
// request.
type Step struct {
	// Op is the operation: create, update, replace, delete, same, read,
	// import, ... A replacement's parts (create-replacement,
	// delete-replaced) are folded into one "replace"; a refresh's step is
	// its result (same, update or delete).
	Op   string `json:"op"`
	Type string `json:"type"`
	// Name is the resource's logical name (the URN's last part).
	Name string `json:"name"`
	URN  string `json:"urn"`
	// ReplaceKeys are the properties whose change forces the replacement.
	ReplaceKeys []string `json:"replaceKeys,omitempty"`
	// Diffs are the properties that change.
	Diffs []string `json:"diffs,omitempty"`
	// Protected and RetainOnDelete are the resource's options in the state
	// (or in the program, for a new resource).
	Protected      bool `json:"protected,omitempty"`
	RetainOnDelete bool `json:"retainOnDelete,omitempty"`
	// Holds says what data the resource holds, for the types whose loss
	// loses data or access to it; "" for the rest.
	Holds string `json:"holds,omitempty"`
	// Warning is set when the step deletes or replaces a resource that holds
	// data: what happens to the data. Reviewers must read every one.
	Warning string `json:"warning,omitempty"`
}

// Plan is what a preview or a refresh found: the engine's counts by
// operation and every resource step.
type Plan struct {
	Changes Changes `json:"changes"`
	Steps   []Step  `json:"steps"`
}

// Warnings are the steps that delete or replace a resource holding data.
func (p Plan) Warnings() []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.Warning != "" {
			out = append(out, s)
		}
	}
	return out
}

// Changed are the steps that change something (not same or read).
func (p Plan) Changed() []Step {
	var out []Step
	for _, s := range p.Steps {
		if !noChange[s.Op] {
			out = append(out, s)
		}
	}
	return out
}

// noChange are the operations that leave the resource as it is.
var noChange = map[string]bool{string(apitype.OpSame): true, string(apitype.OpRead): true, string(apitype.OpRefresh): true}

// dataHolding names the resource types whose deletion or replacement loses
// data (or the only way to reach it), with what they hold. Types are
// matched exactly, then by the prefix before "*".
var dataHolding = []struct{ typ, holds string }{
	{"aws:s3/bucketV2:BucketV2", "an S3 bucket: every object in it (Thanos blocks, log snapshots)"},
	{"aws:s3/bucket:Bucket", "an S3 bucket: every object in it (Thanos blocks, log snapshots)"},
	{"aws:s3/*", "a setting of an S3 bucket (versioning, object lock, lifecycle, encryption, access): how the bucket keeps its objects"},
	{"aws:cloudwatch/logGroup:LogGroup", "a CloudWatch log group: every log event in it"},
	{"kubernetes:core/v1:Namespace", "a namespace: deleting it deletes every object and volume claim in it"},
	{"kubernetes:core/v1:PersistentVolumeClaim", "a volume claim: its volume is deleted with it under the Delete reclaim policy"},
	{"kubernetes:core/v1:PersistentVolume", "a volume"},
	{"kubernetes:apps/v1:StatefulSet", "a StatefulSet: its pods' volume claims; a replacement restarts every replica at once, and a renamed one starts on new, empty claims"},
	{"kubernetes:core/v1:Secret", "a Secret with credentials: every pod that reads it fails to start until it is back"},
}

// DataHolding says what a resource type holds when losing it loses data,
// and whether it is such a type.
func DataHolding(typ string) (string, bool) {
	for _, d := range dataHolding {
		if prefix, ok := strings.CutSuffix(d.typ, "*"); ok {
			if strings.HasPrefix(typ, prefix) {
				return d.holds, true
			}
		} else if typ == d.typ {
			return d.holds, true
		}
	}
	return "", false
}

// opRank orders what a URN's events can say: a URN in a replacement gets
// events for the replace and its parts; a refreshed one gets "refresh"
// before its result.
var opRank = map[string]int{
	"replace": 9, "delete": 8, "create": 7, "update": 6, "import": 5,
	"discard": 4, "read": 3, "same": 2, "refresh": 1,
}

func normaliseOp(op apitype.OpType) string {
	switch op {
	case apitype.OpCreateReplacement, apitype.OpDeleteReplaced, apitype.OpImportReplacement, apitype.OpDiscardReplaced:
		return string(apitype.OpReplace)
	case apitype.OpReadReplacement:
		return string(apitype.OpRead)
	}
	return string(op)
}

// stepRecorder collects the steps of one operation from its engine events.
// The engine sends them from one goroutine, the caller reads them after the
// operation returns; the lock makes that hand-over explicit.
type stepRecorder struct {
	mu    sync.Mutex
	steps map[string]*Step
}

func newStepRecorder() *stepRecorder { return &stepRecorder{steps: map[string]*Step{}} }

// add takes one engine event; events other than a resource's pre and
// outputs events are ignored.
func (r *stepRecorder) add(e apitype.EngineEvent) {
	var m *apitype.StepEventMetadata
	switch {
	case e.ResourcePreEvent != nil:
		m = &e.ResourcePreEvent.Metadata
	case e.ResOutputsEvent != nil:
		m = &e.ResOutputsEvent.Metadata
	default:
		return
	}
	// Steps the engine makes for itself, never shown or counted.
	if m.Op == apitype.OpRemovePendingReplace || m.URN == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.steps[m.URN]
	if !ok {
		s = &Step{URN: m.URN, Type: m.Type, Name: urnName(m.URN)}
		r.steps[m.URN] = s
	}
	if op := normaliseOp(m.Op); opRank[op] > opRank[s.Op] || s.Op == "" {
		s.Op = op
	}
	s.ReplaceKeys = union(s.ReplaceKeys, m.Keys)
	s.Diffs = union(s.Diffs, m.Diffs)
	// The state's options decide what a delete does; a new resource has
	// only the program's.
	state := m.Old
	if state == nil {
		state = m.New
	}
	if state != nil {
		s.Protected = s.Protected || state.Protect
		s.RetainOnDelete = s.RetainOnDelete || state.RetainOnDelete
	}
}

// list returns the steps ordered by URN, each with its data warning.
func (r *stepRecorder) list() []Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Step, 0, len(r.steps))
	for _, s := range r.steps {
		step := *s
		if step.Op == "replace" {
			// Replacement keys are also diffs; say them once.
			step.Diffs = minus(step.Diffs, step.ReplaceKeys)
		} else {
			step.ReplaceKeys = nil
		}
		step.Holds, _ = DataHolding(step.Type)
		step.Warning = warning(step)
		out = append(out, step)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// warning says what a delete or replacement of a data-holding resource does
// to its data, given the resource's protect and retainOnDelete options.
func warning(s Step) string {
	if s.Holds == "" || (s.Op != "delete" && s.Op != "replace") {
		return ""
	}
	verb := "deletes"
	if s.Op == "replace" {
		verb = "replaces"
		if len(s.ReplaceKeys) > 0 {
			verb += " (because of " + strings.Join(s.ReplaceKeys, ", ") + ")"
		}
	}
	w := fmt.Sprintf("%s %s %q, which holds %s", verb, s.Type, s.Name, s.Holds)
	switch {
	case s.Protected:
		w += "; it is protected, so `up` stops here until the protect option is lifted on purpose"
	case s.RetainOnDelete:
		w += "; retainOnDelete keeps the old one in place, no longer managed by this stack"
	}
	return w
}

// urnName is a URN's last part (urn:pulumi:stack::project::type::name).
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

func union(have, add []string) []string {
	for _, a := range add {
		found := false
		for _, h := range have {
			if h == a {
				found = true
				break
			}
		}
		if !found {
			have = append(have, a)
		}
	}
	sort.Strings(have)
	return have
}

func minus(from, remove []string) []string {
	var out []string
	for _, f := range from {
		drop := false
		for _, r := range remove {
			if f == r {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, f)
		}
	}
	return out
}
