// Package clustertest gives live tests one embedded Kubernetes control
// plane per test binary. A package that uses it calls Main from its
// TestMain, and Shared from each test that needs the cluster:
//
//	func TestMain(m *testing.M) { clustertest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		c := clustertest.Shared(t) // skipped under -short
//		client := kubernetes.NewForConfigOrDie(c.RESTConfig())
//		...
//	}
//
// The first Shared builds the binaries (once per machine, into the tools
// cache) and starts the cluster; Main stops it after the last test. When a
// test failed, the cluster's directory (logs, PKI, kubeconfig) is kept and
// printed; otherwise it is removed. Tests share the cluster, so each works
// in namespaces of its own and deletes them.
//
// If the test binary dies without reaching Main's end (a panic, a timeout,
// SIGKILL), the kernel kills the cluster's processes with it (Pdeathsig);
// only the temporary directory remains.
package clustertest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/klearkarma/observability/internal/cluster"
)

var (
	once     sync.Once
	shared   *cluster.Cluster
	dir      string
	startErr error

	mainRunning atomic.Bool
	failed      atomic.Bool
)

// Shared returns the test binary's cluster, starting it on first use. Under
// -short it skips the test. A cluster that cannot be built or started
// fails every test that asks for it, with the reason.
func Shared(t testing.TB) *cluster.Cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("live cluster test skipped under -short: it builds (the first time, 10-20 minutes) and runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok")
	}
	if !mainRunning.Load() {
		t.Fatal("clustertest.Shared needs clustertest.Main: add `func TestMain(m *testing.M) { clustertest.Main(m) }` to the package, so the cluster is stopped after the tests")
	}
	once.Do(start)
	if startErr != nil {
		t.Fatalf("embedded cluster: %v", startErr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			failed.Store(true)
		}
	})
	return shared
}

func start() {
	ctx := context.Background()
	bin, err := cluster.Build(ctx, cluster.BuildOptions{Progress: os.Stderr})
	if err != nil {
		startErr = err
		return
	}
	if dir, err = os.MkdirTemp("", "kk-cluster-"); err != nil {
		startErr = err
		return
	}
	shared, startErr = cluster.Start(ctx, cluster.StartOptions{Dir: dir, BinDir: bin, Progress: os.Stderr})
}

// Main runs the tests, then stops the shared cluster if one was started,
// and exits with the tests' code.
func Main(m *testing.M) {
	mainRunning.Store(true)
	code := m.Run()
	os.Exit(finish(code))
}

func finish(code int) int {
	if dir == "" {
		return code
	}
	var stopErr error
	if shared != nil {
		stopErr = shared.Stop()
	}
	if code != 0 || failed.Load() || startErr != nil || stopErr != nil {
		if stopErr != nil {
			fmt.Fprintf(os.Stderr, "clustertest: stop: %v\n", stopErr)
			if code == 0 {
				code = 1
			}
		}
		fmt.Fprintf(os.Stderr, "clustertest: kept the cluster's directory for its logs: %s (logs in %s/logs)\n", dir, dir)
		return code
	}
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintf(os.Stderr, "clustertest: remove %s: %v\n", dir, err)
	}
	return code
}
