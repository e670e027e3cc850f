package elasticsearch

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/elastic/go-elasticsearch/v8/typedapi/snapshot/restore"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types"

	"github.com/klearkarma/observability/internal/conventions"
)

// RestoreRepository is the name under which a rebuilt cluster, or a
// rehearsal next to the live one, reads the audit snapshots: registered
// read-only, so it never writes where a live cluster's SLM writes (two
// writers corrupt a repository), while the setup Job registers the
// writable SnapshotRepository for the new snapshots as usual.
const RestoreRepository = SnapshotRepository + "-readonly"

// RestoreSettings say where the snapshots are and which to restore.
type RestoreSettings struct {
	// Type is SnapshotsS3 or SnapshotsFilesystem.
	Type SnapshotRepositoryType
	// S3Bucket and S3BasePath locate an S3 repository (the stack output
	// logSnapshotsBucket, and the base path the program sets, "audit").
	S3Bucket, S3BasePath string
	// Snapshot names the snapshot to restore; empty restores the newest
	// successful one, found when the script runs.
	Snapshot string
}

// RestoreRequest is one call of the restore: the body is a go-elasticsearch
// typed value, rendered as canonical JSON.
type RestoreRequest struct {
	Method, Path string
	Body         any
}

// snapshotName is what Elasticsearch accepts as a snapshot name in a path
// (SLM names them klearkarma-audit-YYYY.MM.DD-<suffix>).
var snapshotName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (s RestoreSettings) check() error {
	var errs []error
	switch s.Type {
	case SnapshotsS3:
		if s.S3Bucket == "" {
			errs = append(errs, errors.New("s3Bucket is required: pass the stack output logSnapshotsBucket (pulumi stack output logSnapshotsBucket)"))
		}
	case SnapshotsFilesystem:
	default:
		errs = append(errs, fmt.Errorf("type %q has no snapshots to restore: use %q or %q", s.Type, SnapshotsS3, SnapshotsFilesystem))
	}
	if s.Snapshot != "" && !snapshotName.MatchString(s.Snapshot) {
		errs = append(errs, fmt.Errorf("snapshot %q is not a snapshot name: use one that GET _cat/snapshots/%s lists, or none for the newest", s.Snapshot, RestoreRepository))
	}
	return errors.Join(errs...)
}

// RestoreRepositoryBody registers the snapshot location read-only: the
// settings of the setup Job's repository (SnapshotRepository), plus
// readonly.
func RestoreRepositoryBody(s RestoreSettings) any {
	if s.Type == SnapshotsS3 {
		settings := types.S3RepositorySettings{Bucket: s.S3Bucket, ServerSideEncryption: ptr(true), Compress: ptr(true), Readonly: ptr(true)}
		if s.S3BasePath != "" {
			settings.BasePath = ptr(s.S3BasePath)
		}
		return types.S3Repository{Type: "s3", Settings: settings}
	}
	return types.SharedFileSystemRepository{Type: "fs", Settings: types.SharedFileSystemRepositorySettings{
		Location: snapshotsPath, Compress: ptr(true), Readonly: ptr(true),
	}}
}

// RestoreBody restores the audit data stream, its backing indices and
// nothing else: no cluster state (the setup Job has recreated the
// templates, ILM policies and users from the code, and a restored global
// state would replace them), no feature state (Kibana's and the security
// indices belong to the new cluster). Since 7.12.1 a data stream that
// exists (Fluentd may already write the new one) takes the restored
// backing indices in; they keep their ILM policy, so an index past
// retention.logs.audit is deleted again right after the restore, as it
// would have been.
func RestoreBody() restore.Request {
	return restore.Request{
		Indices:            []string{conventions.AuditIndexPattern},
		IncludeGlobalState: ptr(false),
		FeatureStates:      []string{"none"},
		IncludeAliases:     ptr(false),
		// A snapshot taken before the first audit event has no data stream.
		IgnoreUnavailable: ptr(true),
		Partial:           ptr(false),
	}
}

// RestoreRequests are the calls in order: register the repository
// read-only, then restore the chosen snapshot (the path's @SNAPSHOT@ is
// filled when the script runs).
func RestoreRequests(s RestoreSettings) ([]RestoreRequest, error) {
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return []RestoreRequest{
		{Method: "PUT", Path: "/_snapshot/" + RestoreRepository, Body: RestoreRepositoryBody(s)},
		{Method: "POST", Path: "/_snapshot/" + RestoreRepository + "/@SNAPSHOT@/_restore?wait_for_completion=true", Body: RestoreBody()},
	}, nil
}

// RestoreScript is the restore as a bash script to run inside an
// Elasticsearch node of the rebuilt cluster (it has curl, the elastic
// password in ELASTIC_PASSWORD and the cluster's CA):
//
//	kubectl -n logging exec -i elasticsearch-0 -c elasticsearch -- bash -s < restore.sh
//
// The bodies are inlined as quoted here-documents, byte for byte what
// RestoreRequests renders.
func RestoreScript(s RestoreSettings) (string, error) {
	reqs, err := RestoreRequests(s)
	if err != nil {
		return "", err
	}
	bodies := make([]string, len(reqs))
	for i, r := range reqs {
		body, err := canonicalJSON(r.Body)
		if err != nil {
			return "", fmt.Errorf("restore body %s %s: %w", r.Method, r.Path, err)
		}
		bodies[i] = strings.TrimRight(body, "\n")
	}
	var b strings.Builder
	b.WriteString(`#!/usr/bin/env bash
# Restores the audit logs from the snapshot repository into this cluster.
# Generated by components/elasticsearch.RestoreScript; do not edit.
set -euo pipefail
umask 077
: "${ELASTIC_PASSWORD:?run this inside an Elasticsearch node: it has ELASTIC_PASSWORD}"
ES_URL=${ES_URL:-https://127.0.0.1:` + fmt.Sprint(HTTPPort) + `}
CA=${CA:-` + configPath + `/certs/ca.crt}
SNAPSHOT=${SNAPSHOT:-` + s.Snapshot + `}
# The password goes to curl on stdin, never on a command line.
auth=$(printf 'elastic:%s' "$ELASTIC_PASSWORD" | base64 | tr -d '\n')
es() { # method path [body] -> response on stdout; fails on anything but 2xx
  local out code
  out=$(mktemp)
  code=$(printf 'header = "Authorization: Basic %s"\n' "$auth" | curl -sS -o "$out" -w '%{http_code}' --max-time 3600 --cacert "$CA" \
    -X "$1" -H 'Content-Type: application/json' ${3:+--data-binary "$3"} -K - "$ES_URL$2") || code=000
  case "$code" in
    2??) cat "$out"; rm -f "$out" ;;
    *) echo "$1 $2 failed: HTTP $code" >&2; cat "$out" >&2; echo >&2; rm -f "$out"; exit 1 ;;
  esac
}
`)
	fmt.Fprintf(&b, "es %s %s \"$(cat <<'BODY'\n%s\nBODY\n)\" >/dev/null\necho \"registered %s read-only\"\n", reqs[0].Method, reqs[0].Path, bodies[0], RestoreRepository)
	fmt.Fprintf(&b, `if [ -z "$SNAPSHOT" ]; then
  SNAPSHOT=$(es GET '/_cat/snapshots/%s?h=id,status&s=end_epoch' | awk '$2 == "SUCCESS" { id = $1 } END { print id }')
fi
case "$SNAPSHOT" in
  "") echo "no successful snapshot in %s" >&2; exit 1 ;;
  *[!a-z0-9._-]*) echo "SNAPSHOT=$SNAPSHOT is not a snapshot name" >&2; exit 1 ;;
esac
echo "restoring $SNAPSHOT"
`, RestoreRepository, RestoreRepository)
	path := strings.Replace(reqs[1].Path, "@SNAPSHOT@", "$SNAPSHOT", 1)
	fmt.Fprintf(&b, "es %s \"%s\" \"$(cat <<'BODY'\n%s\nBODY\n)\"\necho\n", reqs[1].Method, path, bodies[1])
	fmt.Fprintf(&b, "es GET '/_cat/indices/%s?v&h=index,docs.count,store.size&s=index'\n", conventions.AuditIndexPattern)
	return b.String(), nil
}
