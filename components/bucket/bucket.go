// Package bucket owns a private, versioned, encrypted S3 bucket for the
// platform's long-term data (Thanos blocks, Elasticsearch snapshots) and the
// IAM policy that lets the platform's workloads use it. It owns nothing in
// Kubernetes.
package bucket

import (
	"fmt"
	"github.com/klearkarma/observability/internal/workload"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Bucket"

// Args configure the bucket.
type Args struct {
	// BucketPrefix starts the generated bucket name (AWS adds a unique suffix).
	BucketPrefix string
	// Purpose tags the bucket ("metrics", "log-snapshots").
	Purpose string
	// AbortIncompleteUploadsAfterDays cleans up failed multipart uploads.
	AbortIncompleteUploadsAfterDays int
	// NoncurrentVersionDays expires overwritten or deleted object versions;
	// versioning protects against a bad compaction or delete for this long.
	NoncurrentVersionDays int
	// ExpireAfterDays deletes current objects after this many days (0: never;
	// the application's own retention decides, e.g. the Thanos compactor).
	ExpireAfterDays int
	// AccessRoleArn, when set, gets the policy attached: the IAM role the
	// workloads assume (for example through EKS IRSA).
	AccessRoleArn string
	// Data says how the data-holding children survive a delete (protect,
	// retain on delete); the stack decides.
	Data workload.DataPolicy
}

// Bucket is the component.
type Bucket struct {
	pulumi.ResourceState

	Name      pulumi.StringOutput `pulumi:"name"`
	Arn       pulumi.StringOutput `pulumi:"arn"`
	PolicyArn pulumi.StringOutput `pulumi:"policyArn"`
}

// roleArn is an IAM role ARN; the last group is the role's name, which the
// attachment takes (a path before it is allowed).
var roleArn = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$`)

// CheckRoleArn states the rule of AccessRoleArn, which the stack
// configuration checks under its own key: empty, or an IAM role ARN.
func CheckRoleArn(ps *check.Problems, field, arn string) {
	if arn != "" && !roleArn.MatchString(arn) {
		ps.Add(field, fmt.Sprintf("%q is not an IAM role ARN", arn), "use arn:aws:iam::<account>:role/<name>, or leave it empty")
	}
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	if a.BucketPrefix == "" {
		ps.Add("bucketPrefix", "is required", "pass the start of the bucket's name, such as klearkarma-prod-metrics")
	}
	if a.AbortIncompleteUploadsAfterDays == 0 {
		a.AbortIncompleteUploadsAfterDays = 7
	}
	if a.NoncurrentVersionDays == 0 {
		a.NoncurrentVersionDays = 30
	}
	if a.ExpireAfterDays < 0 {
		ps.Add("expireAfterDays", fmt.Sprintf("%d is negative", a.ExpireAfterDays), "use 0 to keep objects until the application deletes them, or a number of days")
	}
	CheckRoleArn(&ps, "accessRoleArn", a.AccessRoleArn)
	return ps.Err()
}

// New creates the bucket, its protections and its access policy.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", name, err)
	}
	c := &Bucket{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	// Every child carries the data policy: retaining the bucket but deleting
	// its versioning, encryption or public access block would change the
	// data left behind.
	parent := pulumi.Composite(append([]pulumi.ResourceOption{pulumi.Parent(c)}, args.Data.Options()...)...)

	b, err := s3.NewBucketV2(ctx, conventions.Child(name, "bucket"), &s3.BucketV2Args{
		// A prefix: AWS appends a unique suffix after the dash.
		BucketPrefix: pulumi.String(args.BucketPrefix + "-"),
		Tags:         pulumi.StringMap{"Purpose": pulumi.String(args.Purpose)},
	}, parent)
	if err != nil {
		return nil, err
	}
	if err := protect(ctx, name, b, parent); err != nil {
		return nil, err
	}
	if err := lifecycle(ctx, name, args, b, parent); err != nil {
		return nil, err
	}
	policy, err := accessPolicy(ctx, name, args, b, parent)
	if err != nil {
		return nil, err
	}

	c.Name = b.Bucket
	c.Arn = b.Arn
	c.PolicyArn = policy.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"name": c.Name, "arn": c.Arn, "policyArn": c.PolicyArn})
}

// protect makes the bucket private (no public ACL or policy, objects owned
// by the bucket owner), versioned and encrypted with the AWS-managed KMS
// key.
func protect(ctx *pulumi.Context, name string, b *s3.BucketV2, parent pulumi.ResourceOption) error {
	inBucket := []pulumi.ResourceOption{parent, pulumi.DependsOn([]pulumi.Resource{b})}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, conventions.Child(name, "public-access-block"), &s3.BucketPublicAccessBlockArgs{
		Bucket: b.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, inBucket...); err != nil {
		return err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, conventions.Child(name, "ownership"), &s3.BucketOwnershipControlsArgs{
		Bucket: b.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, inBucket...); err != nil {
		return err
	}
	if _, err := s3.NewBucketVersioningV2(ctx, conventions.Child(name, "versioning"), &s3.BucketVersioningV2Args{
		Bucket:                  b.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, inBucket...); err != nil {
		return err
	}
	_, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, conventions.Child(name, "encryption"), &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("aws:kms"),
			},
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}, inBucket...)
	return err
}

// lifecycle cleans up failed uploads and old versions and, with
// ExpireAfterDays, expires current objects.
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
	_, err := s3.NewBucketLifecycleConfigurationV2(ctx, conventions.Child(name, "lifecycle"), &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules:  s3.BucketLifecycleConfigurationV2RuleArray{rule},
	}, parent, pulumi.DependsOn([]pulumi.Resource{b}))
	return err
}

// accessPolicy lets its holder list the bucket and read, write and delete
// objects, and attaches it to AccessRoleArn when set.
func accessPolicy(ctx *pulumi.Context, name string, args Args, b *s3.BucketV2, parent pulumi.ResourceOption) (*iam.Policy, error) {
	policyDoc := b.Arn.ApplyT(func(arn string) (string, error) {
		return encoding.JSON(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{
				{"Sid": "ListBucket", "Effect": "Allow", "Action": []string{"s3:ListBucket", "s3:GetBucketLocation"}, "Resource": arn},
				{"Sid": "Objects", "Effect": "Allow", "Action": []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}, "Resource": arn + "/*"},
			},
		})
	}).(pulumi.StringOutput)
	policy, err := iam.NewPolicy(ctx, conventions.Child(name, "access-policy"), &iam.PolicyArgs{
		Description: pulumi.Sprintf("Read and write %s objects (%s)", args.BucketPrefix, args.Purpose),
		Policy:      policyDoc,
	}, parent)
	if err != nil {
		return nil, err
	}
	if m := roleArn.FindStringSubmatch(args.AccessRoleArn); m != nil {
		if _, err := iam.NewRolePolicyAttachment(ctx, conventions.Child(name, "access-attachment"), &iam.RolePolicyAttachmentArgs{
			Role: pulumi.String(m[1]), PolicyArn: policy.Arn,
		}, parent); err != nil {
			return nil, err
		}
	}
	return policy, nil
}
