package jaeger

import (
	"fmt"

	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// schemaScript waits for CQL to answer (up to 5 minutes), then runs the
// statements; cqlsh -f exits non-zero when a statement fails, which fails
// the pod and lets the Job retry.
var schemaScript = fmt.Sprintf(`set -eu
printf '%%s\n' "$SCHEMA_CQL" > /tmp/schema.cql
tries=0
until cqlsh "$CQLSH_HOST" %[1]d --connect-timeout=10 -e 'DESCRIBE KEYSPACES' > /dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Cassandra at $CQLSH_HOST:%[1]d did not answer CQL within 5 minutes" >&2
    exit 1
  fi
  sleep 5
done
exec cqlsh "$CQLSH_HOST" %[1]d --connect-timeout=10 --request-timeout=120 -f /tmp/schema.cql
`, cqlPort)

// schemaJobName is the Job's object name: the tier's, and the checksum of
// what it runs, so changed statements (a new TTL) make a new Job, which
// Pulumi runs, and unchanged ones leave the finished Job alone.
func schemaJobName(component string, t tier, image, script string) string {
	return conventions.Child(component, "schema", t.role, encoding.Checksum(image, schemaScript, script)[:10])
}

// newSchemaJob runs the tier's schema with the Cassandra image's own cqlsh.
// The statements travel in the Job's own spec (a Job cannot change), not
// in a ConfigMap a retrying pod could read after a later update.
func (b builder) newSchemaJob(t tier, r *ring) (*batchv1.Job, error) {
	script := schemaFor(t, b.args.CassandraReplicas).script()
	set := labels.Set{Name: "jaeger", Instance: b.name, Component: "schema-" + t.role, Version: conventions.VersionFromImage(b.args.CassandraImage)}
	return batchv1.NewJob(b.ctx, conventions.Child(b.name, "schema", t.role), &batchv1.JobArgs{
		Metadata: b.meta(schemaJobName(b.name, t, b.args.CassandraImage, script), set),
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:          pulumi.Int(4),
			ActiveDeadlineSeconds: pulumi.Int(1800),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels()},
				Spec: &corev1.PodSpecArgs{
					RestartPolicy:                pulumi.String("Never"),
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(cassandraUID),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name: pulumi.String("schema"), Image: pulumi.String(b.args.CassandraImage),
						Command: pulumi.ToStringArray([]string{"bash", "-c", schemaScript}),
						Env: corev1.EnvVarArray{
							workload.Env("CQLSH_HOST", r.host),
							// cqlsh keeps its history under $HOME.
							workload.Env("HOME", "/tmp"),
							workload.Env("SCHEMA_CQL", script),
						},
						Resources:       smallJob.Args(),
						SecurityContext: workload.RestrictedContainer(),
						VolumeMounts:    corev1.VolumeMountArray{workload.Mount("tmp", "/tmp", false)},
					}},
					Volumes: corev1.VolumeArray{workload.EmptyDir("tmp")},
				},
			},
		},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{r.statefulSet}))
}
