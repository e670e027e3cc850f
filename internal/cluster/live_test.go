package cluster_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"

	"github.com/klearkarma/observability/internal/cluster"
	"github.com/klearkarma/observability/internal/cluster/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

func netListenLoopback() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func clientFor(t *testing.T, c *cluster.Cluster) kubernetes.Interface {
	t.Helper()
	client, err := kubernetes.NewForConfig(c.RESTConfig())
	require.NoError(t, err)
	return client
}

// waitUntil polls cond every 100ms until it holds or timeout passes.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func(ctx context.Context) (bool, string, error)) time.Duration {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	var detail string
	for {
		ok, d, err := cond(ctx)
		detail = d
		if err != nil {
			detail = err.Error()
		}
		if ok {
			t.Logf("%s after %s", what, time.Since(start).Round(10*time.Millisecond))
			return time.Since(start)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out after %s waiting for %s: %s", timeout, what, detail)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func labels(app string) map[string]string { return map[string]string{"app": app} }

// podTemplate is a pod of one container. A grace period of 0: the
// namespace controller waits half the pods' grace period (15 s of the
// default 30 s) before it looks again, even though kwok deletes the pods
// at once.
func podTemplate(app, image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels(app)},
		Spec: corev1.PodSpec{TerminationGracePeriodSeconds: ptr(int64(0)), Containers: []corev1.Container{{
			Name: app, Image: image,
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m")}},
		}}},
	}
}

func ptr[T any](v T) *T { return &v }

// The control plane runs the workload kinds the platform deploys: a
// Deployment becomes Available, a StatefulSet's claims are provisioned and
// bound and its pods become Ready, a Job completes, and deleting the
// namespace removes it all.
func TestLiveClusterRunsDeploymentsStatefulSetsWithVolumesAndJobs(t *testing.T) {
	c := clustertest.Shared(t)
	client := clientFor(t, c)
	ctx := t.Context()
	ns := "live-" + rand.String(6)
	_, err := client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	require.NoError(t, err)

	_, err = client.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(2)),
			Selector: &metav1.LabelSelector{MatchLabels: labels("web")},
			Template: podTemplate("web", "nginx:1.27"),
		},
	}, metav1.CreateOptions{})
	require.NoError(t, err)

	sts := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "db"},
		Spec: appsv1.StatefulSetSpec{
			ServiceName: "db",
			Replicas:    ptr(int32(2)),
			Selector:    &metav1.LabelSelector{MatchLabels: labels("db")},
			Template:    podTemplate("db", "postgres:16"),
			VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
				ObjectMeta: metav1.ObjectMeta{Name: "data"},
				Spec: corev1.PersistentVolumeClaimSpec{
					AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
				},
			}},
		},
	}
	sts.Spec.Template.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}
	_, err = client.AppsV1().StatefulSets(ns).Create(ctx, sts, metav1.CreateOptions{})
	require.NoError(t, err)

	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "migrate"},
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr(int32(1)),
			Template:     podTemplate("migrate", "busybox"),
		},
	}
	job.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
	_, err = client.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{})
	require.NoError(t, err)

	waitUntil(t, "Deployment web Available with 2 replicas", time.Minute, func(ctx context.Context) (bool, string, error) {
		d, err := client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			return false, "", err
		}
		for _, cond := range d.Status.Conditions {
			if cond.Type == appsv1.DeploymentAvailable && cond.Status == corev1.ConditionTrue && d.Status.AvailableReplicas == 2 {
				return true, "", nil
			}
		}
		return false, fmt.Sprintf("available %d, conditions %v", d.Status.AvailableReplicas, d.Status.Conditions), nil
	})
	waitUntil(t, "StatefulSet db 2/2 Ready with both claims Bound", time.Minute, func(ctx context.Context) (bool, string, error) {
		s, err := client.AppsV1().StatefulSets(ns).Get(ctx, "db", metav1.GetOptions{})
		if err != nil {
			return false, "", err
		}
		pvcs, err := client.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, "", err
		}
		bound := 0
		for _, p := range pvcs.Items {
			if p.Status.Phase == corev1.ClaimBound {
				bound++
			}
		}
		return s.Status.ReadyReplicas == 2 && bound == 2, fmt.Sprintf("ready %d, claims bound %d of %d", s.Status.ReadyReplicas, bound, len(pvcs.Items)), nil
	})
	pvcs, err := client.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	for _, p := range pvcs.Items {
		assert.Equal(t, "kwok-volume", ptrValue(p.Spec.StorageClassName), "claim %s gets the default StorageClass", p.Name)
	}
	waitUntil(t, "Job migrate Complete", time.Minute, func(ctx context.Context) (bool, string, error) {
		j, err := client.BatchV1().Jobs(ns).Get(ctx, "migrate", metav1.GetOptions{})
		if err != nil {
			return false, "", err
		}
		for _, cond := range j.Status.Conditions {
			if cond.Type == batchv1.JobComplete && cond.Status == corev1.ConditionTrue {
				return true, "", nil
			}
		}
		return false, fmt.Sprintf("succeeded %d, conditions %v", j.Status.Succeeded, j.Status.Conditions), nil
	})

	require.NoError(t, client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}))
	waitUntil(t, "namespace "+ns+" deleted", 2*time.Minute, func(ctx context.Context) (bool, string, error) {
		n, err := client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, "", nil
		}
		if err != nil {
			return false, "", err
		}
		return false, fmt.Sprintf("phase %s, conditions %v", n.Status.Phase, n.Status.Conditions), nil
	})
}

func ptrValue(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// The apiserver validates against its schema, as a real cluster does: an
// object with a field the type does not have is refused, both when
// created with strict field validation and when server-side applied (the
// Pulumi kubernetes provider's default).
func TestLiveServerRefusesUnknownFields(t *testing.T) {
	c := clustertest.Shared(t)
	client := clientFor(t, c)
	ctx := t.Context()
	const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad","namespace":"default"},"data":{"a":"b"},"replicas":3}`

	err := client.CoreV1().RESTClient().Post().Namespace("default").Resource("configmaps").
		Param("fieldValidation", "Strict").Body([]byte(body)).SetHeader("Content-Type", "application/json").Do(ctx).Error()
	require.Error(t, err)
	assert.True(t, apierrors.IsBadRequest(err), "want 400 BadRequest, got %v", err)
	assert.ErrorContains(t, err, `unknown field "replicas"`)

	_, err = client.CoreV1().ConfigMaps("default").Patch(ctx, "bad", types.ApplyPatchType, []byte(body),
		metav1.PatchOptions{FieldManager: "live-test", Force: ptr(true)})
	require.Error(t, err)
	assert.ErrorContains(t, err, "field not declared in schema")

	_, err = client.CoreV1().ConfigMaps("default").Get(ctx, "bad", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "nothing was created: %v", err)
}

// Nothing the cluster runs listens outside 127.0.0.0/8, and every listener
// is one of the ports the cluster chose. The processes' memory is logged.
func TestLiveEveryListeningSocketIsOnLoopback(t *testing.T) {
	c := clustertest.Shared(t)
	ports := c.Ports()
	want := map[string][]int{
		"etcd":                    {ports.EtcdClient, ports.EtcdPeer},
		"kube-apiserver":          {ports.APIServer},
		"kube-controller-manager": {ports.ControllerManager},
		"kube-scheduler":          {ports.Scheduler},
		"kwok":                    nil,
	}
	var total int
	for _, p := range c.Processes() {
		socks, err := listeningSockets(p.PID)
		require.NoError(t, err, p.Name)
		var got []int
		for _, s := range socks {
			assert.True(t, s.Addr.Addr().IsLoopback(), "%s (pid %d) listens on %s %s, outside 127.0.0.0/8", p.Name, p.PID, s.Proto, s.Addr)
			got = append(got, int(s.Addr.Port()))
		}
		assert.ElementsMatch(t, want[p.Name], got, "%s listens on exactly its configured ports", p.Name)
		rss := rssMiB(t, p.PID)
		total += rss
		t.Logf("%-24s pid %-7d RSS %4d MiB, listening on %v", p.Name, p.PID, rss, socks)
	}
	t.Logf("total RSS %d MiB", total)
}

func rssMiB(t *testing.T, pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			require.NoError(t, err)
			return kb / 1024
		}
	}
	return 0
}
