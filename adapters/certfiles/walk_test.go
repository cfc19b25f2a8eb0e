package certfiles_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/certfiles"
	"github.com/certledger/certledger/adapters/tlsscan/scantest"
)

// tool runs a real tool (openssl, keytool) in dir and fails the test with its output.
func tool(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	path, err := exec.LookPath(name)
	require.NoError(t, err, "%s is needed (openssl: `go tool task deps`; keytool: Java)", name)
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
}

func writePEM(t *testing.T, path, typ string, ders ...[]byte) {
	t.Helper()
	var out []byte
	for _, der := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})...)
	}
	require.NoError(t, os.WriteFile(path, out, 0o600))
}

// TestWalkFindsEveryFormatRealToolsWrite walks a root holding the same chain as PEM, DER,
// PKCS#7, PKCS#12 and JKS written by openssl and keytool, next to files that must be refused
// or skipped.
func TestWalkFindsEveryFormatRealToolsWrite(t *testing.T) {
	chain := scantest.NewChain(t, "files.example.com")
	root, outside := t.TempDir(), t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(chain.TLS.PrivateKey)
	require.NoError(t, err)
	writePEM(t, filepath.Join(outside, "key.pem"), "PRIVATE KEY", keyDER)
	writePEM(t, filepath.Join(root, "chain.pem"), "CERTIFICATE", chain.Leaf.Raw, chain.CA.Raw)
	writePEM(t, filepath.Join(outside, "ca.pem"), "CERTIFICATE", chain.CA.Raw)
	require.NoError(t, os.WriteFile(filepath.Join(root, "leaf.der"), chain.Leaf.Raw, 0o600))
	tool(t, root, "openssl", "crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-outform", "DER", "-out", "bundle.p7b")
	tool(t, root, "openssl", "pkcs12", "-export", "-inkey", filepath.Join(outside, "key.pem"), "-in", "chain.pem",
		"-passout", "pass:changeit", "-out", "store.p12")
	tool(t, root, "openssl", "pkcs12", "-export", "-inkey", filepath.Join(outside, "key.pem"), "-in", "chain.pem",
		"-passout", "pass:secret-nobody-told", "-out", "locked.pfx")
	tool(t, root, "keytool", "-importkeystore", "-srckeystore", "store.p12", "-srcstoretype", "PKCS12",
		"-srcstorepass", "changeit", "-destkeystore", "server.jks", "-deststoretype", "JKS", "-deststorepass", "changeit")
	tool(t, root, "keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", filepath.Join(outside, "ca.pem"),
		"-keystore", "server.jks", "-storepass", "changeit")
	require.NoError(t, os.WriteFile(filepath.Join(root, "notes.txt"), []byte("not a certificate"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(root, "broken.crt"), []byte("garbage"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(root, "forged.jks"),
		[]byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 'X', '.', '5', 0xff, 0xff, 0xff, 0xff}, 0o600))
	require.NoError(t, os.Symlink(filepath.Join(outside, "ca.pem"), filepath.Join(root, "escape.pem")))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "elsewhere")))
	require.NoError(t, os.Symlink("chain.pem", filepath.Join(root, "current.pem")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(root, "pipe.pem"), 0o600))

	found := map[string]certfiles.Found{}
	seen, err := certfiles.Finder{Roots: []string{root}, Passwords: []string{"changeit"}}.Walk(context.Background(),
		func(f certfiles.Found) { found[filepath.Base(f.Path)] = f })
	require.NoError(t, err)
	assert.Equal(t, 12, seen, "every regular file and symlink under the root; the FIFO is not looked at")

	wantChain := [][]byte{chain.Leaf.Raw, chain.CA.Raw}
	for name, format := range map[string]certfiles.Format{"chain.pem": certfiles.PEM, "current.pem": certfiles.PEM,
		"bundle.p7b": certfiles.PKCS7, "store.p12": certfiles.PKCS12} {
		f := found[name]
		require.NoError(t, f.Err, name)
		assert.Equal(t, format, f.Format, name)
		assert.ElementsMatch(t, wantChain, raws(f.Certificates), name)
	}
	require.NoError(t, found["server.jks"].Err)
	assert.ElementsMatch(t, append(wantChain, chain.CA.Raw), raws(found["server.jks"].Certificates),
		"the key entry's chain and the trusted CA entry")
	assert.Equal(t, [][]byte{chain.Leaf.Raw}, raws(found["leaf.der"].Certificates))
	assert.ErrorIs(t, found["locked.pfx"].Err, certfiles.ErrWrongPassword)
	assert.ErrorIs(t, found["broken.crt"].Err, certfiles.ErrNotCertificates, "named like a certificate: a finding")
	assert.ErrorContains(t, found["forged.jks"].Err, "declares more bytes than the file holds")
	assert.True(t, found["escape.pem"].Refused(), "a link out of the root is refused: %v", found["escape.pem"].Err)
	assert.NotContains(t, found, "notes.txt", "not a certificate and not named one: skipped")
	assert.NotContains(t, found, "pipe.pem", "a FIFO is neither read nor waited on")
	assert.NotContains(t, found, "ca.pem", "the linked directory outside is not entered")
	assert.Len(t, found, 11)
}

func TestWithinRefusesTraversal(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "ok.pem"), nil, 0o600))
	_, err := certfiles.Within([]string{root}, filepath.Join(root, "ok.pem"))
	assert.NoError(t, err)
	_, err = certfiles.Within([]string{root}, filepath.Join(root, "..", filepath.Base(root)+"x"))
	assert.Error(t, err)
	_, err = certfiles.Within([]string{root}, filepath.Join(root, "..", ".."))
	assert.ErrorIs(t, err, certfiles.ErrOutsideRoots)
}

func raws(certs []*x509.Certificate) [][]byte {
	out := make([][]byte, len(certs))
	for i, c := range certs {
		out[i] = c.Raw
	}
	return out
}
