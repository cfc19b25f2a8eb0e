package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan/scantest"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
)

// TestDiscoverScanRecordsWhatTheNetworkShows scans three loopback endpoints (a TLS server with
// a certificate the ledger never issued, a closed port, a plain-text server) and one serving a
// certificate the ledger issued; then scans again, which changes nothing.
func TestDiscoverScanRecordsWhatTheNetworkShows(t *testing.T) {
	l := clienttest.Start(t)
	caID := pkiSetup(t, l)
	admin := clienttest.AdminToken

	shadow := scantest.NewChain(t, "shadow.example.com")
	tlsLn := scantest.Listen(t, "127.0.0.1:0")
	scantest.ServeTLS(t, tlsLn, &tls.Config{Certificates: []tls.Certificate{shadow.TLS}})
	plain := scantest.Listen(t, "127.0.0.1:0")
	scantest.ServeRaw(t, plain, func(c net.Conn) { _, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\n")) })

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csrDER, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames: []string{"www.example.com"}}, key)
	require.NoError(t, err)
	csrPath := filepath.Join(t.TempDir(), "www.csr")
	require.NoError(t, os.WriteFile(csrPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csrDER}), 0o600))
	code, out, errOut := ctl(t, l, admin, "cert", "request", "--ca", caID, "--profile", "web", "--csr", csrPath,
		"--team", "web", "--validity-days", "30")
	require.Equal(t, exitOK, code, errOut)
	dir := t.TempDir()
	leafFile := filepath.Join(dir, "leaf.pem")
	code, _, errOut = ctl(t, l, admin, "cert", "download", fieldOf(t, out, "ID"), "--format", "pem", "--out", leafFile)
	require.Equal(t, exitOK, code, errOut)
	leafPEM, err := os.ReadFile(leafFile)
	require.NoError(t, err)
	block, _ := pem.Decode(leafPEM)
	managedLn := scantest.Listen(t, "127.0.0.1:0")
	scantest.ServeTLS(t, managedLn, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{block.Bytes}, PrivateKey: key}}})

	args := []string{"discover", "scan", "--scope", "lab", "--target", tlsLn.Addr().String(), "--target", scantest.ClosedPort(t),
		"--target", plain.Addr().String(), "--target", managedLn.Addr().String(), "--connect-timeout", "2"}
	code, out, errOut = ctl(t, l, admin, args...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "2", fieldOf(t, out, "New certificates"))
	assert.Equal(t, "4", fieldOf(t, out, "Changed endpoints"))
	assert.Regexp(t, `(?m)^refused\s+1$`, out)
	assert.Regexp(t, `(?m)^not_tls\s+1$`, out)
	assert.Regexp(t, `(?m)^ok\s+2$`, out)

	code, out, errOut = ctl(t, l, admin, args...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "0", fieldOf(t, out, "New certificates"), "a rescan finds nothing new")
	assert.Equal(t, "0", fieldOf(t, out, "Changed endpoints"))

	require.Eventually(t, func() bool {
		list := jsonOf(t, l, admin, "discover", "list", "--classification", "shadow")
		items := list["items"].([]any)
		return len(items) == 1 && items[0].(map[string]any)["fingerprint"] == domain.Fingerprint(shadow.Leaf.Raw)
	}, 10*time.Second, 50*time.Millisecond, "the shadow certificate is listed as shadow")
	require.Eventually(t, func() bool { // once the inventory has the ledger's own certificate
		managed := jsonOf(t, l, admin, "discover", "list", "--classification", "managed")["items"].([]any)
		return len(managed) == 1 && managed[0].(map[string]any)["fingerprint"] == domain.Fingerprint(block.Bytes)
	}, 10*time.Second, 50*time.Millisecond, "the certificate the ledger issued is managed")

	code, _, errOut = ctl(t, l, clienttest.DevOpsToken, "discover", "list")
	assert.Equal(t, exitRefused, code, "DEVOPS reads no discovered certificates: %s", errOut)
	code, _, _ = ctl(t, l, admin, "discover", "scan", "--scope", "lab")
	assert.Equal(t, exitFailure, code, "no target is a usage error")
}
