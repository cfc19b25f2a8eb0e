package tlsscan_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan"
	"github.com/certledger/certledger/adapters/tlsscan/scantest"
)

// TestScanOpenSSLServer scans a real TLS server, openssl s_server, serving a leaf and its CA
// over TLS 1.2 only.
func TestScanOpenSSLServer(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	require.NoError(t, err, "openssl is installed by `go tool task deps`")
	chain := scantest.NewChain(t, "openssl.example.com")
	dir := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(chain.TLS.PrivateKey)
	require.NoError(t, err)
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return path
	}
	addr := scantest.ClosedPort(t)
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithCancel(context.Background())
	server := exec.CommandContext(ctx, openssl, "s_server", "-quiet", "-accept", "127.0.0.1:"+port, "-tls1_2",
		"-cert", write("leaf.pem", "CERTIFICATE", chain.Leaf.Raw), "-key", write("key.pem", "PRIVATE KEY", keyDER),
		"-cert_chain", write("ca.pem", "CERTIFICATE", chain.CA.Raw))
	server.Stdin = nil
	require.NoError(t, server.Start())
	t.Cleanup(func() { cancel(); _ = server.Wait() })
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	}, 10*time.Second, 20*time.Millisecond, "openssl s_server listens")

	r := scanOne(t, tlsscan.Target{Address: addr, ServerName: "openssl.example.com"})
	require.Equal(t, tlsscan.OK, r.Outcome, "%v", r.Err)
	assert.Equal(t, [][]byte{chain.Leaf.Raw, chain.CA.Raw}, r.Chain)
	assert.Equal(t, "TLS 1.2", r.VersionName())
}
