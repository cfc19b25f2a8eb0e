package e2e_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
)

// TestClientCertificatesOnTheTLSListener issues an agent a client certificate through the API,
// then has the agent call the TLS listener with it: it is DEVOPS of its certificate's team,
// until the certificate is revoked. TLS 1.2 is refused.
func TestClientCertificatesOnTheTLSListener(t *testing.T) {
	dir := t.TempDir()
	serverPool := serverCertificate(t, dir)
	tlsAddr := testutil.FreeAddr(t)
	l := startLedgerd(t, "LEDGER_TLS_ADDR="+tlsAddr, "LEDGER_TLS_CERT_FILE="+filepath.Join(dir, "server.pem"),
		"LEDGER_TLS_KEY_FILE="+filepath.Join(dir, "server.key"))
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Agents", "common_name": "Agents CA", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "agents", "allowed_domains": []string{"agents.example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 30, "key_usages": []string{"digitalSignature"},
		"ext_key_usages": []string{"clientAuth"}, "require_cn_in_sans": true}, http.StatusCreated)

	key := testutil.ECKey(t)
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "agent-1.agents.example.com"}, DNSNames: []string{"agent-1.agents.example.com"}}, key)
	require.NoError(t, err)
	cert := l.post(t, "/api/v1/certificates", map[string]any{"ca_id": ca["id"], "profile": "agents", "team": "payments", "validity_days": 30,
		"csr": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr}))}, http.StatusCreated)
	block, _ := pem.Decode([]byte(cert["certificate"].(string)))
	require.NotNil(t, block)
	agent := tls.Certificate{Certificate: [][]byte{block.Bytes}, PrivateKey: key}

	me := func(client *http.Client) (int, map[string]any) {
		resp, err := client.Get("https://" + tlsAddr + "/api/v1/me")
		if err != nil {
			return 0, map[string]any{"error": err.Error()} // a handshake the listener refused
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		return resp.StatusCode, out
	}
	withCert := tlsClient(serverPool, &agent, tls.VersionTLS13)
	require.Eventually(t, func() bool { status, _ := me(withCert); return status == http.StatusOK },
		10*time.Second, 50*time.Millisecond, "the agent's certificate authenticates once the read model has it")
	_, who := me(withCert)
	assert.Equal(t, "mtls:agent-1.agents.example.com", who["subject"])
	assert.Equal(t, []any{"DEVOPS"}, who["roles"])
	assert.Equal(t, "payments", who["team"])

	status, _ := me(tlsClient(serverPool, nil, tls.VersionTLS13))
	assert.Equal(t, http.StatusUnauthorized, status, "no certificate and no token")
	_, err = tlsClient(serverPool, &agent, tls.VersionTLS12).Get("https://" + tlsAddr + "/healthz")
	assert.Error(t, err, "TLS 1.2 is refused")

	l.post(t, "/api/v1/certificates/"+cert["id"].(string)+"/revoke", map[string]any{"reason": "keyCompromise"}, http.StatusOK)
	require.Eventually(t, func() bool { status, _ := me(withCert); return status == http.StatusUnauthorized },
		10*time.Second, 50*time.Millisecond, "a revoked certificate no longer authenticates")
}

// tlsClient is an HTTPS client trusting roots, presenting cert (if any), speaking TLS up to max.
func tlsClient(roots *x509.CertPool, cert *tls.Certificate, maxVersion uint16) *http.Client {
	cfg := &tls.Config{RootCAs: roots, MaxVersion: maxVersion}
	if cert != nil {
		// Always present the certificate, as curl does, whatever CAs the server names.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}

// serverCertificate writes a self-signed certificate for 127.0.0.1 and its key into dir as
// server.pem and server.key, and returns a pool that trusts it.
func serverCertificate(t testing.TB, dir string) *x509.CertPool {
	t.Helper()
	key := testutil.ECKey(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ledger.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	cert := testutil.Certificate(t, tmpl, tmpl, &key.PublicKey, key)
	testutil.WritePEM(t, filepath.Join(dir, "server.pem"), cert)
	writeKey(t, filepath.Join(dir, "server.key"), key)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

func writeKey(t testing.TB, path string, key *ecdsa.PrivateKey) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
}
