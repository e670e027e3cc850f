package elasticsearch

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/elastic/go-elasticsearch/v8/typedapi/snapshot/restore"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
)

var s3Restore = RestoreSettings{Type: SnapshotsS3, S3Bucket: "klearkarma-prod-log-snapshots-20261201", S3BasePath: "audit"}

// roundTrip decodes a rendered body with go-elasticsearch's typed decoder
// and renders it again: a key the typed API does not know is dropped on
// the way, so the two renderings differ.
func roundTrip[T any](t *testing.T, body string, decode func(string) (T, error)) string {
	t.Helper()
	v, err := decode(body)
	require.NoError(t, err)
	again, err := canonicalJSON(v)
	require.NoError(t, err)
	return again
}

func TestTheRestoreBodiesAreWhatGoElasticsearchsTypedAPIReads(t *testing.T) {
	reqs, err := RestoreRequests(s3Restore)
	require.NoError(t, err)
	require.Len(t, reqs, 2)

	repo, err := canonicalJSON(reqs[0].Body)
	require.NoError(t, err)
	assert.JSONEq(t, repo, roundTrip(t, repo, func(s string) (types.S3Repository, error) {
		var r types.S3Repository
		return r, json.Unmarshal([]byte(s), &r)
	}), "the repository body is a typed S3 repository, every key known")

	body, err := canonicalJSON(reqs[1].Body)
	require.NoError(t, err)
	assert.JSONEq(t, body, roundTrip(t, body, func(s string) (*restore.Request, error) { return restore.NewRequest().FromJSON(s) }),
		"the restore body is a typed restore request, every key known")
	assert.JSONEq(t, `{"feature_states":["none"],"ignore_unavailable":true,"include_aliases":false,"include_global_state":false,"indices":["logs-klearkarma.audit-*"],"partial":false}`, body)
}

func TestTheRestoreReadsWhereTheSetupJobWritesAndNeverWrites(t *testing.T) {
	for name, tc := range map[string]struct {
		setup   bodySettings
		restore RestoreSettings
	}{
		"S3: the bucket and base path of the snapshot policy's repository": {
			setup:   bodySettings{Snapshots: SnapshotsS3, S3Bucket: s3Restore.S3Bucket, S3BasePath: "audit"},
			restore: s3Restore,
		},
		"filesystem: the nodes' shared snapshot volume": {
			setup:   bodySettings{Snapshots: SnapshotsFilesystem, FilesystemPath: snapshotsPath},
			restore: RestoreSettings{Type: SnapshotsFilesystem},
		},
	} {
		t.Run(name, func(t *testing.T) {
			var written map[string]any
			require.NoError(t, json.Unmarshal(mustJSON(t, repositoryBody(tc.setup)), &written))
			var read map[string]any
			require.NoError(t, json.Unmarshal(mustJSON(t, RestoreRepositoryBody(tc.restore)), &read))
			settings := read["settings"].(map[string]any)
			assert.Equal(t, true, settings["readonly"])
			delete(settings, "readonly")
			assert.Equal(t, written, read, "the same location and settings as the setup Job's repository, read-only")
		})
	}
}

func TestRestoreSettingsThatCannotWorkAreRefused(t *testing.T) {
	pulumitest.Cases(t, map[string]struct {
		s    RestoreSettings
		want string
	}{
		"an S3 restore without the bucket":        {s: RestoreSettings{Type: SnapshotsS3}, want: "pulumi stack output logSnapshotsBucket"},
		"a stack without snapshots":               {s: RestoreSettings{Type: SnapshotsNone}, want: `use "s3" or "filesystem"`},
		"a snapshot name that could break a path": {s: RestoreSettings{Type: SnapshotsFilesystem, Snapshot: "x/../_all"}, want: "_cat/snapshots"},
	}, func(t *testing.T, tc struct {
		s    RestoreSettings
		want string
	}) {
		_, err := RestoreScript(tc.s)
		require.ErrorContains(t, err, tc.want)
	})
}

func TestTheRestoreScript(t *testing.T) {
	script, err := RestoreScript(s3Restore)
	require.NoError(t, err)
	pulumitest.Golden(t, "testdata/restore-s3.sh", []byte(script))
}

// fakeCluster answers the restore script's calls as Elasticsearch would
// and records them.
type fakeCluster struct {
	mu    sync.Mutex
	calls []string
	body  map[string]string
}

func (f *fakeCluster) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	call := r.Method + " " + r.URL.RequestURI()
	f.calls = append(f.calls, call)
	f.body[call] = string(b)
	f.mu.Unlock()
	if u, p, ok := r.BasicAuth(); !ok || u != "elastic" || p != "pw" {
		http.Error(w, `{"error":"unauthenticated"}`, http.StatusUnauthorized)
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/_cat/snapshots/"):
		// Sorted by end time, as asked: the newest successful one is not the last line.
		io.WriteString(w, "klearkarma-audit-2026.11.29-a SUCCESS\nklearkarma-audit-2026.11.30-b SUCCESS\nklearkarma-audit-2026.12.01-c FAILED\n")
	case strings.HasPrefix(r.URL.Path, "/_cat/indices/"):
		io.WriteString(w, "index docs.count store.size\n.ds-logs-klearkarma.audit-default-2026.11.01-000001 42 1mb\n")
	default:
		io.WriteString(w, `{"acknowledged":true}`)
	}
}

// The script itself runs here, with bash and curl, against a fake
// cluster over TLS: what is rehearsed is the calls and their bodies, not
// Elasticsearch's restore.
func TestTheRestoreScriptRegistersReadOnlyThenRestoresTheNewestSuccessfulSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs bash and curl against a fake cluster; run without -short")
	}
	for _, tool := range []string{"bash", "curl", "awk"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the script runs in the Elasticsearch image, which has it", tool)
		}
	}
	fake := &fakeCluster{body: map[string]string{}}
	srv := httptest.NewTLSServer(fake)
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.crt")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	script, err := RestoreScript(s3Restore)
	require.NoError(t, err)
	cmd := exec.Command("bash", "-s")
	cmd.Stdin = strings.NewReader(script)
	cmd.Env = append(os.Environ(), "ELASTIC_PASSWORD=pw", "ES_URL="+srv.URL, "CA="+ca)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), out.String())

	reqs, err := RestoreRequests(s3Restore)
	require.NoError(t, err)
	restorePath := "/_snapshot/klearkarma-audit-snapshots-readonly/klearkarma-audit-2026.11.30-b/_restore?wait_for_completion=true"
	assert.Equal(t, []string{
		"PUT /_snapshot/klearkarma-audit-snapshots-readonly",
		"GET /_cat/snapshots/klearkarma-audit-snapshots-readonly?h=id,status&s=end_epoch",
		"POST " + restorePath,
		"GET /_cat/indices/logs-klearkarma.audit-*?v&h=index,docs.count,store.size&s=index",
	}, fake.calls)
	assert.Equal(t, string(mustJSON(t, reqs[0].Body)), compact(t, fake.body["PUT /_snapshot/klearkarma-audit-snapshots-readonly"]))
	assert.Equal(t, string(mustJSON(t, reqs[1].Body)), compact(t, fake.body["POST "+restorePath]))
	assert.Contains(t, out.String(), "restoring klearkarma-audit-2026.11.30-b")
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	s, err := canonicalJSON(v)
	require.NoError(t, err)
	return []byte(compact(t, s))
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, []byte(s)), s)
	return b.String()
}
