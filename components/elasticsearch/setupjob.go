package elasticsearch

import (
	"errors"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/workload"
)

// setupJob creates the setup ConfigMap (bodies and script, no secret) and
// the Job that applies it after the nodes, named after the bodies'
// checksum.
func (o objects) setupJob(bodies bodySettings, serviceAccount pulumi.StringOutput, secrets secretNames, caJob *batchv1.Job, sts *appsv1.StatefulSet) (*batchv1.Job, error) {
	args, lbl := o.args, o.labels("setup")
	bucket := pulumi.String("").ToStringOutput()
	if args.Snapshots.Type == SnapshotsS3 {
		bucket = args.Snapshots.S3.Bucket.ToStringOutput()
	}
	files := bucket.ApplyT(func(b string) (map[string]string, error) {
		if args.Snapshots.Type == SnapshotsS3 && b == "" {
			return nil, errors.New("snapshots.s3.bucket resolved to an empty name")
		}
		return renderRequests(withBucket(bodies, b))
	}).(pulumi.StringMapOutput)
	jobName := files.ApplyT(func(f map[string]string) string { return setupJobName(o.name, f, args.Image) }).(pulumi.StringOutput)

	after := []pulumi.ResourceOption{o.parent, pulumi.DependsOn([]pulumi.Resource{sts})}
	cm, err := corev1.NewConfigMap(o.ctx, o.role("setup"), &corev1.ConfigMapArgs{
		Metadata: o.meta(o.role("setup"), lbl),
		Data:     files,
	}, after...)
	if err != nil {
		return nil, err
	}
	// The CA Secret exists once the CA Job has run.
	caSecret := caJob.Metadata.Name().Elem().ApplyT(func(string) string { return CASecretName(o.name) }).(pulumi.StringOutput)
	return batchv1.NewJob(o.ctx, o.role("setup"), &batchv1.JobArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: jobName, Namespace: pulumi.String(args.Namespace), Labels: lbl.Labels()},
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:          pulumi.Int(4),
			ActiveDeadlineSeconds: pulumi.Int(1800),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: lbl.Labels()},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName:           serviceAccount,
					AutomountServiceAccountToken: pulumi.Bool(false),
					RestartPolicy:                pulumi.String("Never"),
					SecurityContext:              workload.PodSecurity(uid),
					Containers:                   corev1.ContainerArray{setupContainer(args, o.setupEnv(secrets))},
					Volumes: corev1.VolumeArray{
						workload.ConfigMapVolume("setup", cm.Metadata.Name().Elem()),
						workload.SecretVolume("ca", caSecret),
						memoryDir("tmp"),
					},
				},
			},
		},
	}, after...)
}

// setupEnv is where the setup script finds Elasticsearch and, from their
// Secrets, the passwords it sets.
func (o objects) setupEnv(secrets secretNames) corev1.EnvVarArray {
	args := o.args
	env := corev1.EnvVarArray{
		workload.Env("ES_URL", conventions.ServiceURL("https", ServiceName(o.name), args.Namespace, HTTPPort)),
		workload.SecretEnv("ELASTIC_PASSWORD", secrets.credentials, SecretKeyElastic),
		workload.SecretEnv("KIBANA_SYSTEM_PASSWORD", secrets.credentials, SecretKeyKibanaSystem),
	}
	if args.LogWriterPassword != nil {
		env = append(env, workload.SecretEnv("LOG_WRITER_PASSWORD", secrets.writer, LogWriterPasswordKey))
	}
	if args.GrafanaReaderPassword != nil {
		env = append(env, workload.SecretEnv("GRAFANA_READER_PASSWORD", secrets.credentials, SecretKeyGrafanaReader))
	}
	return env
}

func setupContainer(args Args, env corev1.EnvVarArray) *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:    pulumi.String("setup"),
		Image:   pulumi.String(args.Image),
		Command: pulumi.ToStringArray([]string{"bash", setupMountPath + "/" + setupScriptFile}),
		Env:     env,
		VolumeMounts: corev1.VolumeMountArray{
			workload.Mount("setup", setupMountPath, true),
			workload.Mount("ca", clientCAMountPath, true),
			workload.Mount("tmp", "/tmp", false),
		},
		SecurityContext: workload.RestrictedContainer(),
		Resources:       workload.Resources{RequestsCPU: "10m", RequestsMemory: "32Mi", LimitsCPU: "200m", LimitsMemory: "128Mi"}.Args(),
	}
}
