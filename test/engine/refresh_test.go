package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/engine"
)

// bucketProgram is a program of two AWS resources, for the refresh path:
// the local stack cannot be refreshed (its Kubernetes objects are files,
// and the kubernetes provider reads objects back from a cluster), and the
// aws stand-in plugin can (it reads back what the state holds).
type bucketProgram struct{}

func (bucketProgram) Project() string { return "refreshcheck" }

func (bucketProgram) Check(string, map[string]string, map[string]bool, []string) error { return nil }

func (bucketProgram) Run([]string, string, string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if _, err := s3.NewBucketV2(ctx, "metrics", &s3.BucketV2Args{}); err != nil {
			return err
		}
		_, err := cloudwatch.NewLogGroup(ctx, "audit", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(2557)})
		return err
	}
}

// The nightly drift check's refresh, through the real engine: right after
// up, `refresh --preview-only --expect-no-changes` reads every resource
// back, finds nothing, and lists each one as unchanged; a real refresh
// then writes the same state.
func TestARefreshRightAfterUpFindsNoDrift(t *testing.T) {
	root, standIns := tools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tmp := t.TempDir()
	project := filepath.Join(tmp, "project")
	require.NoError(t, os.MkdirAll(project, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte("name: refreshcheck\nruntime: go\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.check.yaml"), []byte("config:\n  aws:region: us-east-1\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "state"), 0o755))
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "engine-test-passphrase")
	var log bytes.Buffer
	defer func() {
		if t.Failed() {
			t.Logf("engine output:\n%s", log.String())
		}
	}()
	s, err := engine.Open(ctx, engine.Options{
		Program: bucketProgram{}, ProjectDir: project, Stack: "check", ToolsRoot: root, StandInBin: standIns,
		BackendURL: "file://" + filepath.Join(tmp, "state"), PulumiHome: filepath.Join(tmp, "home"), Progress: &log,
	})
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Up(ctx)
	require.NoError(t, err)

	plan, err := s.Refresh(ctx, engine.RefreshOptions{PreviewOnly: true, ExpectNoChanges: true})
	require.NoError(t, err)
	assert.Zero(t, plan.Changes.Total(), "%v", plan.Changes)
	ops := map[string]string{}
	for _, st := range plan.Steps {
		ops[st.Type] = st.Op
	}
	assert.Equal(t, "same", ops["aws:s3/bucketV2:BucketV2"], "steps: %+v", plan.Steps)
	assert.Equal(t, "same", ops["aws:cloudwatch/logGroup:LogGroup"])
	assert.Empty(t, plan.Warnings())

	written, err := s.Refresh(ctx, engine.RefreshOptions{ExpectNoChanges: true})
	require.NoError(t, err, "a real refresh agrees")
	assert.Zero(t, written.Changes.Total(), "%v", written.Changes)

	// up --expect-no-changes on a stack that is up to date: the check
	// passes and the up changes nothing.
	up, err := s.UpWith(ctx, engine.UpOptions{ExpectNoChanges: true})
	require.NoError(t, err)
	assert.Zero(t, up.Changes.Total(), "%v", up.Changes)
	assert.NotEmpty(t, up.Steps, "the preview's steps come with it")
}
