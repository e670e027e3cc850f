package bucket

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// Transition moves current objects to StorageClass AfterDays days after
// they were written.
type Transition struct {
	AfterDays    int
	StorageClass string
}

// ReadableStorageClasses are the storage classes a lifecycle rule may move
// objects to: the ones S3 serves with a plain GET. The buckets' readers
// (Thanos' Store Gateway, Elasticsearch's snapshot restore) read objects
// directly and cannot ask for a restore first, so GLACIER and DEEP_ARCHIVE,
// whose objects must be restored before a GET, would make the data
// unreadable until someone restores every object by hand.
var ReadableStorageClasses = []string{"STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR"}

// minDaysInStandard is S3's rule for these classes: objects stay 30 days in
// STANDARD before a lifecycle rule may move them there.
var minDaysInStandard = map[string]int{"STANDARD_IA": 30, "ONEZONE_IA": 30}

// maxLockDays is S3's longest default retention (100 years).
const maxLockDays = 36500

// checkRetention states the rules of the lock and the lifecycle rule.
func (a *Args) checkRetention(ps *check.Problems) {
	if a.ObjectLockDays < 0 || a.ObjectLockDays > maxLockDays {
		ps.Add("objectLockDays", fmt.Sprintf("%d is not between 0 and %d", a.ObjectLockDays, maxLockDays), "use the retention the data must be kept for, in days, or 0 for no Object Lock")
	}
	if a.ObjectLockDays > 0 && a.ExpireAfterDays > 0 && a.ExpireAfterDays < a.ObjectLockDays {
		ps.Add("expireAfterDays", fmt.Sprintf("%d is under objectLockDays %d: expired objects would be hidden behind delete markers while the lock still keeps (and bills) them", a.ExpireAfterDays, a.ObjectLockDays),
			"expire no sooner than the lock ends, or not at all (0)")
	}
	t := a.Transition
	if t == nil {
		return
	}
	if !slices.Contains(ReadableStorageClasses, t.StorageClass) {
		ps.Add("transition.storageClass", fmt.Sprintf("%q is not a storage class S3 serves without a restore", t.StorageClass),
			fmt.Sprintf("use one of %v: the readers GET objects directly and cannot restore them from an archive first", ReadableStorageClasses))
	}
	if floor := minDaysInStandard[t.StorageClass]; t.AfterDays < floor {
		ps.Add("transition.afterDays", fmt.Sprintf("%d is under %d, which S3 requires before %s", t.AfterDays, floor, t.StorageClass), fmt.Sprintf("use at least %d days", floor))
	}
	if t.AfterDays < 0 {
		ps.Add("transition.afterDays", fmt.Sprintf("%d is negative", t.AfterDays), "use 0 or more days")
	}
	if a.ExpireAfterDays > 0 && t.AfterDays >= a.ExpireAfterDays {
		ps.Add("transition.afterDays", fmt.Sprintf("%d is not under expireAfterDays %d: objects would expire before they move", t.AfterDays, a.ExpireAfterDays),
			"move objects sooner, or drop the transition")
	}
}

// objectLock turns Object Lock on with the default retention in compliance
// mode. It is a configuration of its own, not the bucket's
// objectLockEnabled flag: that flag replaces an existing bucket, while
// this configuration turns the lock on for a new or an existing bucket
// alike, once versioning is on.
func objectLock(ctx *pulumi.Context, name string, args Args, b *s3.BucketV2, versioning *s3.BucketVersioningV2, parent pulumi.ResourceOption) error {
	if args.ObjectLockDays == 0 {
		return nil
	}
	_, err := s3.NewBucketObjectLockConfigurationV2(ctx, conventions.Child(name, "object-lock"), &s3.BucketObjectLockConfigurationV2Args{
		Bucket:            b.ID(),
		ObjectLockEnabled: pulumi.String("Enabled"),
		Rule: &s3.BucketObjectLockConfigurationV2RuleArgs{
			DefaultRetention: &s3.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs{
				Mode: pulumi.String("COMPLIANCE"), Days: pulumi.Int(args.ObjectLockDays),
			},
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{b, versioning}))
	return err
}

// lifecycle cleans up failed uploads and old versions, with Transition
// moves current objects to a cheaper class and with ExpireAfterDays
// expires them. S3 never expires a version before its Object Lock
// retention ends: the noncurrent-version rule deletes it once it may.
func lifecycle(ctx *pulumi.Context, name string, args Args, b *s3.BucketV2, parent pulumi.ResourceOption) error {
	rule := &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("housekeeping"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(args.AbortIncompleteUploadsAfterDays),
		},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(args.NoncurrentVersionDays),
		},
	}
	if args.ExpireAfterDays > 0 {
		rule.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.ExpireAfterDays)}
	}
	if t := args.Transition; t != nil {
		rule.Transitions = s3.BucketLifecycleConfigurationV2RuleTransitionArray{&s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
			Days: pulumi.Int(t.AfterDays), StorageClass: pulumi.String(t.StorageClass),
		}}
	}
	_, err := s3.NewBucketLifecycleConfigurationV2(ctx, conventions.Child(name, "lifecycle"), &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules:  s3.BucketLifecycleConfigurationV2RuleArray{rule},
	}, parent, pulumi.DependsOn([]pulumi.Resource{b}))
	return err
}
