package bucket_test

import (
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
