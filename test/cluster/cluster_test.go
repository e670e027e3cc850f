// Package cluster_test deploys every shipped stack for real to the embedded
// Kubernetes control plane (internal/cluster: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and kwok simulating a node): the
// kubernetes provider in normal mode, against a real API server with its
// schemas, admission (Pod Security, ResourceQuota, LimitRange) and
// controllers; aws, grafana and pagerduty still through the stand-in
// plugins. It needs the pinned tools (KK_TOOLS_ROOT, as `make test` sets)
// and builds the control plane on first use; under -short it is skipped.
package cluster_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/internal/cluster"
	"github.com/klearkarma/observability/internal/cluster/clustertest"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/engine"
	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

const projectDir = "../.."

func TestMain(m *testing.M) { clustertest.Main(m) }

var (
	standInOnce sync.Once
	standInDir  string
	standInErr  error
)

// tools returns the pinned tools root and the stand-in plugins.
func tools(t *testing.T) (root, standIns string) {
	t.Helper()
	livetest.SkipShort(t, "live cluster deploys")
	root = livetest.PulumiTools(t)
	standInOnce.Do(func() {
		dir, err := os.MkdirTemp("", "standin-plugins-")
		if err != nil {
			standInErr = err
			return
		}
		standInDir, standInErr = engine.BuildStandIns(context.Background(), projectDir, dir)
	})
	require.NoError(t, standInErr)
	return root, standInDir
}

// testSecrets gives every secret a distinctive value (a deployment needs
// the in-cluster passwords).
func testSecrets() map[string]string {
	m := map[string]string{}
	for _, s := range stacks.SecretKeys {
		m[stacks.Namespace+":"+s.Key] = s.ValidValue("kk-live-secret-" + strings.ToLower(s.Key) + "-4b1d2e7f9a3c5d6e")
	}
	return m
}

// deployment is one stack opened against the shared cluster.
type deployment struct {
	t       *testing.T
	session *engine.Session
	log     *bytes.Buffer
	client  kubernetes.Interface
	cfg     *stacks.Config
}

// open opens stack on a fresh backend (state under dir) targeting c.
func open(t *testing.T, c *cluster.Cluster, stack, stateDir string) *deployment {
	t.Helper()
	root, standIns := tools(t)
	tmp := t.TempDir()
	log := &bytes.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("engine output of %s:\n%s", stack, log.String())
		}
	})
	require.NoError(t, os.MkdirAll(stateDir, 0o755))
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "live-cluster-passphrase")
	s, err := engine.Open(context.Background(), engine.Options{
		Program: program.Definition, ProjectDir: projectDir, Stack: stack, ToolsRoot: root, StandInBin: standIns,
		BackendURL: "file://" + stateDir, PulumiHome: filepath.Join(tmp, "home"),
		Isolated: true, WorkDir: filepath.Join(tmp, "work"), Secrets: testSecrets(), Progress: log,
		Kubeconfig: c.Kubeconfig(),
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	client, err := kubernetes.NewForConfig(c.RESTConfig())
	require.NoError(t, err)
	f, err := stacks.ReadStackFile(projectDir, stack)
	require.NoError(t, err)
	cfg, err := stacks.Parse(stack, f.Source, nil)
	if err != nil {
		// The stack file lacks its secrets; Parse only checks they exist.
		for k := range testSecrets() {
			f.Source.Values[k], f.Source.Secrets[k] = "x", true
		}
		cfg, err = stacks.Parse(stack, f.Source, nil)
	}
	require.NoError(t, err)
	return &deployment{t: t, session: s, log: log, client: client, cfg: cfg}
}

func (d *deployment) namespaces() []string {
	n := d.cfg.Namespaces
	return []string{n.Monitoring, n.Logging, n.Tracing}
}

// assertRunning checks what `up` already waited for, from the cluster's own
// view: every workload ready, every Job complete, every claim bound.
func (d *deployment) assertRunning(ctx context.Context) {
	t := d.t
	for _, ns := range d.namespaces() {
		deps, err := d.client.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
		require.NoError(t, err)
		for _, x := range deps.Items {
			assert.Equal(t, *x.Spec.Replicas, x.Status.ReadyReplicas, "deployment %s/%s ready", ns, x.Name)
		}
		sets, err := d.client.AppsV1().StatefulSets(ns).List(ctx, metav1.ListOptions{})
		require.NoError(t, err)
		for _, x := range sets.Items {
			assert.Equal(t, *x.Spec.Replicas, x.Status.ReadyReplicas, "statefulset %s/%s ready", ns, x.Name)
		}
		daemons, err := d.client.AppsV1().DaemonSets(ns).List(ctx, metav1.ListOptions{})
		require.NoError(t, err)
		for _, x := range daemons.Items {
			assert.Positive(t, x.Status.DesiredNumberScheduled, "daemonset %s/%s scheduled", ns, x.Name)
			assert.Equal(t, x.Status.DesiredNumberScheduled, x.Status.NumberReady, "daemonset %s/%s ready", ns, x.Name)
		}
		jobs, err := d.client.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
		require.NoError(t, err)
		for _, x := range jobs.Items {
			assert.GreaterOrEqual(t, x.Status.Succeeded, int32(1), "job %s/%s completed", ns, x.Name)
		}
		claims, err := d.client.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
		require.NoError(t, err)
		for _, x := range claims.Items {
			assert.Equal(t, corev1.ClaimBound, x.Status.Phase, "claim %s/%s bound", ns, x.Name)
		}
	}
}

// ours lists the objects this program manages that are left in the
// cluster: namespaces of the stack and cluster-scoped RBAC carrying the
// part-of label.
func (d *deployment) ours(ctx context.Context) []string {
	t := d.t
	var left []string
	for _, ns := range d.namespaces() {
		if _, err := d.client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); err == nil {
			left = append(left, "namespace/"+ns)
		}
	}
	sel := metav1.ListOptions{LabelSelector: "app.kubernetes.io/part-of=" + conventions.PartOf}
	roles, err := d.client.RbacV1().ClusterRoles().List(ctx, sel)
	require.NoError(t, err)
	for _, r := range roles.Items {
		left = append(left, "clusterrole/"+r.Name)
	}
	bindings, err := d.client.RbacV1().ClusterRoleBindings().List(ctx, sel)
	require.NoError(t, err)
	for _, b := range bindings.Items {
		left = append(left, "clusterrolebinding/"+b.Name)
	}
	return left
}

// waitGone waits until the stack's namespaces have finished terminating.
func (d *deployment) waitGone(ctx context.Context) []string { return d.waitGoneExcept(ctx, nil) }

// waitGoneExcept waits until only the named namespaces of ours are left.
func (d *deployment) waitGoneExcept(ctx context.Context, keep []string) []string {
	want := len(keep)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		left := d.ours(ctx)
		if len(left) <= want || time.Now().After(deadline) {
			return left
		}
		time.Sleep(time.Second)
	}
}

func (d *deployment) namespaceObjects() []string {
	var out []string
	for _, ns := range d.namespaces() {
		out = append(out, "namespace/"+ns)
	}
	return out
}

// clusterObjects are the cluster-scoped objects of ours in the cluster.
func (d *deployment) clusterObjects(ctx context.Context) []string {
	var out []string
	for _, o := range d.ours(ctx) {
		if !strings.HasPrefix(o, "namespace/") {
			out = append(out, o)
		}
	}
	return out
}

// removeNamespaces deletes what a retaining destroy (or a failed test)
// left behind, so the next stack starts on an empty cluster.
func (d *deployment) removeNamespaces(ctx context.Context) {
	for _, ns := range d.namespaces() {
		_ = d.client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	}
	sel := metav1.ListOptions{LabelSelector: "app.kubernetes.io/part-of=" + conventions.PartOf}
	_ = d.client.RbacV1().ClusterRoles().DeleteCollection(ctx, metav1.DeleteOptions{}, sel)
	_ = d.client.RbacV1().ClusterRoleBindings().DeleteCollection(ctx, metav1.DeleteOptions{}, sel)
	if left := d.waitGone(ctx); len(left) > 0 {
		d.t.Logf("still in the cluster after cleanup: %v", left)
	}
}

// setDataProtection edits the stack file's dataProtection, as an operator
// does before a deliberate teardown.
func (d *deployment) setDataProtection(protect, retain bool) {
	t := d.t
	path := filepath.Join(d.session.WorkDir, "Pulumi."+d.cfg.Environment+".yaml")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	doc["config"].(map[string]any)[stacks.Namespace+":dataProtection"] = map[string]any{"protect": protect, "retainOnDelete": retain}
	out, err := yaml.Marshal(doc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
}

func TestEveryStackDeploysToARealAPIServerAndDestroysAsItsDataPolicySays(t *testing.T) {
	c := clustertest.Shared(t)
	for _, stack := range []string{"local", "dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
			defer cancel()
			d := open(t, c, stack, filepath.Join(t.TempDir(), "state"))
			defer d.removeNamespaces(ctx)

			start := time.Now()
			up, err := d.session.Up(ctx)
			require.NoError(t, err, "up %s against the API server", stack)
			t.Logf("%s: up %v in %s", stack, up, time.Since(start).Round(time.Second))
			assert.Positive(t, up["create"])
			d.assertRunning(ctx)

			second, err := d.session.Preview(ctx, true)
			require.NoError(t, err, "a second preview against the cluster shows no changes")
			assert.Zero(t, second.Total(), "second preview: %v", second)

			if d.cfg.DataProtection.Protect {
				_, err := d.session.Destroy(ctx)
				require.Error(t, err, "destroy of a stack that protects its data is refused")
				assert.Contains(t, err.Error(), "protected")
				assert.Len(t, d.ours(ctx), len(d.namespaces())+len(d.clusterObjects(ctx)), "the refused destroy deleted nothing of note")
				// The deliberate teardown the README describes: lift protect, up, destroy.
				d.setDataProtection(false, d.cfg.DataProtection.Retain)
				_, err = d.session.Up(ctx)
				require.NoError(t, err, "up with protect lifted")
			}

			start = time.Now()
			down, err := d.session.Destroy(ctx)
			require.NoError(t, err)
			t.Logf("%s: destroy %v in %s", stack, down, time.Since(start).Round(time.Second))
			if d.cfg.DataProtection.Retain {
				left := d.waitGoneExcept(ctx, d.namespaces())
				assert.ElementsMatch(t, d.namespaceObjects(), left, "destroy keeps only the retained namespaces")
				claims := 0
				for _, ns := range d.namespaces() {
					l, err := d.client.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
					require.NoError(t, err)
					claims += len(l.Items)
				}
				assert.Positive(t, claims, "the retained namespaces still hold the volumes")
				return
			}
			assert.Empty(t, d.waitGone(ctx), "destroy leaves no object of ours in the cluster")
		})
	}
}
