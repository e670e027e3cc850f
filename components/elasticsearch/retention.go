package elasticsearch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/clusterprivilege"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/indexprivilege"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// Names of what the setup Job creates inside Elasticsearch besides the log
// schema (data streams, ILM policies and index templates, which every
// writer and reader agrees on: internal/conventions).
const (
	TimestampPipeline         = "klearkarma-logs-timestamp"
	SnapshotRepository        = "klearkarma-audit-snapshots"
	AuditSnapshotPolicy       = "klearkarma-audit-nightly"
	LogWriterRole             = "klearkarma-log-writer"
	LogWriterUser             = "klearkarma-log-writer"
	GrafanaReaderRole         = "klearkarma-grafana-reader"
	GrafanaReaderUser         = "klearkarma-grafana-reader"
	templatePriority    int64 = 200 // the built-in logs-*-* template has 100
	// snapshotMinCount keeps a week of audit snapshots even when they expire.
	snapshotMinCount = 7
)

// Retention defaults.
const (
	DefaultRolloverMaxAge              = 24 * time.Hour
	DefaultRolloverMaxPrimaryShardSize = "50gb"
	DefaultAuditWarmAfter              = 30 * 24 * time.Hour
	// DefaultSnapshotSchedule is nightly at 01:30 UTC (Elasticsearch cron,
	// seconds first).
	DefaultSnapshotSchedule = "0 30 1 * * ?"
)

// Retention decides how long each log stream is kept. Ages count from the
// rollover of a backing index (Elasticsearch ILM semantics), so a document
// lives at most its retention plus one rollover period.
type Retention struct {
	// Application is how long application logs are kept (the seed: 90 days).
	Application time.Duration
	// Audit is how long audit logs are kept (the seed: 7 years = 2557 days).
	Audit time.Duration
	// RolloverMaxAge starts a new backing index at least this often; default 1 day.
	RolloverMaxAge time.Duration
	// RolloverMaxPrimaryShardSize rolls over earlier when a primary shard
	// reaches this size (an Elasticsearch byte size); default 50gb.
	RolloverMaxPrimaryShardSize string
	// AuditWarmAfter moves audit indices to the warm phase (force-merged to
	// one segment, read-only, lower recovery priority); default 30 days.
	AuditWarmAfter time.Duration
}

// SnapshotRepositoryType says where audit snapshots go.
type SnapshotRepositoryType string

// Snapshot repository types.
const (
	// SnapshotsNone takes no snapshots (offline stacks without a volume).
	SnapshotsNone SnapshotRepositoryType = "none"
	// SnapshotsS3 writes to an S3 bucket with the pods' IAM role.
	SnapshotsS3 SnapshotRepositoryType = "s3"
	// SnapshotsFilesystem writes to a volume mounted on every node (path.repo).
	SnapshotsFilesystem SnapshotRepositoryType = "filesystem"
)

// Snapshots configure the nightly snapshot of the audit data stream.
type Snapshots struct {
	// Type defaults to SnapshotsNone.
	Type SnapshotRepositoryType
	// Schedule is an Elasticsearch cron expression; default DefaultSnapshotSchedule.
	Schedule string
	// ExpireAfter deletes snapshots older than this; default Retention.Audit.
	ExpireAfter time.Duration
	S3          S3Snapshots
	Filesystem  FilesystemSnapshots
}

// S3Snapshots name the bucket. Credentials never come from here: with
// RoleArn set the pods assume that IAM role with a projected service
// account token (IRSA); without it the AWS SDK's default chain applies
// (for example the node's instance profile).
type S3Snapshots struct {
	Bucket   pulumi.StringInput
	Region   string
	BasePath string
	RoleArn  string
}

// FilesystemSnapshots is a volume shared by all nodes. With more than one
// replica it is ReadWriteMany, so its storage class must support that.
type FilesystemSnapshots struct {
	Size             string
	StorageClassName string
}

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

func (r *Retention) withDefaults() []error {
	var errs []error
	if r.RolloverMaxAge == 0 {
		r.RolloverMaxAge = DefaultRolloverMaxAge
	}
	if r.RolloverMaxPrimaryShardSize == "" {
		r.RolloverMaxPrimaryShardSize = DefaultRolloverMaxPrimaryShardSize
	}
	if r.AuditWarmAfter == 0 {
		r.AuditWarmAfter = DefaultAuditWarmAfter
	}
	if !byteSize(r.RolloverMaxPrimaryShardSize) {
		errs = append(errs, fmt.Errorf("retention.rolloverMaxPrimaryShardSize %q is not an Elasticsearch byte size: use a value such as 50gb", r.RolloverMaxPrimaryShardSize))
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"retention.rolloverMaxAge", r.RolloverMaxAge}, {"retention.auditWarmAfter", r.AuditWarmAfter}} {
		if d.v < 0 || d.v%time.Second != 0 {
			errs = append(errs, fmt.Errorf("%s %s must be a positive whole number of seconds", d.key, d.v))
		}
	}
	check := func(key string, v time.Duration, seed string) {
		switch {
		case v == 0:
			errs = append(errs, fmt.Errorf("%s is required: pass how long these logs are kept (the monitoring strategy says %s)", key, seed))
		case v%time.Second != 0 || v < 0:
			errs = append(errs, fmt.Errorf("%s %s must be a positive whole number of seconds", key, v))
		case v < r.RolloverMaxAge:
			errs = append(errs, fmt.Errorf("%s %s is under the rollover period %s: an index would be deleted while it is still written; keep logs at least %s or roll over sooner (retention.rolloverMaxAge)",
				key, esDuration(v), esDuration(r.RolloverMaxAge), esDuration(r.RolloverMaxAge)))
		}
	}
	check("retention.application", r.Application, "90d")
	check("retention.audit", r.Audit, "2557d")
	if r.Audit > 0 && r.AuditWarmAfter >= r.Audit {
		errs = append(errs, fmt.Errorf("retention.auditWarmAfter %s is not under retention.audit %s: ILM phases must come before the delete phase; lower auditWarmAfter",
			esDuration(r.AuditWarmAfter), esDuration(r.Audit)))
	}
	return errs
}

// byteSize accepts whole Elasticsearch byte sizes (b, kb, mb, gb, tb, pb);
// fractional sizes are deprecated in Elasticsearch.
func byteSize(s string) bool {
	for _, unit := range []string{"pb", "tb", "gb", "mb", "kb", "b"} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			return err == nil && v > 0
		}
	}
	return false
}

// esDuration writes a duration in the largest whole Elasticsearch time unit.
func esDuration(d time.Duration) string {
	for _, u := range []struct {
		unit string
		d    time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}} {
		if d%u.d == 0 {
			return fmt.Sprintf("%d%s", d/u.d, u.unit)
		}
	}
	return fmt.Sprintf("%dms", d/time.Millisecond)
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
// for it, the policies and pipeline before the templates that name them.
func requests(s bodySettings) []request {
	r := s.Retention
	snapshots := s.Snapshots != SnapshotsNone
	var out []request
	add := func(file, method, path string, body any) {
		out = append(out, request{File: file, Method: method, Path: path, Body: body})
	}

	add("10-pipeline-timestamp.json", "PUT", "/_ingest/pipeline/"+TimestampPipeline, timestampPipeline())
	if snapshots {
		add("20-snapshot-repository.json", "PUT", "/_snapshot/"+SnapshotRepository, repositoryBody(s))
		add("21-slm-audit.json", "PUT", "/_slm/policy/"+AuditSnapshotPolicy, types.SLMPolicy{
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
		})
	}
	add("30-ilm-app.json", "PUT", "/_ilm/policy/"+conventions.ApplicationILMPolicy, ilmPolicyBody{Policy: types.IlmPolicy{
		Meta_: meta("application logs: rollover, delete after retention.application"),
		Phases: types.Phases{
			Hot: hotPhase(r),
			Delete: &types.Phase{MinAge: esDuration(r.Application), Actions: &types.IlmActions{
				Delete: &types.DeleteAction{},
			}},
		},
	}})
	auditDelete := &types.IlmActions{Delete: &types.DeleteAction{}}
	if snapshots {
		// An audit index is never deleted before a snapshot holds its last state.
		auditDelete.WaitForSnapshot = &types.WaitForSnapshotAction{Policy: AuditSnapshotPolicy}
	}
	add("31-ilm-audit.json", "PUT", "/_ilm/policy/"+conventions.AuditILMPolicy, ilmPolicyBody{Policy: types.IlmPolicy{
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
	}})
	add("40-template-app.json", "PUT", "/_index_template/"+conventions.ApplicationTemplate,
		indexTemplate(conventions.ApplicationIndexPattern, conventions.ApplicationILMPolicy, s.Replicas, "application logs", nil))
	add("41-template-audit.json", "PUT", "/_index_template/"+conventions.AuditTemplate,
		indexTemplate(conventions.AuditIndexPattern, conventions.AuditILMPolicy, s.Replicas, "audit logs", ptr("best_compression")))
	if s.LogWriter {
		add("50-role-log-writer.json", "PUT", "/_security/role/"+LogWriterRole, types.RoleDescriptor{
			Description: ptr("Writes Klear Karma log events to their data streams; manages nothing."),
			Cluster:     []clusterprivilege.ClusterPrivilege{clusterprivilege.Monitor, clusterprivilege.Readilm, clusterprivilege.Readpipeline},
			Indices: []types.IndicesPrivileges{{
				Names: []string{"logs-klearkarma.*"},
				Privileges: []indexprivilege.IndexPrivilege{
					indexprivilege.Autoconfigure, indexprivilege.Createdoc, indexprivilege.Createindex, indexprivilege.Viewindexmetadata,
				},
			}},
		})
	}
	if s.GrafanaReader {
		add("51-role-grafana-reader.json", "PUT", "/_security/role/"+GrafanaReaderRole, types.RoleDescriptor{
			Description: ptr("Reads Klear Karma log data streams for Grafana; writes and manages nothing."),
			// monitor: Grafana's health check and version probe call cluster APIs.
			Cluster: []clusterprivilege.ClusterPrivilege{clusterprivilege.Monitor},
			Indices: []types.IndicesPrivileges{{
				Names:      []string{"logs-klearkarma.*"},
				Privileges: []indexprivilege.IndexPrivilege{indexprivilege.Read, indexprivilege.Viewindexmetadata},
			}},
		})
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

// setupJobName is the setup Job's name for the given setup ConfigMap
// content and image: it changes exactly when one of them does.
func setupJobName(component string, files map[string]string, image string) string {
	return component + "-setup-" + encoding.Checksum(encoding.ChecksumOfMap(files), image)[:10]
}
