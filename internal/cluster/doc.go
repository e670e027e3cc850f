// Package cluster owns the repo's embedded Kubernetes control plane: etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler and kwok (which
// simulates a node, its pods and volumes), built from the Go module proxy at
// the versions in internal/pins and run as local processes bound to
// 127.0.0.1 only. Live tests deploy to it (see clustertest); people start it
// with cmd/cluster.
//
// Build compiles the binaries once into the shared tools cache. Start runs a
// cluster in its own directory (PKI, kubeconfig, etcd data, logs, PIDs) and
// waits until it is usable: /readyz, the kwok node Ready and the default
// ServiceAccount present, so a pod can be created at once.
//
// Nothing outlives a crashed test binary but files: its processes are
// started with Pdeathsig=SIGKILL (from one goroutine pinned to its OS
// thread, as the signal follows the forking thread), so the kernel kills
// them when the binary dies, even by SIGKILL; the cluster's directory
// (PKI, etcd data, logs) stays. Detached clusters (cmd/cluster up) run in
// their own session and are stopped by the PIDs in <dir>/cluster.json,
// each checked against its recorded start time so a reused PID is never
// signalled.
//
// The package must not import the program (stacks, components): it is
// infrastructure for testing the program, not part of it.
package cluster
