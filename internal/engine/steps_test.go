package engine

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
)

// The events of a real preview (test/engine's
// TestAPreviewFlagsTheReplacementOfANamespaceAndItsStatefulSet writes them
// with -update): the local stack after its tracing namespace was renamed,
// trimmed to what the collector reads.
const recorded = "testdata/preview-namespace-renamed.jsonl"

func readEvents(t *testing.T, path string) ([]apitype.EngineEvent, map[apitype.OpType]int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var evs []apitype.EngineEvent
	var summary map[apitype.OpType]int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var e apitype.EngineEvent
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
		if e.SummaryEvent != nil {
			summary = e.SummaryEvent.ResourceChanges
		}
		evs = append(evs, e)
	}
	require.NoError(t, sc.Err())
	return evs, summary
}

func TestTheStepsOfARecordedPreview(t *testing.T) {
	evs, summary := readEvents(t, recorded)
	rec := newStepRecorder()
	for _, e := range evs {
		rec.add(e)
	}
	steps := rec.list()
	byName := map[string]Step{}
	counts := map[string]int{}
	for _, s := range steps {
		byName[s.Type+"::"+s.Name] = s
		counts[s.Op]++
	}

	t.Run("every operation the engine counts is one step", func(t *testing.T) {
		for op, n := range summary {
			assert.Equal(t, n, counts[string(op)], "%s: the summary says %d", op, n)
		}
	})
	t.Run("the renamed namespace is one replace step, flagged, with the key that forces it", func(t *testing.T) {
		ns := byName["kubernetes:core/v1:Namespace::platform-traces-namespace"]
		assert.Equal(t, "replace", ns.Op)
		assert.Equal(t, []string{"metadata.name"}, ns.ReplaceKeys)
		assert.Contains(t, ns.Warning, `replaces (because of metadata.name) kubernetes:core/v1:Namespace "platform-traces-namespace"`)
		assert.Contains(t, ns.Warning, "deletes every object and volume claim in it")
	})
	t.Run("the other namespaces are unchanged and not flagged", func(t *testing.T) {
		for _, name := range []string{"platform-metrics-namespace", "platform-logs-namespace"} {
			s := byName["kubernetes:core/v1:Namespace::"+name]
			assert.Equal(t, "same", s.Op, name)
			assert.Empty(t, s.Warning, name)
			assert.NotEmpty(t, s.Holds, "a namespace always says what it holds")
		}
	})
	t.Run("every replaced or deleted data-holding resource is flagged, and nothing else", func(t *testing.T) {
		flagged := 0
		for _, s := range steps {
			_, holds := DataHolding(s.Type)
			want := holds && (s.Op == "replace" || s.Op == "delete")
			assert.Equal(t, want, s.Warning != "", "%s %s %s", s.Op, s.Type, s.Name)
			if s.Warning != "" {
				flagged++
			}
		}
		assert.GreaterOrEqual(t, flagged, 2, "the namespace and the Cassandra StatefulSet at least")
	})
	t.Run("steps are ordered by URN and carry no property value", func(t *testing.T) {
		for i := 1; i < len(steps); i++ {
			assert.Less(t, steps[i-1].URN, steps[i].URN)
		}
		b, err := json.Marshal(steps)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "tracing-v2", "the new namespace name is a value, not a property name")
	})
}

// event builds one resource event for the cases below.
func event(pre bool, op apitype.OpType, typ, name string, old *apitype.StepEventStateMetadata, keys ...string) apitype.EngineEvent {
	m := apitype.StepEventMetadata{Op: op, URN: "urn:pulumi:prod::observability::" + typ + "::" + name, Type: typ, Keys: keys, Old: old}
	if pre {
		return apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: m, Planning: true}}
	}
	return apitype.EngineEvent{ResOutputsEvent: &apitype.ResOutputsEvent{Metadata: m, Planning: true}}
}

func TestStepsFromEvents(t *testing.T) {
	const bucket = "aws:s3/bucketV2:BucketV2"
	pulumitest.Cases(t, map[string]struct {
		events      []apitype.EngineEvent
		wantOp      string
		wantWarning string // substring; "" means no warning
	}{
		"a replacement's three steps are one replace": {
			events: []apitype.EngineEvent{
				event(true, apitype.OpReplace, bucket, "metrics", nil, "bucket"),
				event(true, apitype.OpCreateReplacement, bucket, "metrics", nil, "bucket"),
				event(true, apitype.OpDeleteReplaced, bucket, "metrics", nil),
				event(false, apitype.OpReplace, bucket, "metrics", nil, "bucket"),
			},
			wantOp: "replace", wantWarning: `replaces (because of bucket) aws:s3/bucketV2:BucketV2 "metrics", which holds an S3 bucket`,
		},
		"a deleted log group is flagged": {
			events:      []apitype.EngineEvent{event(true, apitype.OpDelete, "aws:cloudwatch/logGroup:LogGroup", "audit", &apitype.StepEventStateMetadata{})},
			wantOp:      "delete",
			wantWarning: "every log event in it",
		},
		"a protected bucket's deletion says that up stops there": {
			events:      []apitype.EngineEvent{event(true, apitype.OpDelete, bucket, "snapshots", &apitype.StepEventStateMetadata{Protect: true})},
			wantOp:      "delete",
			wantWarning: "it is protected, so `up` stops here",
		},
		"a retained claim's deletion says the volume stays, unmanaged": {
			events:      []apitype.EngineEvent{event(true, apitype.OpDelete, "kubernetes:core/v1:PersistentVolumeClaim", "thanos-bucket", &apitype.StepEventStateMetadata{RetainOnDelete: true})},
			wantOp:      "delete",
			wantWarning: "retainOnDelete keeps the old one in place",
		},
		"a bucket setting is a child of the bucket and flagged when replaced": {
			events:      []apitype.EngineEvent{event(true, apitype.OpReplace, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "metrics-lifecycle", nil, "bucket")},
			wantOp:      "replace",
			wantWarning: "a setting of an S3 bucket",
		},
		"an updated StatefulSet is not flagged: only deletions and replacements lose data": {
			events: []apitype.EngineEvent{event(true, apitype.OpUpdate, "kubernetes:apps/v1:StatefulSet", "prometheus", nil)},
			wantOp: "update",
		},
		"a replaced ConfigMap holds no data and is not flagged": {
			events: []apitype.EngineEvent{event(true, apitype.OpReplace, "kubernetes:core/v1:ConfigMap", "rules", nil, "metadata")},
			wantOp: "replace",
		},
		"a refresh step is its result, not refresh": {
			events: []apitype.EngineEvent{
				event(true, apitype.OpRefresh, bucket, "metrics", nil),
				event(false, apitype.OpUpdate, bucket, "metrics", nil),
			},
			wantOp: "update",
		},
		"a refresh that finds a resource gone is a delete, and flagged": {
			events: []apitype.EngineEvent{
				event(true, apitype.OpRefresh, bucket, "metrics", &apitype.StepEventStateMetadata{}),
				event(false, apitype.OpDelete, bucket, "metrics", &apitype.StepEventStateMetadata{}),
			},
			wantOp: "delete", wantWarning: "deletes aws:s3/bucketV2:BucketV2",
		},
	}, func(t *testing.T, tc struct {
		events      []apitype.EngineEvent
		wantOp      string
		wantWarning string
	}) {
		rec := newStepRecorder()
		rec.add(apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{Message: "ignored"}})
		for _, e := range tc.events {
			rec.add(e)
		}
		steps := rec.list()
		require.Len(t, steps, 1)
		assert.Equal(t, tc.wantOp, steps[0].Op)
		if tc.wantWarning == "" {
			assert.Empty(t, steps[0].Warning)
		} else {
			assert.Contains(t, steps[0].Warning, tc.wantWarning)
		}
	})
}

func TestADriftCheckNamesWhatChanged(t *testing.T) {
	p := Plan{Changes: Changes{"update": 1, "same": 40}, Steps: []Step{
		{Op: "same", Type: "kubernetes:core/v1:ConfigMap", Name: "rules"},
		{Op: "update", Type: "kubernetes:apps/v1:Deployment", Name: "grafana"},
	}}
	err := unexpected("preview", "prod", p)
	require.ErrorIs(t, err, ErrUnexpectedChanges)
	assert.Contains(t, err.Error(), "update kubernetes:apps/v1:Deployment grafana")
	assert.Contains(t, err.Error(), "run `stackctl up prod`")
	assert.NotContains(t, err.Error(), "rules")
	assert.NoError(t, unexpected("preview", "prod", Plan{Changes: Changes{"same": 41}}))
	assert.True(t, strings.HasPrefix(err.Error(), "preview prod: "))
}
