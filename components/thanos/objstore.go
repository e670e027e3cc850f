package thanos

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/workload"
)

// ObjstoreKey is the key of the objstore configuration in its Secret, and
// FilesystemBucketPath where a filesystem bucket is mounted in every pod.
const (
	ObjstoreKey          = "objstore.yml"
	FilesystemBucketPath = "/var/thanos/bucket"
)

// objstoreConfig is Thanos's bucket configuration (thanos-io/objstore
// client.BucketConfig), written deterministically.
type objstoreConfig struct {
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
}

// bucket is what the pods need to reach the blocks.
type bucket struct {
	// secret holds ObjstoreKey; checksum is its content's hash.
	secret, checksum pulumi.StringOutput
	// claim is the filesystem bucket's claim ("" with S3); volumes and
	// mounts mount it in every pod.
	claim   pulumi.StringOutput
	volumes []corev1.VolumeInput
	mounts  []corev1.VolumeMountInput
}

// objstore creates the objstore Secret and, without S3, the shared volume
// that holds the bucket.
func (b *build) objstore() (bucket, error) {
	out := bucket{claim: pulumi.String("").ToStringOutput()}
	var objstore pulumi.StringOutput
	if s := b.args.Storage; s.S3Bucket != nil {
		objstore = s.S3Bucket.ToStringOutput().ApplyT(func(name string) (string, error) {
			return encoding.YAML(objstoreConfig{Type: "S3", Config: map[string]any{
				"bucket": name, "endpoint": "s3." + s.S3Region + ".amazonaws.com", "region": s.S3Region,
				"sse_config": map[string]any{"type": "SSE-S3"},
			}})
		}).(pulumi.StringOutput)
	} else {
		y, err := encoding.YAML(objstoreConfig{Type: "FILESYSTEM", Config: map[string]any{"directory": FilesystemBucketPath}})
		if err != nil {
			return out, err
		}
		objstore = pulumi.String(y).ToStringOutput()
		if err := b.filesystemBucket(&out); err != nil {
			return out, err
		}
	}
	// The objstore file may carry credentials in other setups, so it is a Secret.
	secret, err := corev1.NewSecret(b.ctx, conventions.Child(b.name, "objstore"), &corev1.SecretArgs{
		Metadata:   b.meta(conventions.Child(b.name, "objstore"), b.set("")),
		StringData: pulumi.StringMap{ObjstoreKey: objstore},
	}, b.parent)
	if err != nil {
		return out, err
	}
	out.secret = secret.Metadata.Name().Elem()
	out.checksum = objstore.ApplyT(func(s string) string { return encoding.Checksum(s) }).(pulumi.StringOutput)
	return out, nil
}

// filesystemBucket creates the ReadWriteMany volume every pod mounts as
// the bucket.
func (b *build) filesystemBucket(out *bucket) error {
	pvc, err := corev1.NewPersistentVolumeClaim(b.ctx, conventions.Child(b.name, "bucket"), &corev1.PersistentVolumeClaimArgs{
		Metadata: b.meta(conventions.Child(b.name, "bucket"), b.set("")),
		Spec: &corev1.PersistentVolumeClaimSpecArgs{
			AccessModes: pulumi.ToStringArray([]string{"ReadWriteMany"}),
			Resources:   &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(b.args.Storage.FilesystemSize)}},
		},
	}, append([]pulumi.ResourceOption{b.parent}, b.args.Data.Options()...)...)
	if err != nil {
		return err
	}
	out.claim = pvc.Metadata.Name().Elem()
	out.volumes = []corev1.VolumeInput{&corev1.VolumeArgs{Name: pulumi.String("bucket"),
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: out.claim}}}
	out.mounts = []corev1.VolumeMountInput{workload.Mount("bucket", FilesystemBucketPath, false)}
	return nil
}
