package cluster

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/keyutil"
)

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	block, _ := pem.Decode(b)
	require.NotNil(t, block, path)
	c, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return c
}

func TestPKI(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	p, err := writePKI(dir, now)
	require.NoError(t, err)
	roots := func(ca string) x509.VerifyOptions {
		pool := x509.NewCertPool()
		pool.AddCert(readCert(t, filepath.Join(dir, ca)))
		return x509.VerifyOptions{Roots: pool, CurrentTime: now}
	}

	t.Run("the apiserver certificate is valid for 127.0.0.1 and the in-cluster names", func(t *testing.T) {
		cert := readCert(t, filepath.Join(dir, apiserverCert))
		for _, host := range []string{"127.0.0.1", "10.0.0.1", "localhost", "kubernetes.default.svc.cluster.local"} {
			o := roots(caCert)
			o.DNSName = host
			_, err := cert.Verify(o)
			assert.NoError(t, err, host)
		}
	})
	t.Run("the controller manager and scheduler serve a certificate from the cluster CA", func(t *testing.T) {
		o := roots(caCert)
		o.DNSName = "127.0.0.1"
		_, err := readCert(t, filepath.Join(dir, componentsCert)).Verify(o)
		assert.NoError(t, err)
	})
	t.Run("the admin client is in system:masters", func(t *testing.T) {
		cert := readCert(t, filepath.Join(dir, adminCert))
		o := roots(caCert)
		o.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		_, err := cert.Verify(o)
		require.NoError(t, err)
		assert.Equal(t, []string{"system:masters"}, cert.Subject.Organization)
	})
	t.Run("the front-proxy client is signed by the front-proxy CA, not the cluster CA", func(t *testing.T) {
		cert := readCert(t, filepath.Join(dir, frontProxyCert))
		o := roots(frontProxyCACert)
		o.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		_, err := cert.Verify(o)
		require.NoError(t, err)
		assert.Equal(t, "front-proxy-client", cert.Subject.CommonName)
		o = roots(caCert)
		o.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		_, err = cert.Verify(o)
		assert.Error(t, err)
	})
	t.Run("every key parses the way the components parse keys", func(t *testing.T) {
		for _, k := range []string{caKey, apiserverKey, componentsKey, adminKey, saKey, frontProxyCAKey, frontProxyClientKey} {
			_, err := keyutil.PrivateKeyFromFile(filepath.Join(dir, k))
			assert.NoError(t, err, k)
		}
		pubs, err := keyutil.PublicKeysFromFile(filepath.Join(dir, saPub))
		require.NoError(t, err)
		assert.Len(t, pubs, 1)
	})
	t.Run("keys are readable by the owner only", func(t *testing.T) {
		fi, err := os.Stat(filepath.Join(dir, caKey))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	})
	t.Run("the admin credentials returned are the ones written", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, adminCert))
		require.NoError(t, err)
		assert.Equal(t, b, p.AdminCert)
	})
}

func TestKubeconfigEmbedsTheCredentialsAndPointsAtTheServer(t *testing.T) {
	p, err := writePKI(t.TempDir(), time.Now())
	require.NoError(t, err)
	b, err := kubeconfigBytes("https://127.0.0.1:6443", p.CACert, p.AdminCert, p.AdminKey)
	require.NoError(t, err)
	cfg, err := clientcmd.Load(b)
	require.NoError(t, err)
	require.NoError(t, clientcmd.Validate(*cfg))
	assert.Equal(t, contextName, cfg.CurrentContext)
	cl := cfg.Clusters[contextName]
	assert.Equal(t, "https://127.0.0.1:6443", cl.Server)
	assert.Equal(t, p.CACert, cl.CertificateAuthorityData)
	assert.Empty(t, cl.CertificateAuthority, "no file paths: the kubeconfig works when copied")
	assert.Equal(t, p.AdminKey, cfg.AuthInfos[contextName].ClientKeyData)

	rc, err := restConfigFromKubeconfig(b)
	require.NoError(t, err)
	assert.Equal(t, "https://127.0.0.1:6443", rc.Host)
	assert.Greater(t, rc.QPS, float32(5), "tests are not throttled at client-go's default 5 QPS")
}
