package elasticsearch

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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
