package elasticsearch_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/pulumitest"
)

type ilmBody struct {
	Policy types.IlmPolicy `json:"policy"`
}

// decodeBody decodes one setup file into the go-elasticsearch type of its
// request. Every body file must have one.
func decodeBody(t *testing.T, file, body string) any {
	t.Helper()
	var v any
	switch {
	case strings.Contains(file, "-pipeline-"):
		v = &types.IngestPipeline{}
	case strings.Contains(file, "-snapshot-repository"):
		if strings.Contains(body, `"type": "s3"`) {
			v = &types.S3Repository{}
		} else {
			v = &types.SharedFileSystemRepository{}
		}
	case strings.Contains(file, "-slm-"):
		v = &types.SLMPolicy{}
	case strings.Contains(file, "-ilm-"):
		v = &ilmBody{}
	case strings.Contains(file, "-template-"):
		v = &types.IndexTemplate{}
	case strings.Contains(file, "-role-"):
		v = &types.RoleDescriptor{}
	default:
		t.Fatalf("no typed request for %s", file)
	}
	require.NoError(t, json.Unmarshal([]byte(body), v), file)
	return v
}

func bodies(t *testing.T, args elasticsearch.Args) map[string]string {
	t.Helper()
	rec, err := run(t, args)
	require.NoError(t, err)
	files := setupFiles(t, rec)
	delete(files, "setup.sh")
	return files
}

// Each body decodes into its typed request and encodes back to the same
// JSON: the typed API knows every field we send, so Elasticsearch's own
// request specification accepts it.
func TestRetentionBodiesRoundTripThroughTheTypedAPI(t *testing.T) {
	for stack, args := range map[string]elasticsearch.Args{"prod": prodArgs(), "local": localArgs()} {
		for file, body := range bodies(t, args) {
			t.Run(stack+"/"+file, func(t *testing.T) {
				again, err := json.Marshal(decodeBody(t, file, body))
				require.NoError(t, err)
				assert.JSONEq(t, body, string(again))
			})
		}
	}
}

func TestRetentionBodiesCarryTheSeedsRetention(t *testing.T) {
	files := bodies(t, prodArgs())
	get := func(file string) any { return decodeBody(t, file, files[file]) }

	app := get("30-ilm-app.json").(*ilmBody).Policy.Phases
	assert.Equal(t, "90d", app.Delete.MinAge, "application logs are deleted 90 days after rollover")
	assert.NotNil(t, app.Delete.Actions.Delete)
	assert.Equal(t, "1d", app.Hot.Actions.Rollover.MaxAge)
	assert.Equal(t, "50gb", app.Hot.Actions.Rollover.MaxPrimaryShardSize)
	assert.Nil(t, app.Warm)

	audit := get("31-ilm-audit.json").(*ilmBody).Policy.Phases
	assert.Equal(t, "2557d", audit.Delete.MinAge, "audit logs are kept 7 years")
	assert.Equal(t, elasticsearch.AuditSnapshotPolicy, audit.Delete.Actions.WaitForSnapshot.Policy, "never deleted before a snapshot holds them")
	assert.Equal(t, "1d", audit.Hot.Actions.Rollover.MaxAge)
	assert.Equal(t, "30d", audit.Warm.MinAge)
	assert.Equal(t, 1, audit.Warm.Actions.Forcemerge.MaxNumSegments)
	assert.NotNil(t, audit.Warm.Actions.Readonly)

	slm := get("21-slm-audit.json").(*types.SLMPolicy)
	assert.Equal(t, "2557d", slm.Retention.ExpireAfter, "snapshots expire with the audit retention")
	assert.Equal(t, elasticsearch.SnapshotRepository, slm.Repository)
	assert.Equal(t, []string{conventions.AuditIndexPattern}, slm.Config.Indices)
	assert.Equal(t, "0 30 1 * * ?", slm.Schedule, "nightly")
	assert.GreaterOrEqual(t, slm.Retention.MaxCount, 2557, "max_count never deletes before expire_after")
	assert.Equal(t, false, *slm.Config.IncludeGlobalState)

	repo := get("20-snapshot-repository.json").(*types.S3Repository)
	assert.Equal(t, snapshotBucket, repo.Settings.Bucket)
	assert.Equal(t, "elasticsearch", *repo.Settings.BasePath)
	assert.Equal(t, true, *repo.Settings.ServerSideEncryption)

	for file, want := range map[string]struct{ pattern, policy, stream string }{
		"40-template-app.json":   {conventions.ApplicationIndexPattern, conventions.ApplicationILMPolicy, conventions.ApplicationDataStream},
		"41-template-audit.json": {conventions.AuditIndexPattern, conventions.AuditILMPolicy, conventions.AuditDataStream},
	} {
		tpl := get(file).(*types.IndexTemplate)
		assert.Equal(t, []string{want.pattern}, tpl.IndexPatterns, file)
		assert.True(t, strings.HasPrefix(want.stream, strings.TrimSuffix(want.pattern, "*")), "%s matches %s", want.stream, want.pattern)
		assert.NotNil(t, tpl.DataStream, file)
		assert.Greater(t, *tpl.Priority, int64(100), "%s wins over the built-in logs-*-* template", file)
		assert.Equal(t, want.policy, *tpl.Template.Settings.Index.Lifecycle.Name, file)
		assert.Equal(t, elasticsearch.TimestampPipeline, *tpl.Template.Settings.Index.FinalPipeline, file)
		assert.Contains(t, tpl.Template.Mappings.Properties, "@timestamp", file)
	}
}

func TestRetentionBodiesFollowTheArgs(t *testing.T) {
	a := localArgs()
	a.Retention.Application, a.Retention.Audit = 14*day, 90*day
	a.Retention.RolloverMaxAge, a.Retention.AuditWarmAfter = 12*time.Hour, 7*day
	files := bodies(t, a)
	assert.Equal(t, "14d", decodeBody(t, "30-ilm-app.json", files["30-ilm-app.json"]).(*ilmBody).Policy.Phases.Delete.MinAge)
	audit := decodeBody(t, "31-ilm-audit.json", files["31-ilm-audit.json"]).(*ilmBody).Policy.Phases
	assert.Equal(t, "90d", audit.Delete.MinAge)
	assert.Equal(t, "7d", audit.Warm.MinAge)
	assert.Equal(t, "12h", audit.Hot.Actions.Rollover.MaxAge)
	slm := decodeBody(t, "21-slm-audit.json", files["21-slm-audit.json"]).(*types.SLMPolicy)
	assert.Equal(t, "90d", slm.Retention.ExpireAfter, "snapshots expire with the audit retention by default")
}

// The prod bodies are kept under testdata/ so a reviewer reads exactly what
// the Job sends; run `go test ./components/elasticsearch -update` after an
// intended change.
func TestRetentionBodiesMatchTheGoldenFiles(t *testing.T) {
	files := bodies(t, prodArgs())
	dir := filepath.Join("testdata", "prod")
	if pulumitest.Updating() {
		require.NoError(t, os.RemoveAll(dir))
		require.NoError(t, os.MkdirAll(dir, 0o755))
		for file, body := range files {
			require.NoError(t, os.WriteFile(filepath.Join(dir, file), []byte(body), 0o644))
		}
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var golden []string
	for _, e := range entries {
		golden = append(golden, e.Name())
		want, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		assert.Equal(t, string(want), files[e.Name()], "%s differs from its golden file; run with -update if intended", e.Name())
	}
	var rendered []string
	for file := range files {
		rendered = append(rendered, file)
	}
	sort.Strings(rendered)
	assert.Equal(t, rendered, golden)
}
