package cluster

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
)

// Ports are the TCP ports of every listener the cluster opens, all on
// 127.0.0.1. etcd's metrics are served on its client port (no
// --listen-metrics-urls) and kwok serves nothing (no --server-address and
// --node-port 0), so these are all of them.
type Ports struct {
	EtcdClient        int `json:"etcdClient"`
	EtcdPeer          int `json:"etcdPeer"`
	APIServer         int `json:"apiServer"`
	ControllerManager int `json:"controllerManager"`
	Scheduler         int `json:"scheduler"`
}

// loopback is the only address anything listens on.
const loopback = "127.0.0.1"

// freePorts asks the kernel for n distinct free ports on 127.0.0.1. All
// listeners stay open until the last is taken, so the ports differ; they
// are closed before the processes bind them, which leaves a short window in
// which another program could take one (the process then fails to start
// with "address already in use" in its log).
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", net.JoinHostPort(loopback, "0"))
		if err != nil {
			return nil, fmt.Errorf("find a free port on %s: %w", loopback, err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func allocatePorts() (Ports, error) {
	p, err := freePorts(5)
	if err != nil {
		return Ports{}, err
	}
	return Ports{EtcdClient: p[0], EtcdPeer: p[1], APIServer: p[2], ControllerManager: p[3], Scheduler: p[4]}, nil
}

// The fixed parts of the cluster's network and its one simulated node.
const (
	serviceCIDR = "10.0.0.0/24"
	podCIDR     = "10.244.0.0/16"
	nodePodCIDR = "10.244.0.0/24"
	// nodeIP is from TEST-NET-1 (RFC 5737): it is never routed, and nothing
	// listens on it; kwok only writes it into the node's status.
	nodeIP   = "192.0.2.1"
	nodeName = "kwok-node-0"
	// kwokNodeAnnotation marks the nodes kwok manages.
	kwokNodeAnnotation = "kwok.x-k8s.io/node"
	// serviceAccountIssuer is the in-cluster issuer kubeadm also uses.
	serviceAccountIssuer = "https://kubernetes.default.svc.cluster.local"
)

// layout is where one cluster's files are and which ports it uses; the
// command lines are built from it alone, so they can be tested without
// starting anything.
type layout struct {
	Dir    string
	BinDir string
	Ports  Ports
}

func (l layout) pki(name string) string { return filepath.Join(l.Dir, "pki", name) }
func (l layout) kubeconfig() string     { return filepath.Join(l.Dir, "kubeconfig") }
func (l layout) extraStages() string    { return filepath.Join(l.Dir, "stages.yaml") }
func (l layout) etcdData() string       { return filepath.Join(l.Dir, "etcd") }
func (l layout) logDir() string         { return filepath.Join(l.Dir, "logs") }
func (l layout) statePath() string      { return filepath.Join(l.Dir, stateFile) }
func (l layout) bin(name string) string { return filepath.Join(l.BinDir, name) }
func (l layout) log(name string) string { return filepath.Join(l.logDir(), name+".log") }
func (l layout) etcdURL(port int) string {
	return "http://" + net.JoinHostPort(loopback, strconv.Itoa(port))
}

// server is the apiserver's URL.
func (l layout) server() string {
	return "https://" + net.JoinHostPort(loopback, strconv.Itoa(l.Ports.APIServer))
}

// etcdArgs: plain HTTP, as etcd is reachable from 127.0.0.1 only and holds
// throwaway data; no fsync, which makes writes ~10x faster on a shared disk
// at the price of data a crash may lose, which a test cluster never reuses.
func (l layout) etcdArgs() []string {
	client, peer := l.etcdURL(l.Ports.EtcdClient), l.etcdURL(l.Ports.EtcdPeer)
	return []string{
		"--name=local",
		"--data-dir=" + l.etcdData(),
		"--listen-client-urls=" + client,
		"--advertise-client-urls=" + client,
		"--listen-peer-urls=" + peer,
		"--initial-advertise-peer-urls=" + peer,
		"--initial-cluster=local=" + peer,
		"--unsafe-no-fsync",
		"--quota-backend-bytes=1073741824",
	}
}

// apiserverArgs. --endpoint-reconciler-type=none: the default reconciler
// refuses a loopback advertise address ("may not be in the loopback
// range") and exits. The front-proxy CA and --requestheader-* flags fill
// the extension-apiserver-authentication ConfigMap; without them the
// controller manager and scheduler log "missing content for CA bundle"
// over and over.
func (l layout) apiserverArgs() []string {
	return []string{
		"--etcd-servers=" + l.etcdURL(l.Ports.EtcdClient),
		"--bind-address=" + loopback,
		"--advertise-address=" + loopback,
		"--secure-port=" + strconv.Itoa(l.Ports.APIServer),
		"--endpoint-reconciler-type=none",
		"--tls-cert-file=" + l.pki(apiserverCert),
		"--tls-private-key-file=" + l.pki(apiserverKey),
		"--client-ca-file=" + l.pki(caCert),
		"--service-account-issuer=" + serviceAccountIssuer,
		"--service-account-key-file=" + l.pki(saPub),
		"--service-account-signing-key-file=" + l.pki(saKey),
		"--service-cluster-ip-range=" + serviceCIDR,
		"--authorization-mode=Node,RBAC",
		"--allow-privileged=true",
		"--profiling=false",
		"--requestheader-client-ca-file=" + l.pki(frontProxyCACert),
		"--requestheader-allowed-names=front-proxy-client",
		"--requestheader-username-headers=X-Remote-User",
		"--requestheader-group-headers=X-Remote-Group",
		"--requestheader-extra-headers-prefix=X-Remote-Extra-",
		"--proxy-client-cert-file=" + l.pki(frontProxyCert),
		"--proxy-client-key-file=" + l.pki(frontProxyClientKey),
	}
}

// componentArgs are what the controller manager and scheduler share: the
// admin kubeconfig for talking to and delegating auth to the apiserver, a
// loopback secure port with a certificate from the cluster CA, and no
// leader election (there is one instance, and the election only delays
// its start).
func (l layout) componentArgs(port int) []string {
	kc := l.kubeconfig()
	return []string{
		"--kubeconfig=" + kc,
		"--authentication-kubeconfig=" + kc,
		"--authorization-kubeconfig=" + kc,
		"--bind-address=" + loopback,
		"--secure-port=" + strconv.Itoa(port),
		"--tls-cert-file=" + l.pki(componentsCert),
		"--tls-private-key-file=" + l.pki(componentsKey),
		"--leader-elect=false",
		"--profiling=false",
	}
}

// controllerManagerArgs. nodeipam is off: the kwok node has a fixed
// podCIDR and there is no cluster CIDR to allocate from. The flex-volume
// directory defaults to /usr/libexec/kubernetes/kubelet-plugins/volume/exec,
// which the controller manager creates: it is moved into the cluster's
// directory so nothing is written outside it. The API rate limit is raised
// from 20 QPS: with one service account per controller, the default
// throttles its start to ~5 s before the ServiceAccount controller runs.
func (l layout) controllerManagerArgs() []string {
	return append(l.componentArgs(l.Ports.ControllerManager),
		"--flex-volume-plugin-dir="+filepath.Join(l.Dir, "flexvolume"),
		"--kube-api-qps=200",
		"--kube-api-burst=400",
		"--service-account-private-key-file="+l.pki(saKey),
		"--root-ca-file="+l.pki(caCert),
		"--use-service-account-credentials=true",
		"--cluster-signing-cert-file="+l.pki(caCert),
		"--cluster-signing-key-file="+l.pki(caKey),
		"--service-cluster-ip-range="+serviceCIDR,
		"--controllers=*,-nodeipam",
	)
}

func (l layout) schedulerArgs() []string { return l.componentArgs(l.Ports.Scheduler) }

// kwokArgs. kwok opens no port of its own: --node-port=0 and no
// --server-address leave its kubelet-like server off. It renews the
// node's Lease, so the node stays Ready.
func (l layout) kwokArgs() []string {
	return []string{
		"--kubeconfig=" + l.kubeconfig(),
		"--config=" + l.bin(kwokStagesFile),
		"--config=" + l.extraStages(),
		"--manage-nodes-with-annotation-selector=" + kwokNodeAnnotation + "=fake",
		"--node-lease-duration-seconds=40",
		"--node-port=0",
		"--cidr=" + podCIDR,
		"--node-ip=" + nodeIP,
	}
}
