package cluster_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/klearkarma/observability/internal/cluster"
	"github.com/klearkarma/observability/internal/cluster/clustertest"
)

// The kinds the program creates, namespaced and cluster-scoped.
var (
	namespacedKinds = []schema.GroupVersionResource{
		{Group: "apps", Version: "v1", Resource: "deployments"},
		{Group: "apps", Version: "v1", Resource: "statefulsets"},
		{Group: "apps", Version: "v1", Resource: "daemonsets"},
		{Group: "batch", Version: "v1", Resource: "jobs"},
		{Group: "batch", Version: "v1", Resource: "cronjobs"},
		{Version: "v1", Resource: "services"},
		{Version: "v1", Resource: "configmaps"},
		{Version: "v1", Resource: "secrets"},
		{Version: "v1", Resource: "serviceaccounts"},
		{Version: "v1", Resource: "persistentvolumeclaims"},
		{Version: "v1", Resource: "resourcequotas"},
		{Version: "v1", Resource: "limitranges"},
		{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"},
		{Group: "networking.k8s.io", Version: "v1", Resource: "ingresses"},
		{Group: "policy", Version: "v1", Resource: "poddisruptionbudgets"},
		{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"},
		{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
	}
	clusterKinds = []schema.GroupVersionResource{
		{Version: "v1", Resource: "namespaces"},
		{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"},
		{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"},
	}
)

// appliedByPulumi says whether the kubernetes provider (server-side apply)
// wrote the object: objects that Jobs or controllers create (the
// Elasticsearch CA the bootstrap Job generates, ReplicaSets, pods) are
// rebuilt with new content and are not part of the comparison.
func appliedByPulumi(o unstructured.Unstructured) bool {
	for _, m := range o.GetManagedFields() {
		if strings.HasPrefix(m.Manager, "pulumi-kubernetes") {
			return true
		}
	}
	return false
}

// serverSet are annotations and labels the API server or a controller adds.
var serverSet = []string{
	"deployment.kubernetes.io/revision", "pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller",
	"volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner",
	"controller-uid", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name", "job-name",
}

// normalized is an object's spec as the program declared it: metadata the
// server sets, the status, and server-assigned values (cluster IPs, bound
// volume names, Job controller ids) removed.
func normalized(o unstructured.Unstructured) string {
	obj := o.DeepCopy().Object
	delete(obj, "status")
	meta, _ := obj["metadata"].(map[string]any)
	for _, k := range []string{"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "ownerReferences", "selfLink"} {
		delete(meta, k)
	}
	var strip func(v any)
	strip = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for _, k := range serverSet {
				delete(t, k)
			}
			for _, k := range []string{"clusterIP", "clusterIPs", "volumeName"} {
				delete(t, k)
			}
			for _, e := range t {
				strip(e)
			}
		case []any:
			for _, e := range t {
				strip(e)
			}
		}
	}
	strip(obj)
	b, _ := json.MarshalIndent(obj, "", " ")
	return string(b)
}

// snapshot is every object the program applied to the stack's namespaces
// and the cluster, by kind/namespace/name.
func (d *deployment) snapshot(ctx context.Context, c *cluster.Cluster) map[string]string {
	t := d.t
	dyn, err := dynamic.NewForConfig(c.RESTConfig())
	require.NoError(t, err)
	out := map[string]string{}
	add := func(gvr schema.GroupVersionResource, items []unstructured.Unstructured) {
		for _, o := range items {
			if appliedByPulumi(o) {
				out[gvr.Resource+"/"+o.GetNamespace()+"/"+o.GetName()] = normalized(o)
			}
		}
	}
	for _, ns := range d.namespaces() {
		for _, gvr := range namespacedKinds {
			l, err := dyn.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
			require.NoError(t, err, gvr.String())
			add(gvr, l.Items)
		}
	}
	for _, gvr := range clusterKinds {
		l, err := dyn.Resource(gvr).List(ctx, metav1.ListOptions{})
		require.NoError(t, err, gvr.String())
		add(gvr, l.Items)
	}
	return out
}

// Disaster recovery, rehearsed: prod is up; the state backend and the
// cluster's namespaces are lost; an `up` from an empty backend rebuilds the
// same objects, creating only (nothing deleted or replaced), with its data
// resources protected again.
func TestProdIsRebuiltFromNothing(t *testing.T) {
	c := clustertest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	tmp := t.TempDir()

	first := open(t, c, "prod", filepath.Join(tmp, "state-before"))
	defer first.removeNamespaces(ctx)
	_, err := first.session.Up(ctx)
	require.NoError(t, err)
	first.assertRunning(ctx)
	before := first.snapshot(ctx, c)
	require.Greater(t, len(before), 100, "prod applies its objects")

	// The disaster.
	require.NoError(t, os.RemoveAll(filepath.Join(tmp, "state-before")))
	first.removeNamespaces(ctx)
	require.Empty(t, first.ours(ctx), "the cluster has lost the platform")

	start := time.Now()
	rebuilt := open(t, c, "prod", filepath.Join(tmp, "state-after"))
	up, err := rebuilt.session.Up(ctx)
	require.NoError(t, err, "up on an empty backend rebuilds prod")
	t.Logf("rebuild: %v in %s", up, time.Since(start).Round(time.Second))
	for _, op := range []string{"delete", "replace", "delete-replaced", "create-replacement"} {
		assert.Zero(t, up[op], "the rebuild %ss nothing", op)
	}
	rebuilt.assertRunning(ctx)

	after := rebuilt.snapshot(ctx, c)
	assert.ElementsMatch(t, keys(before), keys(after), "the same objects")
	for k, v := range before {
		if w, ok := after[k]; ok {
			assert.Equal(t, v, w, "%s is the same after the rebuild", k)
		}
	}

	state, err := rebuilt.session.Export(ctx)
	require.NoError(t, err)
	var dep struct {
		Resources []struct {
			URN     string `json:"urn"`
			Type    string `json:"type"`
			Protect bool   `json:"protect"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(state, &dep))
	protected := 0
	for _, r := range dep.Resources {
		if r.Type == "aws:s3/bucketV2:BucketV2" || r.Type == "kubernetes:core/v1:Namespace" {
			assert.True(t, r.Protect, "%s is protected again", r.URN)
			protected++
		}
	}
	assert.Equal(t, 5, protected, "two buckets and three namespaces")

	rebuilt.setDataProtection(false, true)
	_, err = rebuilt.session.Up(ctx)
	require.NoError(t, err)
	_, err = rebuilt.session.Destroy(ctx)
	require.NoError(t, err)
	rebuilt.removeNamespaces(ctx)
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
