package main

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan/scantest"
	"github.com/certledger/certledger/tests/clienttest"
)

// TestDiscoverFilesRecordsTheCertificatesOnThisHost reads a root holding a PEM chain, a DER
// certificate and a link out of the root; a second run changes nothing; a removed file is
// recorded as absent.
func TestDiscoverFilesRecordsTheCertificatesOnThisHost(t *testing.T) {
	l := clienttest.Start(t)
	admin := clienttest.AdminToken
	root, outside := t.TempDir(), t.TempDir()
	a, b := scantest.NewChain(t, "a.example.com"), scantest.NewChain(t, "b.example.com")
	chainPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.Leaf.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.CA.Raw})...)
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.pem"), chainPEM, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(root, "b.der"), b.Leaf.Raw, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.pem"), chainPEM, 0o600))
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.pem"), filepath.Join(root, "link.pem")))

	args := []string{"discover", "files", "--scope", "host-1", "--root", root}
	code, out, errOut := ctl(t, l, admin, args...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "2", fieldOf(t, out, "Certificate files"))
	assert.Equal(t, "1", fieldOf(t, out, "Links out of the roots"))
	assert.Contains(t, errOut, "link.pem leads out of the roots; not read")
	assert.Equal(t, "2", fieldOf(t, out, "New certificates"))
	assert.Equal(t, "2", fieldOf(t, out, "Changed files"), "the link is no location of the host's")

	code, out, errOut = ctl(t, l, admin, args...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "0", fieldOf(t, out, "Changed files"), "nothing changed")

	require.NoError(t, os.Remove(filepath.Join(root, "b.der")))
	code, out, errOut = ctl(t, l, admin, args...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "1", fieldOf(t, out, "Changed files"), "the removed file is absent now")
}
