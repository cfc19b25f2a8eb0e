package main

import (
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/winpe"
)

// TestSignWithATimestampFromTheLedgersTSA has sign file --timestamp attach the ledger TSA's
// RFC 3161 token to the .p7s as its id-aa-timeStampToken unsigned attribute, openssl still
// verifying the signature, and sign authenticode --timestamp have osslsigncode add one that
// osslsigncode verify checks against the TSA's chain.
func TestSignWithATimestampFromTheLedgersTSA(t *testing.T) {
	exe := winpe.Build(t)
	cdp := newCRLServer(t)
	l := clienttest.StartWith(t, clienttest.Options{PublicBase: cdp.URL})
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	ca := jsonOf(t, l, admin, "ca", "create", "--name", "Root", "--cn", "Timestamped Root", "--key-algorithm", "ecdsa-p256")
	key := jsonOf(t, l, admin, "signing-key", "create", "--name", "release", "--team", "web", "--ca", ca["id"].(string),
		"--cn", "Web release")["id"].(string)
	tsa := jsonOf(t, l, admin, "signing-key", "create", "--name", "tsa", "--team", "web", "--ca", ca["id"].(string),
		"--cn", "Web TSA", "--usage", "timestamp")["id"].(string)
	cdp.publish(t, l, ca, 1)
	dir := t.TempDir()
	code, chain, errOut := ctl(t, l, dev, "signing-key", "chain", key)
	require.Equal(t, exitOK, code, errOut)
	chainFile := filepath.Join(dir, "chain.pem")
	require.NoError(t, os.WriteFile(chainFile, []byte(chain), 0o600))

	file, p7s := filepath.Join(dir, "app.bin"), filepath.Join(dir, "app.bin.p7s")
	content := make([]byte, 4096)
	_, err := rand.Read(content)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, content, 0o600))
	code, _, errOut = ctl(t, l, dev, "sign", "file", key, file, "--timestamp", tsa)
	require.Equal(t, exitOK, code, errOut)
	out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", file,
		"-CAfile", chainFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	require.NoError(t, err, "openssl cms -verify: %s", out)
	out, err = exec.Command("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", p7s).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "id-smime-aa-timeStampToken", "the token is an unsigned attribute")
	assert.Contains(t, string(out), "Web TSA", "signed by the TSA, whose certificate it carries")

	code, _, errOut = ctl(t, l, dev, "sign", "file", key, file, "--timestamp", "7d3c2f9e-1111-4222-8333-944455556666", "--out", filepath.Join(dir, "x.p7s"))
	assert.Equal(t, exitFailure, code, "a TSA that does not exist: %s", errOut)
	assert.Contains(t, errOut, "TSA")

	signed := filepath.Join(dir, "app-signed.exe")
	code, _, errOut = ctl(t, l, dev, "sign", "authenticode", exe, "--key", key, "--out", signed, "--timestamp", tsa)
	require.Equal(t, exitOK, code, errOut)
	verified, err := exec.Command("osslsigncode", "verify", "-CAfile", chainFile, "-TSA-CAfile", chainFile, "-in", signed).CombinedOutput()
	require.NoError(t, err, "osslsigncode verify: %s", verified)
	assert.Contains(t, string(verified), "Timestamp Server Signature verification: ok", "%s", verified)
}
