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
// The package must not import the program (stacks, components): it is
// infrastructure for testing the program, not part of it.
package cluster
