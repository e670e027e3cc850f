package cluster

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// The PKI files under <Dir>/pki.
const (
	caCert              = "ca.crt"
	caKey               = "ca.key"
	apiserverCert       = "apiserver.crt"
	apiserverKey        = "apiserver.key"
	componentsCert      = "components.crt" // serving cert of the controller manager and scheduler
	componentsKey       = "components.key"
	adminCert           = "admin.crt"
	adminKey            = "admin.key"
	saKey               = "sa.key"
	saPub               = "sa.pub"
	frontProxyCACert    = "front-proxy-ca.crt"
	frontProxyCAKey     = "front-proxy-ca.key"
	frontProxyCert      = "front-proxy-client.crt"
	frontProxyClientKey = "front-proxy-client.key"
)

// serviceIP is the first address of the service range: the in-cluster
// "kubernetes" Service, which the apiserver's certificate must name.
var serviceIP = net.IPv4(10, 0, 0, 1)

// pki is what the cluster's certificates are made of. ECDSA P-256 keys:
// generated in microseconds (RSA 2048 takes ~100 ms each) and accepted by
// every component, also for service-account tokens (ES256).
type pki struct {
	dir string
	// AdminCert and AdminKey are the PEM client credentials of
	// kubernetes-admin (group system:masters); CACert is the PEM of the
	// cluster CA.
	CACert, AdminCert, AdminKey []byte
}

// writePKI creates every certificate and key the control plane needs in
// dir, replacing any there (a cluster starts from a fresh PKI and an empty
// etcd). Nothing is shelled out: no openssl on the machine is needed.
func writePKI(dir string, now time.Time) (*pki, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &pki{dir: dir}
	ca, caSigner, err := newCA("klearkarma-local-ca", now)
	if err != nil {
		return nil, err
	}
	fpCA, fpSigner, err := newCA("klearkarma-local-front-proxy-ca", now)
	if err != nil {
		return nil, err
	}
	loopback := []net.IP{net.IPv4(127, 0, 0, 1)}
	leaves := []struct {
		cert, key string
		tmpl      *x509.Certificate
		parent    *x509.Certificate
		signer    crypto.Signer
	}{
		{apiserverCert, apiserverKey, &x509.Certificate{
			Subject:     pkix.Name{CommonName: "kube-apiserver"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			IPAddresses: append(loopback, serviceIP),
			DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		}, ca, caSigner},
		{componentsCert, componentsKey, &x509.Certificate{
			Subject:     pkix.Name{CommonName: "kube-components"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			IPAddresses: loopback,
			DNSNames:    []string{"localhost"},
		}, ca, caSigner},
		{adminCert, adminKey, &x509.Certificate{
			Subject:     pkix.Name{CommonName: "kubernetes-admin", Organization: []string{"system:masters"}},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}, ca, caSigner},
		{frontProxyCert, frontProxyClientKey, &x509.Certificate{
			Subject:     pkix.Name{CommonName: "front-proxy-client"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}, fpCA, fpSigner},
	}
	files := map[string][]byte{}
	if files[caCert], files[caKey], err = encode(ca, caSigner); err != nil {
		return nil, err
	}
	if files[frontProxyCACert], files[frontProxyCAKey], err = encode(fpCA, fpSigner); err != nil {
		return nil, err
	}
	for _, l := range leaves {
		cert, key, err := newLeaf(l.tmpl, l.parent, l.signer, now)
		if err != nil {
			return nil, fmt.Errorf("certificate %s: %w", l.cert, err)
		}
		if files[l.cert], files[l.key], err = encode(cert, key); err != nil {
			return nil, err
		}
	}
	// The service-account token signing key pair.
	sa, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if files[saKey], err = encodeKey(sa); err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(sa.Public())
	if err != nil {
		return nil, err
	}
	files[saPub] = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	p.CACert, p.AdminCert, p.AdminKey = files[caCert], files[adminCert], files[adminKey]
	return p, nil
}

func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

func newCA(name string, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             now.Add(-time.Hour), // tolerate clock skew between components
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, fmt.Errorf("CA %s: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func newLeaf(tmpl, parent *x509.Certificate, parentKey crypto.Signer, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if tmpl.SerialNumber, err = serial(); err != nil {
		return nil, nil, err
	}
	tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Hour), now.AddDate(1, 0, 0)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.BasicConstraintsValid = true
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func encode(cert *x509.Certificate, key crypto.Signer) (certPEM, keyPEM []byte, err error) {
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	keyPEM, err = encodeKey(key)
	return certPEM, keyPEM, err
}

func encodeKey(key crypto.Signer) ([]byte, error) {
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("unexpected key type %T", key)
	}
	der, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}
