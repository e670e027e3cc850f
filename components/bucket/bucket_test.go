package bucket_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/bucket"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func TestBucket(t *testing.T) {
	cases := map[string]struct {
		args    bucket.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"the bucket is private, versioned, encrypted and cleans up failed uploads": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-metrics", Purpose: "thanos-blocks"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pab := rec.Get(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::metrics-public-access-block").Mappable()
				for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					assert.Equal(t, true, pab[k], k)
				}
				v := rec.Get(t, "aws:s3/bucketVersioningV2:BucketVersioningV2::metrics-versioning").Mappable()
				assert.Equal(t, "Enabled", v["versioningConfiguration"].(map[string]any)["status"])
				enc := rec.Get(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2::metrics-encryption").Mappable()
				assert.Equal(t, "aws:kms", enc["rules"].([]any)[0].(map[string]any)["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"])
				lc := rec.Get(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::metrics-lifecycle").Mappable()
				rule := lc["rules"].([]any)[0].(map[string]any)
				assert.Equal(t, 7.0, rule["abortIncompleteMultipartUpload"].(map[string]any)["daysAfterInitiation"])
				assert.Nil(t, rule["expiration"], "Thanos' compactor, not S3, decides when blocks go")
				assert.Equal(t, 0, rec.CountType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "no role, no attachment")
			},
		},
		"an access role gets the bucket policy attached": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-metrics", AccessRoleArn: "arn:aws:iam::123456789012:role/observability"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				att := rec.Get(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment::metrics-access-attachment").Mappable()
				assert.Equal(t, "observability", att["role"])
			},
		},
		"a role with a path is attached by its name": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-metrics", AccessRoleArn: "arn:aws:iam::123456789012:role/platform/observability"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				att := rec.Get(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment::metrics-access-attachment").Mappable()
				assert.Equal(t, "observability", att["role"])
			},
		},
		"an expiry deletes current objects after that many days": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-snapshots", ExpireAfterDays: 2557},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				lc := rec.Get(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::metrics-lifecycle").Mappable()
				assert.Equal(t, 2557.0, lc["rules"].([]any)[0].(map[string]any)["expiration"].(map[string]any)["days"])
			},
		},
		"a role that is not an IAM role ARN is refused": {
			args: bucket.Args{BucketPrefix: "x", AccessRoleArn: "observability"}, wantErr: "not an IAM role ARN",
		},
		"a missing prefix is refused": {args: bucket.Args{}, wantErr: "bucketPrefix: is required"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := bucket.New(ctx, "metrics", tc.args)
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}

func TestRetentionOfTheBucket(t *testing.T) {
	type retentionCase struct {
		args  bucket.Args
		check func(t *testing.T, rec *pulumitest.Recorder)
	}
	lockKey := "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2::snapshots-object-lock"
	rule := func(t *testing.T, rec *pulumitest.Recorder) map[string]any {
		lc := rec.Object(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::snapshots-lifecycle")
		require.Len(t, lc["rules"], 1)
		return lc["rules"].([]any)[0].(map[string]any)
	}
	cases := map[string]retentionCase{
		"object lock keeps every version in compliance mode for the retention, once versioning is on": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-log-snapshots", ObjectLockDays: 2557},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				lock := rec.Object(t, lockKey)
				assert.Equal(t, "Enabled", lock["objectLockEnabled"])
				assert.Equal(t, map[string]any{"mode": "COMPLIANCE", "days": 2557.0}, lock["rule"].(map[string]any)["defaultRetention"])
				deps := rec.RPC(t, lockKey).GetDependencies()
				assert.Contains(t, deps, "urn:pulumi:test::observability::klearkarma:observability:Bucket$aws:s3/bucketVersioningV2:BucketVersioningV2::snapshots-versioning",
					"S3 turns the lock on only for a versioned bucket")
				b := rec.Object(t, "aws:s3/bucketV2:BucketV2::snapshots-bucket")
				assert.NotContains(t, b, "objectLockEnabled", "the bucket's own flag would replace an existing bucket")
			},
		},
		"without a lock there is no lock configuration": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-metrics"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 0, rec.CountType("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"))
				assert.Nil(t, rule(t, rec)["transitions"])
			},
		},
		"a transition moves current objects to a class S3 serves without a restore": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-log-snapshots", ObjectLockDays: 2557,
				Transition: &bucket.Transition{AfterDays: 30, StorageClass: "INTELLIGENT_TIERING"}},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				r := rule(t, rec)
				assert.Equal(t, []any{map[string]any{"days": 30.0, "storageClass": "INTELLIGENT_TIERING"}}, r["transitions"])
				assert.Nil(t, r["expiration"], "locked snapshots are never expired by S3")
				assert.Equal(t, 30.0, r["noncurrentVersionExpiration"].(map[string]any)["noncurrentDays"])
			},
		},
		"metrics expire after their longest retention": {
			args: bucket.Args{BucketPrefix: "klearkarma-prod-metrics", ExpireAfterDays: 1825},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				r := rule(t, rec)
				assert.Equal(t, 1825.0, r["expiration"].(map[string]any)["days"])
				assert.Equal(t, 7.0, r["abortIncompleteMultipartUpload"].(map[string]any)["daysAfterInitiation"])
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc retentionCase) {
		rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
			_, err := bucket.New(ctx, "snapshots", tc.args)
			return err
		})
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func TestRetentionThatCannotWorkIsRefused(t *testing.T) {
	type badCase struct {
		args          bucket.Args
		field, inText string
	}
	base := func(edit func(a *bucket.Args)) bucket.Args {
		a := bucket.Args{BucketPrefix: "klearkarma-prod-log-snapshots"}
		edit(&a)
		return a
	}
	cases := map[string]badCase{
		"an archive class that needs a restore before a read": {
			args:  base(func(a *bucket.Args) { a.Transition = &bucket.Transition{AfterDays: 90, StorageClass: "GLACIER"} }),
			field: "transition.storageClass", inText: "restore",
		},
		"deep archive too": {
			args:  base(func(a *bucket.Args) { a.Transition = &bucket.Transition{AfterDays: 90, StorageClass: "DEEP_ARCHIVE"} }),
			field: "transition.storageClass", inText: "INTELLIGENT_TIERING",
		},
		"infrequent access sooner than S3 allows": {
			args:  base(func(a *bucket.Args) { a.Transition = &bucket.Transition{AfterDays: 10, StorageClass: "STANDARD_IA"} }),
			field: "transition.afterDays", inText: "30",
		},
		"a transition after the expiry": {
			args: base(func(a *bucket.Args) {
				a.ExpireAfterDays = 60
				a.Transition = &bucket.Transition{AfterDays: 90, StorageClass: "GLACIER_IR"}
			}),
			field: "transition.afterDays", inText: "expire",
		},
		"an expiry inside the lock": {
			args:  base(func(a *bucket.Args) { a.ObjectLockDays, a.ExpireAfterDays = 2557, 90 }),
			field: "expireAfterDays", inText: "delete markers",
		},
		"a lock longer than S3's longest": {
			args:  base(func(a *bucket.Args) { a.ObjectLockDays = 40000 }),
			field: "objectLockDays", inText: "36500",
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc badCase) {
		rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
			_, err := bucket.New(ctx, "snapshots", tc.args)
			return err
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.field+":")
		assert.Contains(t, err.Error(), tc.inText)
		assert.Empty(t, rec.Keys())
	})
}

func TestTheAccessPolicyCannotRemoveAVersion(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		b, err := bucket.New(ctx, "snapshots", bucket.Args{BucketPrefix: "klearkarma-prod-log-snapshots", ObjectLockDays: 2557})
		if err != nil {
			return err
		}
		pulumitest.New().Capture("unused", b.Name) // the policy resolves with the bucket
		return nil
	})
	require.NoError(t, err)
	var doc struct {
		Statement []struct {
			Sid      string
			Action   []string
			Resource string
		}
	}
	policy := rec.Object(t, "aws:iam/policy:Policy::snapshots-access-policy")["policy"].(string)
	require.NoError(t, json.Unmarshal([]byte(policy), &doc))
	actions := map[string][]string{}
	for _, s := range doc.Statement {
		actions[s.Sid] = s.Action
	}
	assert.Equal(t, []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"}, actions["ListBucket"])
	assert.Equal(t, []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}, actions["Objects"],
		"no DeleteObjectVersion, no Object Lock action: a workload can only add delete markers")
}

func TestARetainedBucketIsAdoptedUnderItsNameWithEveryS3Child(t *testing.T) {
	const existing = "klearkarma-prod-log-snapshots-20261201000000000000000001"
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		_, err := bucket.New(ctx, "snapshots", bucket.Args{BucketPrefix: "klearkarma-prod-log-snapshots", ExistingName: existing, ObjectLockDays: 2557})
		return err
	})
	require.NoError(t, err)
	b := rec.Object(t, "aws:s3/bucketV2:BucketV2::snapshots-bucket")
	assert.Equal(t, existing, b["bucket"])
	assert.NotContains(t, b, "bucketPrefix", "a prefix would ask for a new bucket")
	for _, child := range []string{
		"aws:s3/bucketV2:BucketV2::snapshots-bucket",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::snapshots-public-access-block",
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls::snapshots-ownership",
		"aws:s3/bucketVersioningV2:BucketVersioningV2::snapshots-versioning",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2::snapshots-encryption",
		"aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2::snapshots-object-lock",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::snapshots-lifecycle",
	} {
		assert.Equal(t, existing, rec.RPC(t, child).GetImportId(), "%s is imported, never created", child)
	}
	assert.Empty(t, rec.RPC(t, "aws:iam/policy:Policy::snapshots-access-policy").GetImportId(), "the policy is not data: a new one is made")
}

func TestAnExistingNameThatIsNotThisStacksBucketIsRefused(t *testing.T) {
	pulumitest.Cases(t, map[string]struct{ name, want string }{
		"another stack's bucket":   {name: "klearkarma-dev-log-snapshots-2026", want: "not a bucket this stack made"},
		"not a bucket name at all": {name: "Klearkarma_Prod", want: "not an S3 bucket name"},
	}, func(t *testing.T, tc struct{ name, want string }) {
		_, err := pulumitest.Run(func(ctx *pulumi.Context) error {
			_, err := bucket.New(ctx, "snapshots", bucket.Args{BucketPrefix: "klearkarma-prod-log-snapshots", ExistingName: tc.name})
			return err
		})
		require.ErrorContains(t, err, "existingName:")
		require.ErrorContains(t, err, tc.want)
	})
}
