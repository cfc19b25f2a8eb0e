package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
)

const (
	secOpsToken1 = "sign-test-secops-1-0123456789abcdef"
	secOpsToken2 = "sign-test-secops-2-0123456789abcdef"
)

// TestSignAFileWithTwoApprovalsAndVerifyItWithOpenSSL signs a file's streamed digest with a
// release key needing two SEC_OPS approvals, writes the .p7s and has openssl accept it for
// the file and refuse it for the file with one byte changed.
func TestSignAFileWithTwoApprovalsAndVerifyItWithOpenSSL(t *testing.T) {
	l := clienttest.StartWith(t, clienttest.Options{Tokens: map[string]domain.Actor{
		secOpsToken1: {Subject: "sec1", Roles: []domain.Role{domain.RoleSecOps}},
		secOpsToken2: {Subject: "sec2", Roles: []domain.Role{domain.RoleSecOps}},
	}})
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	ca := jsonOf(t, l, admin, "ca", "create", "--name", "Root", "--cn", "Signing Root", "--key-algorithm", "ecdsa-p256")
	key := jsonOf(t, l, admin, "signing-key", "create", "--name", "release", "--team", "web", "--ca", ca["id"].(string),
		"--cn", "Web release signing", "--approvals", "2")
	keyID := key["id"].(string)

	dir := t.TempDir()
	file := filepath.Join(dir, "release.bin")
	content := make([]byte, 3<<20+17) // bigger than one read buffer
	_, err := rand.Read(content)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, content, 0o600))

	code, out, errOut := ctl(t, l, dev, "sign", "file", keyID, file, "--meta", "commit=abc123", "--idempotency-key", "rel-1")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+pending_approval$`, out)
	reqID := fieldOf(t, out, "ID")
	code, again, _ := ctl(t, l, dev, "sign", "file", keyID, file, "--meta", "commit=abc123", "--idempotency-key", "rel-1")
	require.Equal(t, exitOK, code)
	assert.Equal(t, reqID, fieldOf(t, again, "ID"), "a replay with the same Idempotency-Key is the same request")

	code, out, errOut = ctl(t, l, secOpsToken1, "sign", "approve", keyID, reqID)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+pending_approval$`, out, "one approval of two")
	code, _, _ = ctl(t, l, dev, "sign", "approve", keyID, reqID)
	assert.Equal(t, exitRefused, code, "the requester does not approve")
	code, out, errOut = ctl(t, l, secOpsToken2, "sign", "approve", keyID, reqID)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+signed$`, out)

	p7s := file + ".p7s"
	code, _, errOut = ctl(t, l, dev, "sign", "show", keyID, reqID, "--out", p7s)
	require.Equal(t, exitOK, code, errOut)
	code, chain, errOut := ctl(t, l, dev, "signing-key", "chain", keyID)
	require.Equal(t, exitOK, code, errOut)
	chainFile := filepath.Join(dir, "chain.pem")
	require.NoError(t, os.WriteFile(chainFile, []byte(chain), 0o600))
	verify := func() ([]byte, error) {
		return exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", file,
			"-CAfile", chainFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	}
	verified, err := verify()
	require.NoError(t, err, "openssl: %s", verified)
	content[len(content)/2] ^= 0x80
	require.NoError(t, os.WriteFile(file, content, 0o600))
	verified, err = verify()
	assert.Error(t, err, "one altered byte fails: %s", verified)

	usage, found, err := scanSigningKey(t.Context(), l.Store, keyID)
	require.NoError(t, err)
	require.True(t, found)
	require.Len(t, usage.Signatures, 1, "key-usage lists the request once, replay or not")
	assert.Equal(t, "signed", usage.Signatures[0].Status)
	assert.Equal(t, "dev", usage.Signatures[0].RequestedBy)
	assert.Equal(t, []string{"sec1", "sec2"}, usage.Signatures[0].Approvers)
	var table bytes.Buffer
	printSigningKeyUsage(&table, usage)
	assert.Contains(t, table.String(), "sec1,sec2")

	code, _, errOut = ctl(t, l, admin, "signing-key", "revoke", keyID, "--reason", "keyCompromise")
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = ctl(t, l, dev, "sign", "file", keyID, file)
	assert.Equal(t, exitRefused, code, "a revoked key signs nothing: %s", errOut)
	code, _, _ = ctl(t, l, dev, "sign", "file", "7d3c2f9e-1111-4222-8333-944455556666", file)
	assert.Equal(t, exitRefused, code, "an unknown key")
	code, _, _ = ctl(t, l, dev, "sign", "file", keyID, file, "--digest", "sha1")
	assert.Equal(t, exitFailure, code, "sha1 is never computed")
}
