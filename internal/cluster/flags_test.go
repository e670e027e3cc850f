package cluster

import (
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testLayout() layout {
	return layout{Dir: "/c", BinDir: "/bin", Ports: Ports{EtcdClient: 10001, EtcdPeer: 10002, APIServer: 10003, ControllerManager: 10004, Scheduler: 10005}}
}

// flagValue is the value of --name in args, and whether it is there.
func flagValue(args []string, name string) (string, bool) {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
		if a == "--"+name {
			return "", true
		}
	}
	return "", false
}

func TestEveryListenerIsOnLoopback(t *testing.T) {
	l := testLayout()
	cases := map[string]struct {
		args      []string
		addresses []string // flags holding a bind address
		urls      []string // flags holding URLs to listen on
	}{
		"etcd listens for clients and peers on 127.0.0.1": {
			args: l.etcdArgs(), urls: []string{"listen-client-urls", "listen-peer-urls", "advertise-client-urls", "initial-advertise-peer-urls"},
		},
		"the apiserver binds and advertises 127.0.0.1": {
			args: l.apiserverArgs(), addresses: []string{"bind-address", "advertise-address"},
		},
		"the controller manager binds 127.0.0.1": {
			args: l.controllerManagerArgs(), addresses: []string{"bind-address"},
		},
		"the scheduler binds 127.0.0.1": {
			args: l.schedulerArgs(), addresses: []string{"bind-address"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, f := range tc.addresses {
				v, ok := flagValue(tc.args, f)
				require.True(t, ok, "--%s is set", f)
				assert.Equal(t, "127.0.0.1", v, "--%s", f)
			}
			for _, f := range tc.urls {
				v, ok := flagValue(tc.args, f)
				require.True(t, ok, "--%s is set", f)
				u, err := url.Parse(v)
				require.NoError(t, err)
				assert.Equal(t, "127.0.0.1", u.Hostname(), "--%s=%s", f, v)
			}
		})
	}
	t.Run("etcd opens no separate metrics listener", func(t *testing.T) {
		_, ok := flagValue(l.etcdArgs(), "listen-metrics-urls")
		assert.False(t, ok)
	})
	t.Run("kwok opens no server", func(t *testing.T) {
		v, _ := flagValue(l.kwokArgs(), "node-port")
		assert.Equal(t, "0", v)
		_, ok := flagValue(l.kwokArgs(), "server-address")
		assert.False(t, ok)
	})
}

func TestFlagsCarryTheRecipesFixes(t *testing.T) {
	l := testLayout()
	cases := map[string]struct {
		args  []string
		flag  string
		value string
	}{
		"the apiserver skips the endpoint reconciler, which refuses a loopback address":           {l.apiserverArgs(), "endpoint-reconciler-type", "none"},
		"the apiserver has a front-proxy CA, so the components' auth delegation finds its bundle": {l.apiserverArgs(), "requestheader-client-ca-file", "/c/pki/front-proxy-ca.crt"},
		"the apiserver signs service-account tokens with the cluster's key":                       {l.apiserverArgs(), "service-account-signing-key-file", "/c/pki/sa.key"},
		"the controller manager runs every controller but node IPAM":                              {l.controllerManagerArgs(), "controllers", "*,-nodeipam"},
		"the controller manager does not wait for a leader election":                              {l.controllerManagerArgs(), "leader-elect", "false"},
		"the scheduler does not wait for a leader election":                                       {l.schedulerArgs(), "leader-elect", "false"},
		"kwok loads the stages copied next to its binary":                                         {l.kwokArgs(), "config", "/bin/kwok-stages.yaml"},
		"kwok manages the annotated node":                                                         {l.kwokArgs(), "manage-nodes-with-annotation-selector", "kwok.x-k8s.io/node=fake"},
		"etcd skips fsync for a throwaway data dir":                                               {l.etcdArgs(), "unsafe-no-fsync", ""},
		"the apiserver talks to etcd on its client port":                                          {l.apiserverArgs(), "etcd-servers", "http://127.0.0.1:10001"},
		"the controller manager serves on its own port":                                           {l.controllerManagerArgs(), "secure-port", "10004"},
		"the scheduler serves on its own port":                                                    {l.schedulerArgs(), "secure-port", "10005"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v, ok := flagValue(tc.args, tc.flag)
			require.True(t, ok, "--%s is set", tc.flag)
			assert.Equal(t, tc.value, v)
		})
	}
}

func TestEveryFileAFlagNamesIsInsideTheClusterOrBinDirectory(t *testing.T) {
	l := testLayout()
	for _, args := range [][]string{l.etcdArgs(), l.apiserverArgs(), l.controllerManagerArgs(), l.schedulerArgs(), l.kwokArgs()} {
		for _, a := range args {
			_, v, ok := strings.Cut(a, "=")
			if !ok || !filepath.IsAbs(v) {
				continue
			}
			assert.True(t, strings.HasPrefix(v, "/c/") || strings.HasPrefix(v, "/bin/"), "%s points outside the cluster", a)
		}
	}
}

func TestFreePortsAreDistinctAndBindableOnLoopback(t *testing.T) {
	ports, err := freePorts(8)
	require.NoError(t, err)
	seen := map[int]bool{}
	for _, p := range ports {
		assert.False(t, seen[p], "port %d handed out twice", p)
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		require.NoError(t, err, "port %d is free again after allocation", p)
		l.Close()
	}
	all, err := allocatePorts()
	require.NoError(t, err)
	assert.Len(t, map[int]bool{all.EtcdClient: true, all.EtcdPeer: true, all.APIServer: true, all.ControllerManager: true, all.Scheduler: true}, 5)
}

func TestLockFileExcludesASecondHolderUntilReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := lockFile(path)
	require.NoError(t, err)
	got := make(chan struct{})
	go func() {
		unlock2, err := lockFile(path)
		if err == nil {
			unlock2()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a second caller took the lock while it was held")
	case <-time.After(200 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the lock was not handed over after release")
	}
}
