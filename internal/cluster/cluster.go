package cluster

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// stateFile in the cluster directory records what runs, so `down` (or a
// later Open) can find the processes by PID.
const stateFile = "cluster.json"

// StartOptions say where and how to run a cluster.
type StartOptions struct {
	// Dir is the cluster's own directory: pki/, kubeconfig, etcd/, logs/
	// and cluster.json. It is created if missing; a cluster still running
	// there is an error. Every start begins with a fresh PKI and an empty
	// etcd.
	Dir string
	// BinDir holds the binaries (what Build returns).
	BinDir string
	// Progress receives one line per step with its time; nil discards.
	Progress io.Writer
	// Detached starts the processes in their own session, so they outlive
	// this process (for people, via cmd/cluster); Stop or Down ends them by
	// PID. Without it they get SIGKILL when this process dies.
	Detached bool
	// Timeout bounds the wait until the cluster is usable (default 3m).
	Timeout time.Duration
	// StopGrace is how long Stop waits after SIGTERM before SIGKILL, per
	// process (default 30s; the apiserver takes ~10s to shut down).
	StopGrace time.Duration
}

// Cluster is a running control plane.
type Cluster struct {
	layout     layout
	state      state
	procs      []*process
	restConfig *rest.Config
	progress   io.Writer
	stopGrace  time.Duration

	stopOnce sync.Once
	stopErr  error
}

// state is cluster.json.
type state struct {
	Detached  bool       `json:"detached"`
	BinDir    string     `json:"binDir"`
	Server    string     `json:"server"`
	Ports     Ports      `json:"ports"`
	Started   time.Time  `json:"started"`
	Processes []*process `json:"processes"`
}

// Process names, in start order. Stop ends the apiserver first (so no
// controller acts on a half-stopped cluster), then the others, then etcd.
const (
	nameEtcd       = "etcd"
	nameAPIServer  = "kube-apiserver"
	nameController = "kube-controller-manager"
	nameScheduler  = "kube-scheduler"
	nameKwok       = "kwok"
)

// Process is one running program of the cluster.
type Process struct {
	Name string
	PID  int
}

// Start runs a cluster in o.Dir and returns once it is usable: the
// apiserver's /readyz is ok, the controller manager and scheduler are
// healthy, the kwok node is Ready and the default ServiceAccount exists in
// the default namespace (pods are refused without it). On failure
// everything started is stopped and the error holds the log of the
// program that failed; the logs stay in o.Dir/logs.
func Start(ctx context.Context, o StartOptions) (*Cluster, error) {
	if o.Dir == "" {
		return nil, errors.New("cluster: StartOptions.Dir is empty; give the cluster a directory of its own")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	if err := CheckBinDir(o.BinDir); err != nil {
		return nil, err
	}
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Minute
	}
	if o.StopGrace == 0 {
		o.StopGrace = 30 * time.Second
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if prev, err := Open(dir); err == nil && len(prev.Exited()) < len(prev.procs) {
		return nil, fmt.Errorf("cluster: a cluster (or part of one) is still running in %s; stop it first (go run ./cmd/cluster down -dir %s)", dir, dir)
	}
	// A port the kernel handed out can be taken by another program before
	// the process binds it; that start is retried once on fresh ports.
	for attempt := 1; ; attempt++ {
		c, err := startOnce(ctx, dir, o)
		if err == nil {
			return c, nil
		}
		if attempt == 2 || !strings.Contains(err.Error(), "address already in use") || ctx.Err() != nil {
			return nil, err
		}
		fmt.Fprintf(o.Progress, "cluster: a port was taken before its process bound it; starting again on new ports\n")
	}
}

func startOnce(ctx context.Context, dir string, o StartOptions) (*Cluster, error) {
	ports, err := allocatePorts()
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		layout:    layout{Dir: dir, BinDir: o.BinDir, Ports: ports},
		progress:  o.Progress,
		stopGrace: o.StopGrace,
	}
	c.state = state{Detached: o.Detached, BinDir: o.BinDir, Server: c.layout.server(), Ports: ports, Started: time.Now()}
	if err := c.start(ctx, o); err != nil {
		if stopErr := c.Stop(); stopErr != nil {
			err = errors.Join(err, stopErr)
		}
		return nil, fmt.Errorf("cluster in %s: %w", dir, err)
	}
	return c, nil
}

func (c *Cluster) start(ctx context.Context, o StartOptions) error {
	l := c.layout
	if err := l.prepareDirs(); err != nil {
		return err
	}
	t0 := c.state.Started
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	step := func(format string, args ...any) {
		fmt.Fprintf(c.progress, "cluster: %-45s %6.2fs\n", fmt.Sprintf(format, args...), time.Since(t0).Seconds())
	}
	p, client, err := c.writeCredentials(t0)
	if err != nil {
		return err
	}
	step("pki and kubeconfig written")
	if err := c.startStore(ctx, o, client); err != nil {
		return err
	}
	step("etcd healthy on %s; kube-apiserver ready on %s", l.etcdURL(l.Ports.EtcdClient), l.server())
	if err := c.startControllers(ctx, o, client); err != nil {
		return err
	}
	step("controller manager, scheduler, kwok started")
	if err := c.waitHealthy(ctx, p); err != nil {
		return err
	}
	step("controller manager and scheduler healthy")
	if err := c.waitUsable(ctx, client); err != nil {
		return err
	}
	step("usable: node %s Ready, default ServiceAccount exists", nodeName)
	return nil
}

// prepareDirs empties the cluster's own state directories.
func (l layout) prepareDirs() error {
	for _, d := range []string{"pki", "etcd", "logs"} {
		if err := os.RemoveAll(filepath.Join(l.Dir, d)); err != nil {
			return err
		}
	}
	for _, d := range []string{l.Dir, l.etcdData(), l.logDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// writeCredentials writes the PKI, the kubeconfig and the extra kwok
// stages, and returns the PKI and an admin client.
func (c *Cluster) writeCredentials(t0 time.Time) (*pki, kubernetes.Interface, error) {
	l := c.layout
	p, err := writePKI(filepath.Join(l.Dir, "pki"), t0)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: %w", err)
	}
	kc, err := kubeconfigBytes(l.server(), p.CACert, p.AdminCert, p.AdminKey)
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(l.kubeconfig(), kc, 0o600); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(l.extraStages(), extraStages, 0o644); err != nil {
		return nil, nil, err
	}
	if c.restConfig, err = restConfigFromKubeconfig(kc); err != nil {
		return nil, nil, err
	}
	client, err := kubernetes.NewForConfig(c.restConfig)
	return p, client, err
}

// startStore starts etcd and the API server and waits until both serve.
func (c *Cluster) startStore(ctx context.Context, o StartOptions, client kubernetes.Interface) error {
	l := c.layout
	etcd, err := c.run(nameEtcd, binEtcd, l.etcdArgs(), o.Detached)
	if err != nil {
		return err
	}
	if err := c.waitFor(ctx, "etcd /health", []*process{etcd}, func(ctx context.Context) error {
		return etcdHealthy(ctx, l.etcdURL(l.Ports.EtcdClient))
	}); err != nil {
		return err
	}
	if _, err := c.run(nameAPIServer, binAPIServer, l.apiserverArgs(), o.Detached); err != nil {
		return err
	}
	return c.waitFor(ctx, "kube-apiserver /readyz", c.procs, func(ctx context.Context) error {
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err != nil {
			return err
		}
		if string(body) != "ok" {
			return fmt.Errorf("readyz: %s", body)
		}
		return nil
	})
}

// startControllers starts the controller manager, the scheduler and kwok,
// and creates kwok's StorageClass and node.
func (c *Cluster) startControllers(ctx context.Context, o StartOptions, client kubernetes.Interface) error {
	l := c.layout
	for _, s := range []struct {
		name, bin string
		args      []string
	}{
		{nameController, binController, l.controllerManagerArgs()},
		{nameScheduler, binScheduler, l.schedulerArgs()},
		{nameKwok, binKwok, l.kwokArgs()},
	} {
		if _, err := c.run(s.name, s.bin, s.args, o.Detached); err != nil {
			return err
		}
	}
	if err := createStorageClass(ctx, client, l.bin(kwokStorageClassFile)); err != nil {
		return err
	}
	if _, err := client.CoreV1().Nodes().Create(ctx, kwokNode(), metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create node %s: %w", nodeName, err)
	}
	return nil
}

// waitHealthy waits for the controller manager's and scheduler's /healthz.
func (c *Cluster) waitHealthy(ctx context.Context, p *pki) error {
	tlsClient, err := componentClient(p.CACert)
	if err != nil {
		return err
	}
	for _, h := range []struct {
		name string
		port int
	}{{nameController, c.layout.Ports.ControllerManager}, {nameScheduler, c.layout.Ports.Scheduler}} {
		url := "https://127.0.0.1:" + strconv.Itoa(h.port) + "/healthz"
		if err := c.waitFor(ctx, h.name+" /healthz", c.procs, func(ctx context.Context) error {
			return getOK(ctx, tlsClient, url)
		}); err != nil {
			return err
		}
	}
	return nil
}

// waitUsable waits until pods can be created: the node is Ready and the
// default ServiceAccount exists.
func (c *Cluster) waitUsable(ctx context.Context, client kubernetes.Interface) error {
	if err := c.waitFor(ctx, "node "+nodeName+" Ready", c.procs, func(ctx context.Context) error {
		n, err := client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, cond := range n.Status.Conditions {
			if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
				return nil
			}
		}
		return errors.New("not Ready yet")
	}); err != nil {
		return err
	}
	return c.waitFor(ctx, "ServiceAccount default/default", c.procs, func(ctx context.Context) error {
		_, err := client.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err
	})
}

// run starts one program and records it in cluster.json at once, so a
// failed start can still be cleaned up by `down`.
func (c *Cluster) run(name, bin string, args []string, detached bool) (*process, error) {
	p, err := startProcess(name, c.layout.bin(bin), args, c.layout.log(name), detached)
	if err != nil {
		return nil, err
	}
	c.procs = append(c.procs, p)
	c.state.Processes = c.procs
	return p, c.writeState()
}

func (c *Cluster) writeState() error {
	b, err := json.MarshalIndent(c.state, "", "  ")
	if err != nil {
		return err
	}
	tmp := c.layout.statePath() + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, c.layout.statePath())
}

// waitFor polls check every 100ms until it succeeds, the context ends, or
// one of the watched processes exits (then its log says why).
func (c *Cluster) waitFor(ctx context.Context, what string, watch []*process, check func(context.Context) error) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		for _, p := range watch {
			if p.exited() {
				return fmt.Errorf("waiting for %s: %w", what, p.exitError())
			}
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		last = check(cctx)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("timed out waiting for %s (last error: %v); see the logs in %s", what, last, c.layout.logDir())
		case <-tick.C:
		}
	}
}

func etcdHealthy(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/health", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var h struct {
		Health string `json:"health"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return err
	}
	if h.Health != "true" {
		return fmt.Errorf("etcd health %q", h.Health)
	}
	return nil
}

// componentClient trusts only the cluster CA, which signed the controller
// manager's and scheduler's serving certificate.
func componentClient(caPEM []byte) (*http.Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("cluster CA: no certificate in PEM")
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}

func getOK(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// createStorageClass creates kwok's default StorageClass, so claims
// without a class (volumeClaimTemplates usually have none) get it from the
// DefaultStorageClass admission plugin and kwok's volume stages provision
// and bind them. Without it, StatefulSets with claims never schedule.
func createStorageClass(ctx context.Context, client kubernetes.Interface, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var sc storagev1.StorageClass
	if err := yaml.UnmarshalStrict(b, &sc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := client.StorageV1().StorageClasses().Create(ctx, &sc, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create StorageClass %s: %w", sc.Name, err)
	}
	return nil
}

// kwokNode is the one simulated node. kwok manages it (by the annotation)
// and makes it Ready; its capacity is large enough that no test is limited
// by it.
func kwokNode() *corev1.Node {
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
		// A real node reports its root filesystem; without it the scheduler
		// refuses every pod that requests ephemeral storage.
		corev1.ResourceEphemeralStorage: resource.MustParse("1Ti"),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: nodeName,
			Annotations: map[string]string{
				kwokNodeAnnotation:             "fake",
				"node.alpha.kubernetes.io/ttl": "0",
			},
			Labels: map[string]string{
				"kubernetes.io/arch":     "amd64",
				"kubernetes.io/os":       "linux",
				"kubernetes.io/hostname": nodeName,
				"type":                   "kwok",
			},
		},
		Spec: corev1.NodeSpec{PodCIDR: nodePodCIDR, PodCIDRs: []string{nodePodCIDR}},
		Status: corev1.NodeStatus{
			Capacity:    capacity,
			Allocatable: capacity,
			NodeInfo:    corev1.NodeSystemInfo{Architecture: "amd64", OperatingSystem: "linux"},
		},
	}
}

// Stop ends the cluster: the controller manager, scheduler and kwok
// together, then the apiserver, then etcd (an apiserver without etcd
// retries instead of exiting). Each gets SIGTERM, then SIGKILL after the
// grace period. The clients go first because the apiserver's graceful
// shutdown waits for their open watch connections: stopped first, it hung
// until SIGKILL after the 30 s grace. It is safe to call more than once.
// The directory (logs, PKI, etcd data) is left for the caller to keep or
// remove.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		byName := map[string]*process{}
		for _, p := range c.procs {
			byName[p.Name] = p
		}
		var errs []error
		stopAll := func(names ...string) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for _, n := range names {
				p := byName[n]
				if p == nil {
					continue
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					start := time.Now()
					how, err := p.stop(c.stopGrace)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
						return
					}
					if how != "" {
						fmt.Fprintf(c.progress, "cluster: %-24s stopped (%s) in %.2fs\n", p.Name, how, time.Since(start).Seconds())
					}
				}()
			}
			wg.Wait()
		}
		t0 := time.Now()
		stopAll(nameController, nameScheduler, nameKwok)
		stopAll(nameAPIServer)
		stopAll(nameEtcd)
		if len(errs) == 0 {
			_ = os.Remove(c.layout.statePath())
		}
		fmt.Fprintf(c.progress, "cluster: stopped in %.2fs\n", time.Since(t0).Seconds())
		c.stopErr = errors.Join(errs...)
	})
	return c.stopErr
}

// Open finds the cluster recorded in dir's cluster.json (for `down` and
// `status` of a detached cluster). Its processes may have ended; see
// Running.
func Open(dir string) (*Cluster, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	l := layout{Dir: dir}
	b, err := os.ReadFile(l.statePath())
	if err != nil {
		return nil, fmt.Errorf("no cluster recorded in %s: %w", dir, err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w; remove it if no cluster runs there", l.statePath(), err)
	}
	l.BinDir, l.Ports = st.BinDir, st.Ports
	c := &Cluster{layout: l, state: st, procs: st.Processes, progress: io.Discard, stopGrace: 30 * time.Second}
	if kc, err := os.ReadFile(l.kubeconfig()); err == nil {
		c.restConfig, _ = restConfigFromKubeconfig(kc)
	}
	return c, nil
}

// Down stops the cluster recorded in dir, reporting to progress. No
// recorded cluster is not an error: there is nothing to stop.
func Down(dir string, progress io.Writer) error {
	c, err := Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if progress != nil {
		c.progress = progress
	}
	return c.Stop()
}

// Running says whether every process of the cluster still runs.
func (c *Cluster) Running() bool {
	if len(c.procs) == 0 {
		return false
	}
	for _, p := range c.procs {
		if p.exited() {
			return false
		}
	}
	return true
}

// Processes are the cluster's programs and their PIDs, in start order.
func (c *Cluster) Processes() []Process {
	out := make([]Process, 0, len(c.procs))
	for _, p := range c.procs {
		out = append(out, Process{Name: p.Name, PID: p.PID})
	}
	return out
}

// Exited names the processes that have ended.
func (c *Cluster) Exited() []string {
	var out []string
	for _, p := range c.procs {
		if p.exited() {
			out = append(out, p.Name)
		}
	}
	return out
}

// Dir is the cluster's directory.
func (c *Cluster) Dir() string { return c.layout.Dir }

// LogDir holds one log per process (<name>.log).
func (c *Cluster) LogDir() string { return c.layout.logDir() }

// Kubeconfig is the path of the cluster's admin kubeconfig (credentials
// embedded, group system:masters).
func (c *Cluster) Kubeconfig() string { return c.layout.kubeconfig() }

// Server is the apiserver's URL.
func (c *Cluster) Server() string { return c.state.Server }

// Ports are the ports the cluster listens on (all on 127.0.0.1).
func (c *Cluster) Ports() Ports { return c.state.Ports }

// RESTConfig is a client-go config for the admin user; each call returns
// a copy the caller may change.
func (c *Cluster) RESTConfig() *rest.Config {
	if c.restConfig == nil {
		return nil
	}
	return rest.CopyConfig(c.restConfig)
}
