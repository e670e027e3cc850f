package incident_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/klearkarma/observability/internal/cluster/clustertest"
	"github.com/klearkarma/observability/internal/incident"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// TestOpenAgainstARealAPIServer gathers pods and events from a real API
// server, the embedded control plane (Slack, PagerDuty and Prometheus stay
// local fakes). kwok runs the pod on a simulated node that serves no logs,
// so the logs step fails as it would against a node that is down: the
// tool says so and still gathers the pods and events.
func TestOpenAgainstARealAPIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("live test: needs a real API server; skipped under -short")
	}
	kubeconfig := clustertest.Shared(t).Kubeconfig()
	restCfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	require.NoError(t, err)
	kube, err := kubernetes.NewForConfig(restCfg)
	require.NoError(t, err)

	ctx := context.Background()
	ns := "incident-live-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	_, err = kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	// Without a controller manager nobody creates the default service
	// account, and admission refuses pods without it.
	_, err = kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		require.NoError(t, err)
	}
	_, err = kube.CoreV1().Pods(ns).Create(ctx, &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "api-live", Labels: map[string]string{"app": "api"}},
		// kwok runs no container; it marks the pod Running on its node.
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "api", Image: "registry.invalid/none:0"}}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	// Gather only once the pod runs: a Pending pod has no logs to ask for,
	// and the test is about a node that does not answer for them.
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		pod, err := kube.CoreV1().Pods(ns).Get(ctx, "api-live", metav1.GetOptions{})
		return err == nil && pod.Status.Phase == corev1.PodRunning, nil
	}), "kwok runs the pod")
	now := time.Now()
	_, err = kube.CoreV1().Events(ns).Create(ctx, &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "api-live.backoff"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "api-live", Namespace: ns},
		Reason:         "LiveTestEvent", Message: "written by the incident live test", Type: corev1.EventTypeWarning,
		FirstTimestamp: metav1.NewTime(now), LastTimestamp: metav1.NewTime(now), Count: 1,
	}, metav1.CreateOptions{})
	require.NoError(t, err)

	e := newEnv(t)
	cfg := e.config()
	cfg.Kube = kube
	cfg.Namespaces = []string{ns}
	cfg.PlatformNamespaces = nil
	cfg.Now = time.Now
	res, err := incident.Open(ctx, cfg, incident.Request{Severity: incident.SEV3, Description: "live test"})
	require.Error(t, err, "the simulated node serves no logs")
	assert.Contains(t, err.Error(), "logs of "+ns+"/api-live")
	require.NotNil(t, res, "a failed step still returns what was done")
	assert.Equal(t, incident.StatusOK, mustStep(t, res, incident.StepPods).Status)
	assert.Equal(t, incident.StatusFailed, mustStep(t, res, incident.StepLogs).Status)
	pods, err := os.ReadFile(filepath.Join(res.Folder, "pods.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(pods), "api-live")
	events, err := os.ReadFile(filepath.Join(res.Folder, "events.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(events), "LiveTestEvent")
}
