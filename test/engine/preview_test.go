package engine_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/engine"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
)

// recordedEvents is where -update writes the preview's events, trimmed of
// every property value, for internal/engine's unit test of the step
// collector: that test then reads what the real engine emits.
const recordedEvents = "../../internal/engine/testdata/preview-namespace-renamed.jsonl"

// A change that renames the tracing namespace replaces the Namespace and
// everything in it (the Cassandra StatefulSet and its volumes among them):
// the preview must flag those replacements. The local stack is used (it
// renders offline and needs no secret); its data policy protects nothing,
// so the engine does plan the replacements.
func TestAPreviewFlagsTheReplacementOfANamespaceAndItsStatefulSet(t *testing.T) {
	root, standIns := tools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	tmp := t.TempDir()
	var log bytes.Buffer
	defer func() {
		if t.Failed() {
			t.Logf("engine output:\n%s", log.String())
		}
	}()
	work := filepath.Join(tmp, "work")
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "state"), 0o755))
	require.NoError(t, os.MkdirAll(work, 0o755))
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "engine-test-passphrase")
	opts := engine.Options{
		Program: program.Definition, ProjectDir: projectDir, Stack: "local", ToolsRoot: root, StandInBin: standIns,
		BackendURL: "file://" + filepath.Join(tmp, "state"), PulumiHome: filepath.Join(tmp, "home"),
		Isolated: true, WorkDir: work, Progress: &log,
	}
	s, err := engine.Open(ctx, opts)
	require.NoError(t, err)
	_, err = s.Up(ctx)
	require.NoError(t, err)

	// Right after up, a preview finds nothing: the drift check CI runs
	// after every deploy.
	clean, err := s.PreviewPlan(ctx, engine.PreviewOptions{ExpectNoChanges: true})
	require.NoError(t, err, "a preview right after up changes nothing")
	assert.Empty(t, clean.Changed())
	assert.NotEmpty(t, clean.Steps, "every resource is listed, as same")
	require.NoError(t, s.Close())

	// The change: rename the tracing namespace in the stack file the
	// session works from (the copy keeps the stack's secrets salt).
	stackFile := filepath.Join(work, "Pulumi.local.yaml")
	renameTracingNamespace(t, stackFile, "tracing-v2")
	changed := opts
	changed.ProjectDir, changed.Isolated, changed.WorkDir = work, false, ""
	s2, err := engine.Open(ctx, changed)
	require.NoError(t, err)
	var events bytes.Buffer
	plan, err := s2.PreviewPlan(ctx, engine.PreviewOptions{EventLog: &events})
	require.NoError(t, err)
	steps := map[string]engine.Step{}
	for _, st := range plan.Steps {
		steps[st.Type+"::"+st.Name] = st
	}

	ns, ok := steps["kubernetes:core/v1:Namespace::platform-traces-namespace"]
	require.True(t, ok, "the tracing Namespace is a step; steps: %v", plan.Steps)
	assert.Equal(t, "replace", ns.Op)
	assert.Contains(t, ns.ReplaceKeys, "metadata.name", "the name change forces it")
	assert.Contains(t, ns.Warning, "deletes every object and volume claim in it")
	var flaggedStatefulSet bool
	for _, w := range plan.Warnings() {
		if w.Type == "kubernetes:apps/v1:StatefulSet" && w.Op == "replace" {
			flaggedStatefulSet = true
		}
	}
	assert.True(t, flaggedStatefulSet, "the Cassandra StatefulSet moves with its namespace and is flagged")
	assert.Equal(t, plan.Changes["replace"], countOp(plan.Steps, "replace"), "every replacement the engine counts is a step")
	_, err = s2.PreviewPlan(ctx, engine.PreviewOptions{ExpectNoChanges: true})
	require.ErrorIs(t, err, engine.ErrUnexpectedChanges, "a drift check fails on it")
	_, err = s2.UpWith(ctx, engine.UpOptions{ExpectNoChanges: true})
	require.ErrorIs(t, err, engine.ErrUnexpectedChanges, "up --expect-no-changes refuses")
	again, err := s2.PreviewPlan(ctx, engine.PreviewOptions{})
	require.NoError(t, err)
	assert.Equal(t, plan.Changes, again.Changes, "and applied nothing")

	if pulumitest.Updating() {
		writeTrimmedEvents(t, events.Bytes(), recordedEvents)
	}
}

func countOp(steps []engine.Step, op string) int {
	n := 0
	for _, s := range steps {
		if s.Op == op {
			n++
		}
	}
	return n
}

func renameTracingNamespace(t *testing.T, path, name string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var f map[string]any
	require.NoError(t, yaml.Unmarshal(b, &f))
	cfg, _ := f["config"].(map[string]any)
	require.NotNil(t, cfg, "%s has a config section", path)
	cfg["observability:namespaces"] = map[string]any{"monitoring": "monitoring", "logging": "logging", "tracing": name}
	out, err := yaml.Marshal(f)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
}

// writeTrimmedEvents keeps the resource events and the summary with what
// the step collector reads (op, URN, type, replacement keys, diffs, the
// protect and retainOnDelete options), dropping inputs and outputs: the
// fixture stays small and holds no property value.
func writeTrimmedEvents(t *testing.T, log []byte, path string) {
	t.Helper()
	trim := func(m *apitype.StepEventStateMetadata) *apitype.StepEventStateMetadata {
		if m == nil {
			return nil
		}
		return &apitype.StepEventStateMetadata{Type: m.Type, URN: m.URN, Custom: m.Custom, Delete: m.Delete,
			Protect: m.Protect, RetainOnDelete: m.RetainOnDelete}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		var e apitype.EngineEvent
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
		var kept apitype.EngineEvent
		switch {
		case e.ResourcePreEvent != nil:
			m := e.ResourcePreEvent.Metadata
			m.Old, m.New, m.DetailedDiff = trim(m.Old), trim(m.New), nil
			kept.ResourcePreEvent = &apitype.ResourcePreEvent{Metadata: m, Planning: e.ResourcePreEvent.Planning}
		case e.ResOutputsEvent != nil:
			m := e.ResOutputsEvent.Metadata
			m.Old, m.New, m.DetailedDiff = trim(m.Old), trim(m.New), nil
			kept.ResOutputsEvent = &apitype.ResOutputsEvent{Metadata: m, Planning: e.ResOutputsEvent.Planning}
		case e.SummaryEvent != nil:
			kept.SummaryEvent = &apitype.SummaryEvent{ResourceChanges: e.SummaryEvent.ResourceChanges, IsPreview: e.SummaryEvent.IsPreview}
		default:
			continue
		}
		kept.Sequence = e.Sequence
		require.NoError(t, enc.Encode(kept))
	}
	require.NoError(t, sc.Err())
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))
	t.Logf("wrote %s (%d bytes)", path, out.Len())
}
