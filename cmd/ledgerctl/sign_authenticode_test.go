package main

import (
	"encoding/hex"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/winpe"
)

// TestSignAWindowsPEWithAuthenticodeAndVerifyItWithOsslsigncode signs a freshly built PE
// through a whole ledger without sending it, has osslsigncode verify accept the signed PE
// against the key's chain and the CA's CRL and refuse it with one byte changed, reads the
// record, and has osslsigncode refuse to attach a signature whose certificate the CRL lists.
func TestSignAWindowsPEWithAuthenticodeAndVerifyItWithOsslsigncode(t *testing.T) {
	exe := winpe.Build(t)
	cdp := newCRLServer(t)
	l := clienttest.StartWith(t, clienttest.Options{PublicBase: cdp.URL})
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	ca := jsonOf(t, l, admin, "ca", "create", "--name", "Root", "--cn", "Authenticode Root", "--key-algorithm", "ecdsa-p256")
	key := jsonOf(t, l, admin, "signing-key", "create", "--name", "windows", "--team", "web", "--ca", ca["id"].(string),
		"--cn", "Web Windows signing")
	keyID := key["id"].(string)
	cdp.publish(t, l, ca, 1)
	dir := t.TempDir()
	signed := filepath.Join(dir, "app-signed.exe")

	code, out, errOut := ctl(t, l, dev, "sign", "authenticode", exe, "--key", keyID, "--out", signed, "--meta", "build=42")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+signed$`, out)
	assert.Regexp(t, `(?m)^Kind:\s+authenticode$`, out)
	assert.Regexp(t, `(?m)^Artifact:\s+app.exe$`, out)

	code, chain, errOut := ctl(t, l, dev, "signing-key", "chain", keyID)
	require.Equal(t, exitOK, code, errOut)
	chainFile := filepath.Join(dir, "chain.pem")
	require.NoError(t, os.WriteFile(chainFile, []byte(chain), 0o600))
	// No timestamp (the signature has none): -CAfile is all; the CRL comes from the CDP.
	verify := func(pe string) ([]byte, error) {
		return exec.Command("osslsigncode", "verify", "-CAfile", chainFile, "-in", pe).CombinedOutput()
	}
	verified, err := verify(signed)
	require.NoError(t, err, "osslsigncode: %s", verified)
	pe, err := os.ReadFile(signed)
	require.NoError(t, err)
	pe[len(pe)/2] ^= 0x01
	tampered := filepath.Join(dir, "tampered.exe")
	require.NoError(t, os.WriteFile(tampered, pe, 0o600))
	verified, err = verify(tampered)
	assert.Error(t, err, "one changed byte fails: %s", verified)

	rec := artifactSignedOf(t, l)
	assert.Equal(t, domain.SignatureKindAuthenticode, rec.Kind)
	assert.Equal(t, "app.exe", rec.Artifact)
	assert.Equal(t, fieldOf(t, out, "Digest"), "sha256:"+hex.EncodeToString(rec.Digest), "the record names the PE image hash it signed")

	content, _, err := indirectDataOf("osslsigncode", exe, "sha256", dir)
	require.NoError(t, err)
	_, err = client.New(l.URL, dev).SignDigest(t.Context(), keyID, client.DigestToSign{Kind: "authenticode", Content: content,
		Digest: hex.EncodeToString(make([]byte, 32)), DigestAlgorithm: "sha256", Artifact: "app.exe"})
	var problem *client.Error
	require.ErrorAs(t, err, &problem, "content whose image hash is not the digest")
	assert.Equal(t, 400, problem.Status, problem.Detail)

	serial, ok := new(big.Int).SetString(key["serial"].(string), 16)
	require.True(t, ok, "the key's certificate serial %v", key["serial"])
	cdp.publish(t, l, ca, 2, serial)
	code, _, errOut = ctl(t, l, dev, "sign", "authenticode", exe, "--key", keyID, "--out", filepath.Join(dir, "listed.exe"))
	assert.Equal(t, exitFailure, code, "osslsigncode attaches no signature whose certificate the CRL lists")
	assert.Contains(t, errOut, "certificate revoked")

	t.Setenv("PATH", t.TempDir())
	code, _, errOut = ctl(t, l, dev, "sign", "authenticode", exe, "--key", keyID, "--out", filepath.Join(dir, "again.exe"))
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "osslsigncode is not on PATH")
}

// artifactSignedOf is the one ArtifactSigned on the ledger's record.
func artifactSignedOf(t *testing.T, l *clienttest.Ledger) domain.ArtifactSigned {
	t.Helper()
	reg, err := codec.NewRegistry()
	require.NoError(t, err)
	var found []domain.ArtifactSigned
	filter := events.Filter{StreamPrefixes: []string{events.CategorySignature + "-"}}
	for raw, err := range l.Store.ReadAllMatching(t.Context(), 0, filter) {
		require.NoError(t, err)
		env, err := events.ParseEnvelope(raw)
		require.NoError(t, err)
		if env.Type != domain.TypeArtifactSigned {
			continue
		}
		v, err := codec.Decode(reg, env)
		require.NoError(t, err)
		found = append(found, v.(domain.ArtifactSigned))
	}
	require.Len(t, found, 1)
	return found[0]
}
