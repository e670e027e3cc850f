package cluster_test

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A socket is one listening (TCP) or bound (UDP) socket of a process.
type socket struct {
	Proto string
	Addr  netip.AddrPort
}

// socketInodes are the inodes of the sockets pid holds open.
func socketInodes(pid int) (map[string]bool, error) {
	fdDir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return nil, err
	}
	inodes := map[string]bool{}
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err != nil {
			continue // closed since ReadDir
		}
		if ino, ok := strings.CutPrefix(target, "socket:["); ok {
			inodes[strings.TrimSuffix(ino, "]")] = true
		}
	}
	return inodes, nil
}

// listeningSockets are pid's TCP sockets in LISTEN state and its bound UDP
// sockets, from /proc/<pid>/net/{tcp,tcp6,udp,udp6} (the process's network
// namespace) matched by inode against its file descriptors.
func listeningSockets(pid int) ([]socket, error) {
	inodes, err := socketInodes(pid)
	if err != nil {
		return nil, err
	}
	var out []socket
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "net", proto))
		if err != nil {
			return nil, err
		}
		socks, err := parseProcNet(proto, f, inodes)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, socks...)
	}
	return out, nil
}

// parseProcNet reads a /proc/net/{tcp,udp}[6] table and returns the
// listening TCP (state 0A) and unconnected UDP (state 07) sockets whose
// inode is in inodes.
func parseProcNet(proto string, f *os.File, inodes map[string]bool) ([]socket, error) {
	var out []socket
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || !inodes[fields[9]] {
			continue
		}
		listening := (strings.HasPrefix(proto, "tcp") && fields[3] == "0A") || (strings.HasPrefix(proto, "udp") && fields[3] == "07")
		if !listening {
			continue
		}
		addr, err := parseHexAddrPort(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", proto, err)
		}
		out = append(out, socket{Proto: proto, Addr: addr})
	}
	return out, sc.Err()
}

// parseHexAddrPort parses /proc/net's "0100007F:1F90": the address as
// 32-bit words in host (little-endian) byte order, the port big-endian.
func parseHexAddrPort(s string) (netip.AddrPort, error) {
	hexAddr, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return netip.AddrPort{}, fmt.Errorf("malformed address %q", s)
	}
	raw, err := hex.DecodeString(hexAddr)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, fmt.Errorf("malformed address %q", s)
	}
	for i := 0; i < len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("malformed port %q", s)
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)), nil
}

func TestParseHexAddrPort(t *testing.T) {
	cases := map[string]struct {
		in, want string
	}{
		"IPv4 loopback":          {"0100007F:1F90", "127.0.0.1:8080"},
		"IPv4 any":               {"00000000:0050", "0.0.0.0:80"},
		"IPv6 loopback":          {"00000000000000000000000001000000:0050", "[::1]:80"},
		"IPv4-mapped IPv6":       {"0000000000000000FFFF00000100007F:0050", "127.0.0.1:80"},
		"IPv6 any (all zeroes)":  {"00000000000000000000000000000000:01BB", "[::]:443"},
		"another IPv4 in net 10": {"0100000A:0035", "10.0.0.1:53"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := parseHexAddrPort(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.String())
		})
	}
	_, err := parseHexAddrPort("zz:1")
	assert.Error(t, err)
}

// A listener of this test binary is found by inode and read back as what
// it is bound to.
func TestListeningSocketsFindsThisProcesssListener(t *testing.T) {
	l, err := netListenLoopback()
	require.NoError(t, err)
	defer l.Close()
	socks, err := listeningSockets(os.Getpid())
	require.NoError(t, err)
	assert.Contains(t, socks, socket{Proto: "tcp", Addr: netip.MustParseAddrPort(l.Addr().String())})
}
