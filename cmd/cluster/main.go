// Command cluster runs the repo's embedded Kubernetes control plane for
// people: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
// kwok (a simulated node), all on 127.0.0.1, built from the Go module proxy.
//
//	go run ./cmd/cluster build            # build the binaries into the tools cache (once)
//	eval "$(go run ./cmd/cluster up)"     # start in .cluster/, export KUBECONFIG
//	go run ./cmd/cluster status
//	go run ./cmd/cluster down
//
// `up` starts the processes detached (they outlive the command) and records
// their PIDs in <dir>/cluster.json; `down` stops them by those PIDs. Each
// `up` starts from a fresh PKI and an empty etcd.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/klearkarma/observability/internal/cluster"
)

const usage = `usage: cluster <command> [-dir DIR]

commands:
  build    build etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok into the tools cache
  up       build if needed, start the cluster detached in DIR, print "export KUBECONFIG=..."
  down     stop the cluster recorded in DIR
  status   show the cluster's processes and whether the apiserver is ready

flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cluster", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, usage); fl.PrintDefaults() }
	dir := fl.String("dir", ".cluster", "the cluster's directory (kubeconfig, pki, etcd data, logs, PIDs)")
	timeout := fl.Duration("timeout", 3*time.Minute, "up: how long to wait for the cluster to become usable")
	// The command may come before or after the flags.
	var command string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if command == "" && fl.NArg() > 0 {
		command = fl.Arg(0)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch command {
	case "build":
		var bin string
		if bin, err = cluster.Build(ctx, cluster.BuildOptions{Progress: stderr}); err == nil {
			fmt.Fprintln(stdout, bin)
		}
	case "up":
		err = up(ctx, *dir, *timeout, stdout, stderr)
	case "down":
		err = cluster.Down(*dir, stderr)
	case "status":
		return status(ctx, *dir, stdout, stderr)
	default:
		fl.Usage()
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "cluster %s: %v\n", command, err)
		return 1
	}
	return 0
}

func up(ctx context.Context, dir string, timeout time.Duration, stdout, stderr io.Writer) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if c, err := cluster.Open(abs); err == nil {
		if c.Running() {
			fmt.Fprintf(stderr, "cluster: already running in %s (%s)\n", abs, c.Server())
			fmt.Fprintf(stdout, "export KUBECONFIG=%s\n", c.Kubeconfig())
			return nil
		}
		// Part of an earlier cluster died: stop the rest before starting anew.
		if len(c.Exited()) < len(c.Processes()) {
			fmt.Fprintf(stderr, "cluster: stopping what is left of the cluster in %s (%v exited)\n", abs, c.Exited())
			if err := cluster.Down(abs, stderr); err != nil {
				return err
			}
		}
	}
	bin, err := cluster.Build(ctx, cluster.BuildOptions{Progress: stderr})
	if err != nil {
		return err
	}
	c, err := cluster.Start(ctx, cluster.StartOptions{Dir: abs, BinDir: bin, Progress: stderr, Detached: true, Timeout: timeout})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "cluster: %s; logs in %s; stop with: go run ./cmd/cluster down -dir %s\n", c.Server(), c.LogDir(), dir)
	fmt.Fprintf(stdout, "export KUBECONFIG=%s\n", c.Kubeconfig())
	return nil
}

// status prints the processes and the apiserver's readiness; it exits 0
// only when every process runs and /readyz is ok.
func status(ctx context.Context, dir string, stdout, stderr io.Writer) int {
	c, err := cluster.Open(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stdout, "no cluster in %s (start one with: go run ./cmd/cluster up -dir %s)\n", dir, dir)
		} else {
			fmt.Fprintf(stderr, "cluster status: %v\n", err)
		}
		return 1
	}
	exited := map[string]bool{}
	for _, n := range c.Exited() {
		exited[n] = true
	}
	for _, p := range c.Processes() {
		state := "running"
		if exited[p.Name] {
			state = "exited"
		}
		fmt.Fprintf(stdout, "%-24s pid %-8d %s\n", p.Name, p.PID, state)
	}
	ready := "not ready"
	if cfg := c.RESTConfig(); cfg != nil && len(exited) == 0 {
		cfg.Timeout = 5 * time.Second
		if client, err := kubernetes.NewForConfig(cfg); err == nil {
			body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
			if err == nil && string(body) == "ok" {
				ready = "ready"
			} else if err != nil {
				ready = "not ready: " + err.Error()
			}
		}
	}
	fmt.Fprintf(stdout, "apiserver %s: %s\nkubeconfig: %s\n", c.Server(), ready, c.Kubeconfig())
	if len(exited) > 0 || ready != "ready" {
		return 1
	}
	return 0
}
