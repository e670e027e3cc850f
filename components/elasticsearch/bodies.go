package elasticsearch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/clusterprivilege"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/indexprivilege"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

const (
	templatePriority int64 = 200 // the built-in logs-*-* template has 100
	// snapshotMinCount keeps a week of audit snapshots even when they expire.
	snapshotMinCount = 7
)

// request is one call of the setup Job. Bodies are JSON rendered from
// go-elasticsearch's typed structures; none holds a secret.
type request struct {
	File   string // key in the setup ConfigMap
	Method string
	Path   string
	Body   any
}

// bodySettings is everything the request bodies depend on.
type bodySettings struct {
	Retention      Retention
	Snapshots      SnapshotRepositoryType
	Schedule       string
	ExpireAfter    time.Duration
	S3Bucket       string
	S3BasePath     string
	Replicas       int
	LogWriter      bool
	GrafanaReader  bool
	FilesystemPath string
}

func ptr[T any](v T) *T { return &v }

// ilmPolicyBody is the body of PUT _ilm/policy/<name>. The go-elasticsearch
// request package would pull in its transport, so the typed policy is
// wrapped here the same way.
type ilmPolicyBody struct {
	Policy types.IlmPolicy `json:"policy"`
}

// requests are the setup Job's calls in order: the repository before the
// SLM policy that names it, the SLM policy before the ILM policy that waits
// for it, the policies and pipeline before the templates that name them,
// the roles before the users the script creates with them.
func requests(s bodySettings) []request {
	out := []request{{File: "10-pipeline-timestamp.json", Method: "PUT", Path: "/_ingest/pipeline/" + TimestampPipeline, Body: timestampPipeline()}}
	if s.Snapshots != SnapshotsNone {
		out = append(out, snapshotRequests(s)...)
	}
	out = append(out, lifecycleRequests(s)...)
	out = append(out,
		request{File: "40-template-app.json", Method: "PUT", Path: "/_index_template/" + conventions.ApplicationTemplate,
			Body: indexTemplate(conventions.ApplicationIndexPattern, conventions.ApplicationILMPolicy, s.Replicas, "application logs", nil)},
		request{File: "41-template-audit.json", Method: "PUT", Path: "/_index_template/" + conventions.AuditTemplate,
			Body: indexTemplate(conventions.AuditIndexPattern, conventions.AuditILMPolicy, s.Replicas, "audit logs", ptr("best_compression"))},
	)
	return append(out, roleRequests(s)...)
}

// snapshotRequests are the repository and the nightly snapshot of the
// audit data stream.
func snapshotRequests(s bodySettings) []request {
	return []request{
		{File: "20-snapshot-repository.json", Method: "PUT", Path: "/_snapshot/" + SnapshotRepository, Body: repositoryBody(s)},
		{File: "21-slm-audit.json", Method: "PUT", Path: "/_slm/policy/" + AuditSnapshotPolicy, Body: types.SLMPolicy{
			Name:       "<klearkarma-audit-{now/d}>",
			Schedule:   s.Schedule,
			Repository: SnapshotRepository,
			Config: &types.Configuration{
				Indices:            []string{conventions.AuditIndexPattern},
				IncludeGlobalState: ptr(false),
				// No audit data stream yet (a fresh cluster) is not a failure.
				IgnoreUnavailable: ptr(true),
			},
			Retention: &types.Retention{
				ExpireAfter: esDuration(s.ExpireAfter),
				MinCount:    snapshotMinCount,
				// Elasticsearch refuses max_count 0 and the typed struct always
				// sends it: one snapshot a night for the whole period, twice
				// over, so expire_after is what deletes.
				MaxCount: max(snapshotMinCount, 2*int(s.ExpireAfter/(24*time.Hour))),
			},
		}},
	}
}

// lifecycleRequests are the ILM policies of the two data streams.
func lifecycleRequests(s bodySettings) []request {
	r := s.Retention
	auditDelete := &types.IlmActions{Delete: &types.DeleteAction{}}
	if s.Snapshots != SnapshotsNone {
		// An audit index is never deleted before a snapshot holds its last state.
		auditDelete.WaitForSnapshot = &types.WaitForSnapshotAction{Policy: AuditSnapshotPolicy}
	}
	return []request{
		{File: "30-ilm-app.json", Method: "PUT", Path: "/_ilm/policy/" + conventions.ApplicationILMPolicy, Body: ilmPolicyBody{Policy: types.IlmPolicy{
			Meta_: meta("application logs: rollover, delete after retention.application"),
			Phases: types.Phases{
				Hot: hotPhase(r),
				Delete: &types.Phase{MinAge: esDuration(r.Application), Actions: &types.IlmActions{
					Delete: &types.DeleteAction{},
				}},
			},
		}}},
		{File: "31-ilm-audit.json", Method: "PUT", Path: "/_ilm/policy/" + conventions.AuditILMPolicy, Body: ilmPolicyBody{Policy: types.IlmPolicy{
			Meta_: meta("audit logs: rollover, warm (force-merged, read-only), delete after retention.audit"),
			Phases: types.Phases{
				Hot: hotPhase(r),
				Warm: &types.Phase{MinAge: esDuration(r.AuditWarmAfter), Actions: &types.IlmActions{
					// One primary shard per index, so there is nothing to shrink.
					Forcemerge:  &types.ForceMergeAction{MaxNumSegments: 1},
					Readonly:    &types.EmptyObject{},
					SetPriority: &types.SetPriorityAction{Priority: ptr(50)},
					// Every node holds every tier: no data to migrate.
					Migrate: &types.MigrateAction{Enabled: ptr(false)},
				}},
				Delete: &types.Phase{MinAge: esDuration(r.Audit), Actions: auditDelete},
			},
		}}},
	}
}

// roleRequests are the roles of the log writer and Grafana's reader, when
// they have a password.
func roleRequests(s bodySettings) []request {
	var out []request
	if s.LogWriter {
		out = append(out, request{File: "50-role-log-writer.json", Method: "PUT", Path: "/_security/role/" + LogWriterRole, Body: types.RoleDescriptor{
			Description: ptr("Writes Klear Karma log events to their data streams; manages nothing."),
			Cluster:     []clusterprivilege.ClusterPrivilege{clusterprivilege.Monitor, clusterprivilege.Readilm, clusterprivilege.Readpipeline},
			Indices: []types.IndicesPrivileges{{
				Names: []string{logsIndexPattern},
				Privileges: []indexprivilege.IndexPrivilege{
					indexprivilege.Autoconfigure, indexprivilege.Createdoc, indexprivilege.Createindex, indexprivilege.Viewindexmetadata,
				},
			}},
		}})
	}
	if s.GrafanaReader {
		out = append(out, request{File: "51-role-grafana-reader.json", Method: "PUT", Path: "/_security/role/" + GrafanaReaderRole, Body: types.RoleDescriptor{
			Description: ptr("Reads Klear Karma log data streams for Grafana; writes and manages nothing."),
			// monitor: Grafana's health check and version probe call cluster APIs.
			Cluster: []clusterprivilege.ClusterPrivilege{clusterprivilege.Monitor},
			Indices: []types.IndicesPrivileges{{
				Names:      []string{logsIndexPattern},
				Privileges: []indexprivilege.IndexPrivilege{indexprivilege.Read, indexprivilege.Viewindexmetadata},
			}},
		}})
	}
	return out
}

func meta(description string) types.Metadata {
	quote := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b } // a string always marshals
	return types.Metadata{"description": quote(description), "managed_by": quote(conventions.PartOf)}
}

func hotPhase(r Retention) *types.Phase {
	return &types.Phase{Actions: &types.IlmActions{
		Rollover: &types.RolloverAction{
			MaxAge:              esDuration(r.RolloverMaxAge),
			MaxPrimaryShardSize: r.RolloverMaxPrimaryShardSize,
		},
		SetPriority: &types.SetPriorityAction{Priority: ptr(100)},
	}}
}

// indexTemplate binds a data stream pattern to its ILM policy, the timestamp
// pipeline and the winston fields the seed's logger writes.
func indexTemplate(pattern, policy string, replicas int, what string, codec *string) types.IndexTemplate {
	return types.IndexTemplate{
		IndexPatterns: []string{pattern},
		ComposedOf:    []string{},
		DataStream:    &types.IndexTemplateDataStreamConfiguration{},
		Priority:      ptr(templatePriority),
		Meta_:         meta(what + " of the Klear Karma platform"),
		Template: &types.IndexTemplateSummary{
			Settings: &types.IndexSettings{Index: &types.IndexSettings{
				Lifecycle:        &types.IndexSettingsLifecycle{Name: ptr(policy)},
				NumberOfShards:   ptr("1"),
				NumberOfReplicas: ptr(fmt.Sprint(min(1, replicas-1))),
				FinalPipeline:    ptr(TimestampPipeline),
				Codec:            codec,
			}},
			Mappings: logMappings(),
		},
	}
}

// logMappings types the fields of the seed's winston format (timestamp,
// level, message, service, version, environment, requestId, userId) and
// the trace id the services log; everything else maps dynamically.
func logMappings() *types.TypeMapping {
	keyword := func() types.Property { return types.KeywordProperty{IgnoreAbove: ptr(1024)} }
	return &types.TypeMapping{Properties: map[string]types.Property{
		"@timestamp":  types.DateProperty{},
		"timestamp":   types.DateProperty{},
		"level":       keyword(),
		"message":     types.MatchOnlyTextProperty{},
		"service":     keyword(),
		"version":     keyword(),
		"environment": keyword(),
		"requestId":   keyword(),
		"userId":      keyword(),
		"traceId":     keyword(),
	}}
}

// timestampPipeline gives every document the @timestamp a data stream
// requires: winston writes "timestamp", so that is copied when a shipper
// did not set @timestamp, and the ingest time is the last resort.
func timestampPipeline() types.IngestPipeline {
	return types.IngestPipeline{
		Description: ptr("Sets @timestamp from winston's timestamp field, or the ingest time."),
		Processors: []types.ProcessorContainer{
			{Date: &types.DateProcessor{
				Field:       "timestamp",
				TargetField: ptr("@timestamp"),
				Formats:     []string{"ISO8601"},
				If:          ptr("ctx['@timestamp'] == null && ctx.timestamp != null"),
				// A timestamp that does not parse falls through to the ingest time.
				IgnoreFailure: ptr(true),
				Tag:           ptr("timestamp-from-winston"),
			}},
			{Set: &types.SetProcessor{
				Field:    "@timestamp",
				Value:    []byte(`"{{{_ingest.timestamp}}}"`),
				Override: ptr(false),
				Tag:      ptr("timestamp-from-ingest"),
			}},
		},
	}
}

func repositoryBody(s bodySettings) any {
	if s.Snapshots == SnapshotsS3 {
		settings := types.S3RepositorySettings{Bucket: s.S3Bucket, ServerSideEncryption: ptr(true), Compress: ptr(true)}
		if s.S3BasePath != "" {
			settings.BasePath = ptr(s.S3BasePath)
		}
		return types.S3Repository{Type: "s3", Settings: settings}
	}
	return types.SharedFileSystemRepository{Type: "fs", Settings: types.SharedFileSystemRepositorySettings{
		Location: s.FilesystemPath, Compress: ptr(true),
	}}
}

// renderRequests is the setup ConfigMap's content: one JSON file per body
// and the script that sends them in order.
func renderRequests(s bodySettings) (map[string]string, error) {
	files := map[string]string{}
	var calls []string
	for _, r := range requests(s) {
		body, err := canonicalJSON(r.Body)
		if err != nil {
			return nil, fmt.Errorf("request body %s: %w", r.File, err)
		}
		files[r.File] = body
		calls = append(calls, fmt.Sprintf("request %s %s %s", r.Method, r.Path, setupMountPath+"/"+r.File))
	}
	files[setupScriptFile] = setupScript(calls, s.LogWriter, s.GrafanaReader)
	return files, nil
}

// canonicalJSON encodes a typed body, then re-encodes it with sorted keys
// and without the HTML escaping the typed marshalers apply, so a reviewer
// reads "&&" in a Painless condition and the same body is always the same
// bytes.
func canonicalJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return "", err
	}
	return encoding.JSON(generic)
}
