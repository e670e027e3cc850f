package cluster_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	k8s "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	pappsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	pbatchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	pcorev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	pmetav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"

	"github.com/klearkarma/observability/internal/cluster/clustertest"
	"github.com/klearkarma/observability/internal/livetest"
)

func metadata(name string, ns pulumi.StringInput) *pmetav1.ObjectMetaArgs {
	return &pmetav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: ns}
}

// pulumiPodTemplate is a pod of one container named app, labelled app.
func pulumiPodTemplate(app string, container pcorev1.ContainerArgs, restartPolicy string) *pcorev1.PodTemplateSpecArgs {
	container.Name = pulumi.String(app)
	// See podTemplate for the grace period of 0.
	spec := &pcorev1.PodSpecArgs{TerminationGracePeriodSeconds: pulumi.Int(0), Containers: pcorev1.ContainerArray{container}}
	if restartPolicy != "" {
		spec.RestartPolicy = pulumi.String(restartPolicy)
	}
	return &pcorev1.PodTemplateSpecArgs{
		Metadata: &pmetav1.ObjectMetaArgs{Labels: pulumi.StringMap{"app": pulumi.String(app)}},
		Spec:     spec,
	}
}

// workloadProgram creates, through an explicit provider for the cluster's
// kubeconfig, the kinds whose readiness the provider awaits: a Deployment
// (Available), a StatefulSet with a claim template (claims bound, pods
// Ready), and a Job (succeeded).
func workloadProgram(kubeconfig, namespace string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		prov, err := k8s.NewProvider(ctx, "cluster", &k8s.ProviderArgs{Kubeconfig: pulumi.String(kubeconfig)})
		if err != nil {
			return err
		}
		opts := pulumi.Provider(prov)
		ns, err := pcorev1.NewNamespace(ctx, "ns", &pcorev1.NamespaceArgs{Metadata: &pmetav1.ObjectMetaArgs{Name: pulumi.String(namespace)}}, opts)
		if err != nil {
			return err
		}
		nsName := ns.Metadata.Name().Elem()
		selector := func(app string) *pmetav1.LabelSelectorArgs {
			return &pmetav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"app": pulumi.String(app)}}
		}
		if _, err := pappsv1.NewDeployment(ctx, "web", &pappsv1.DeploymentArgs{
			Metadata: metadata("web", nsName),
			Spec: &pappsv1.DeploymentSpecArgs{
				Replicas: pulumi.Int(2), Selector: selector("web"), Template: pulumiPodTemplate("web", pcorev1.ContainerArgs{Image: pulumi.String("nginx:1.27")}, ""),
			},
		}, opts); err != nil {
			return err
		}
		dbTemplate := pulumiPodTemplate("db", pcorev1.ContainerArgs{
			Image:        pulumi.String("postgres:16"),
			VolumeMounts: pcorev1.VolumeMountArray{pcorev1.VolumeMountArgs{Name: pulumi.String("data"), MountPath: pulumi.String("/data")}},
		}, "")
		if _, err := pappsv1.NewStatefulSet(ctx, "db", &pappsv1.StatefulSetArgs{
			Metadata: metadata("db", nsName),
			Spec: &pappsv1.StatefulSetSpecArgs{
				ServiceName: pulumi.String("db"), Replicas: pulumi.Int(2), Selector: selector("db"), Template: dbTemplate,
				VolumeClaimTemplates: pcorev1.PersistentVolumeClaimTypeArray{pcorev1.PersistentVolumeClaimTypeArgs{
					Metadata: &pmetav1.ObjectMetaArgs{Name: pulumi.String("data")},
					Spec: &pcorev1.PersistentVolumeClaimSpecArgs{
						AccessModes: pulumi.StringArray{pulumi.String("ReadWriteOnce")},
						Resources:   &pcorev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String("1Gi")}},
					},
				}},
			},
		}, opts); err != nil {
			return err
		}
		jobTemplate := pulumiPodTemplate("migrate", pcorev1.ContainerArgs{Image: pulumi.String("busybox")}, "Never")
		if _, err := pbatchv1.NewJob(ctx, "migrate", &pbatchv1.JobArgs{
			Metadata: metadata("migrate", nsName),
			Spec:     &pbatchv1.JobSpecArgs{BackoffLimit: pulumi.Int(1), Template: jobTemplate},
		}, opts); err != nil {
			return err
		}
		return nil
	}
}

// The real Pulumi engine and kubernetes provider deploy to the embedded
// cluster: `up` passes every readiness await, and `destroy` removes it all.
func TestLivePulumiUpAndDestroyOnTheCluster(t *testing.T) {
	c := clustertest.Shared(t)
	root := livetest.PulumiTools(t)
	client := clientFor(t, c)
	tmp := t.TempDir()
	namespace := "pulumi-" + rand.String(6)

	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	require.NoError(t, err)
	home := filepath.Join(tmp, "home")
	state := filepath.Join(tmp, "state")
	work := filepath.Join(tmp, "work")
	for _, d := range []string{home, state, work} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":       "file://" + state,
		"PULUMI_CONFIG_PASSPHRASE": "",
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		// The plugin comes from PATH; nothing may be downloaded.
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PATH":       filepath.Join(root, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"KUBECONFIG": c.Kubeconfig(),
	}
	ctx := t.Context()
	stack, err := auto.UpsertStackInlineSource(ctx, "live", "cluster-live", workloadProgram(c.Kubeconfig(), namespace),
		auto.WorkDir(work), auto.PulumiHome(home), auto.EnvVars(env), auto.Pulumi(cmd))
	require.NoError(t, err)
	// Every resource must go through the explicit provider.
	require.NoError(t, stack.SetConfig(ctx, "pulumi:disable-default-providers", auto.ConfigValue{Value: `["kubernetes"]`}))

	var out bytes.Buffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pulumi output:\n%s", out.String())
		}
	})
	start := time.Now()
	res, err := stack.Up(ctx, optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out))
	require.NoError(t, err, "pulumi up")
	t.Logf("up in %s: %v", time.Since(start).Round(100*time.Millisecond), *res.Summary.ResourceChanges)
	// stack + provider + namespace + deployment + statefulset + job
	assert.Equal(t, 6, (*res.Summary.ResourceChanges)["create"])
	for _, await := range []string{"Deployment initialization complete", "StatefulSet initialization complete"} {
		assert.Contains(t, out.String(), await)
	}

	pvcs, err := client.CoreV1().PersistentVolumeClaims(namespace).List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	require.Len(t, pvcs.Items, 2)
	for _, p := range pvcs.Items {
		assert.Equal(t, corev1.ClaimBound, p.Status.Phase, p.Name)
	}
	job, err := client.BatchV1().Jobs(namespace).Get(ctx, "migrate", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, int32(1), job.Status.Succeeded, "up returned after the Job succeeded")

	start = time.Now()
	_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(&out), optdestroy.ErrorProgressStreams(&out))
	require.NoError(t, err, "pulumi destroy")
	t.Logf("destroy in %s", time.Since(start).Round(100*time.Millisecond))
	_, err = client.CoreV1().Namespaces().Get(context.Background(), namespace, metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "destroy waited for the namespace to go: %v", err)
}
