package certinstall_test

import (
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/certfiles"
	"github.com/certledger/certledger/adapters/certinstall"
	"github.com/certledger/certledger/adapters/tlsscan/scantest"
)

// run runs a real tool and returns its output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	require.NoError(t, err, "%s is needed (openssl: `go tool task deps`; keytool: Java)", name)
	out, err := exec.Command(path, args...).CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

// TestDeployedFormatsReadBackWithRealTools writes PEM files, a PKCS#12 and a JKS and reads
// each back with openssl and keytool.
func TestDeployedFormatsReadBackWithRealTools(t *testing.T) {
	chain := scantest.NewChain(t, "deploy.example.com")
	m := certinstall.Material{Leaf: chain.Leaf, Chain: []*x509.Certificate{chain.CA}, Key: chain.TLS.PrivateKey}
	root := t.TempDir()
	var all []certinstall.File
	for _, f := range []interface {
		Files(certinstall.Material) ([]certinstall.File, error)
	}{
		certinstall.PEMFiles{FullChain: filepath.Join(root, "fullchain.pem"), Key: filepath.Join(root, "key.pem")},
		certinstall.PKCS12File{Path: filepath.Join(root, "site.p12"), Password: "changeit"},
		certinstall.JKSFile{Path: filepath.Join(root, "site.jks"), Alias: "site", Password: "changeit"},
	} {
		files, err := f.Files(m)
		require.NoError(t, err)
		all = append(all, files...)
	}
	d, err := certinstall.Installer{Roots: []string{root}, StateDir: t.TempDir()}.Install("formats", all)
	require.NoError(t, err)
	require.NoError(t, d.Commit())

	subject := run(t, "openssl", "x509", "-in", filepath.Join(root, "fullchain.pem"), "-noout", "-subject")
	assert.Contains(t, subject, "deploy.example.com")
	run(t, "openssl", "pkey", "-in", filepath.Join(root, "key.pem"), "-noout")
	p12 := run(t, "openssl", "pkcs12", "-in", filepath.Join(root, "site.p12"), "-passin", "pass:changeit", "-nodes")
	assert.Contains(t, p12, "deploy.example.com")
	assert.Contains(t, p12, "PRIVATE KEY")
	jks := run(t, "keytool", "-list", "-v", "-keystore", filepath.Join(root, "site.jks"), "-storepass", "changeit")
	assert.Contains(t, jks, "Alias name: site")
	assert.Contains(t, jks, "PrivateKeyEntry")
	assert.Contains(t, jks, "Certificate chain length: 2")

	for _, name := range []string{"key.pem", "site.p12", "site.jks"} {
		info, err := os.Stat(filepath.Join(root, name))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), name)
	}
	found := map[string]int{}
	_, err = certfiles.Finder{Roots: []string{root}, Passwords: []string{"changeit"}}.Walk(t.Context(),
		func(f certfiles.Found) { found[filepath.Base(f.Path)] = len(f.Certificates) })
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"fullchain.pem": 2, "site.p12": 2, "site.jks": 2}, found, "discovery reads what deployment wrote")
}
