package e2e_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
	"github.com/certledger/certledger/tests/winpe"
)

// TestCodeSigningAgainstARealLedger is the code-signing issue's "done when" against a real
// ledgerd and the real ledgerctl, openssl and osslsigncode: a release key needing two SEC_OPS
// approvals signs a file's digest only once both are in (never the requester's own), openssl
// cms -verify accepts the .p7s and refuses the file with one byte changed; the same for a
// Windows PE and osslsigncode verify, its requester waiting with --wait while the approvers
// find the request with sign pending; key-usage lists both signatures with requester and
// approvers; the revoked key signs nothing more and its certificate is revoked on the ledger's
// OCSP and CRL; audit verify passes.
func TestCodeSigningAgainstARealLedger(t *testing.T) {
	exe := winpe.Build(t)
	l := startLedgerd(t, "LEDGER_AUDIT_CHECKPOINT_INTERVAL=24h")
	s := newSigningWorld(t, l)
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }

	// A file's digest: pending until the second SEC_OPS approval; the requester may not approve.
	content := make([]byte, 1<<20+3)
	_, err := rand.Read(content)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file("release.bin"), content, 0o600))
	req := s.ctlJSON(t, s.dev, "sign", "file", s.keyID, file("release.bin"), "--meta", "commit=abc123", "--idempotency-key", "rel-1")
	assert.Equal(t, "pending_approval", req["status"])
	fileReq := req["id"].(string)
	s.approveTwice(t, fileReq)
	betweenSignatures := time.Now().UTC()
	out, code := l.ledgerctl(t, "sign", "show", s.keyID, fileReq, "--out", file("release.bin.p7s"), "--token", s.dev)
	require.Equal(t, 0, code, out)
	require.NoError(t, os.WriteFile(file("chain.pem"), []byte(s.chain), 0o600))
	cmsVerify := func() (string, error) {
		return openssl(t, "cms", "-verify", "-binary", "-inform", "DER", "-in", file("release.bin.p7s"), "-content", file("release.bin"),
			"-CAfile", file("chain.pem"), "-purpose", "any", "-out", os.DevNull)
	}
	out, err = cmsVerify()
	require.NoError(t, err, "openssl cms -verify accepts the signature: %s", out)
	content[len(content)/2] ^= 0x01
	require.NoError(t, os.WriteFile(file("release.bin"), content, 0o600))
	out, err = cmsVerify()
	assert.Error(t, err, "one altered byte fails: %s", out)

	// A Windows PE: its requester waits while the approvers find the request in sign pending
	// and approve it; the waiting ledgerctl then has osslsigncode attach the signature.
	waiting, waited := s.startCtl(t, "sign", "authenticode", exe, "--key", s.keyID, "--out", file("app-signed.exe"),
		"--wait", "60s", "--token", s.dev)
	var peReq string
	require.Eventually(t, func() bool {
		list := s.ctlJSON(t, s.sec1, "sign", "pending", "--key", s.keyID)
		for _, item := range list["items"].([]any) {
			if r := item.(map[string]any); r["artifact"] == "app.exe" && r["kind"] == "authenticode" {
				peReq = r["id"].(string)
			}
		}
		return peReq != ""
	}, 15*time.Second, 100*time.Millisecond, "the approvers see the PE's request waiting")
	s.approveTwice(t, peReq)
	require.NoError(t, waiting.Wait(), "the waiting ledgerctl signs the PE: %s", waited)
	assert.Regexp(t, `(?m)^Status:\s+signed$`, waited.String())
	osslsigncode(t, true, "verify", "-CAfile", file("chain.pem"), "-in", file("app-signed.exe"))
	pe, err := os.ReadFile(file("app-signed.exe"))
	require.NoError(t, err)
	pe[len(pe)/2] ^= 0x01
	require.NoError(t, os.WriteFile(file("tampered.exe"), pe, 0o600))
	osslsigncode(t, false, "verify", "-CAfile", file("chain.pem"), "-in", file("tampered.exe"))

	// key-usage lists both signatures, each with its requester and both approvers.
	out, code = l.ledgerctl(t, "audit", "key-usage", s.keyID, "-o", "json")
	require.Equal(t, 0, code, out)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw), out)
	sigs := raw["signatures"].([]any)
	require.Len(t, sigs, 2, out)
	for i, id := range []string{fileReq, peReq} {
		sig := sigs[i].(map[string]any)
		assert.Equal(t, id, sig["request_id"])
		assert.Equal(t, "signed", sig["status"])
		assert.Equal(t, s.devSubject, sig["requested_by"])
		assert.Equal(t, []any{s.sec1Subject, s.sec2Subject}, sig["approvers"])
	}

	// Compromise forensics: --since lists what the key signed after a moment, the PE alone.
	out, code = l.ledgerctl(t, "audit", "key-usage", s.keyID, "--since", betweenSignatures.Format(time.RFC3339Nano), "-o", "json")
	require.Equal(t, 0, code, out)
	require.NoError(t, json.Unmarshal([]byte(out), &raw), out)
	require.Len(t, raw["signatures"], 1, out)
	assert.Equal(t, peReq, raw["signatures"].([]any)[0].(map[string]any)["request_id"])
	out, code = l.ledgerctl(t, "audit", "key-usage", s.keyID, "--since", "yesterday")
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, "neither an RFC 3339 time")

	s.refusalsAppendNothing(t)

	// The revoked key signs nothing more; its certificate is revoked on the OCSP and the CRL.
	out, code = l.ledgerctl(t, "signing-key", "revoke", s.keyID, "--reason", "keyCompromise")
	require.Equal(t, 0, code, out)
	before := l.lastPosition(t)
	out, code = l.ledgerctl(t, "sign", "file", s.keyID, file("release.bin"), "--token", s.dev)
	assert.Equal(t, 1, code, "a revoked key signs nothing: %s", out)
	assert.Contains(t, out, "revoked")
	assert.Equal(t, before, l.lastPosition(t), "the refused request appends nothing")
	s.checkRevokedOnOCSPAndCRL(t, dir)
	osslsigncode(t, false, "verify", "-CAfile", file("chain.pem"), "-in", file("app-signed.exe"))

	out, code = l.ledgerctl(t, "audit", "verify")
	require.Equal(t, 0, code, "an honest ledger passes: %s", out)
}

// checkRevokedOnOCSPAndCRL has openssl ocsp and openssl verify -crl_check find the signing
// key's certificate revoked through the ledger's own responder and CRL.
func (s *signingWorld) checkRevokedOnOCSPAndCRL(t *testing.T, dir string) {
	t.Helper()
	cert, ca, crl := filepath.Join(dir, "signing.pem"), filepath.Join(dir, "ca.pem"), filepath.Join(dir, "crl.pem")
	require.NoError(t, os.WriteFile(cert, []byte(s.cert), 0o600))
	require.True(t, s.l.download(t, "/api/v1/cas/"+s.caID+"/certificate", ca))
	var answer string
	require.Eventually(t, func() bool {
		answer, _ = openssl(t, "ocsp", "-issuer", ca, "-cert", cert, "-CAfile", ca, "-url", s.l.base+"/ocsp")
		return contains(answer, "signing.pem: revoked")
	}, 10*time.Second, 100*time.Millisecond, "openssl ocsp says revoked: %s", answer)
	assert.Contains(t, answer, "Response verify OK")
	assert.Contains(t, answer, "Reason: keyCompromise")
	require.Eventually(t, func() bool {
		if !s.l.download(t, "/crl/"+s.caID+".pem", crl) {
			return false
		}
		answer, _ = openssl(t, "verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl, cert)
		return contains(answer, "certificate revoked")
	}, 10*time.Second, 100*time.Millisecond, "openssl verify -crl_check says certificate revoked: %s", answer)
}

// osslsigncode runs osslsigncode and requires it to succeed (ok) or fail.
func osslsigncode(t *testing.T, ok bool, args ...string) {
	t.Helper()
	out, err := exec.Command("osslsigncode", args...).CombinedOutput()
	if ok {
		require.NoError(t, err, "osslsigncode %s: %s", args[0], out)
	} else {
		assert.Error(t, err, "osslsigncode %s must fail: %s", args[0], out)
	}
}

// ctlJSON runs ledgerctl with token and -o json, requires exit 0 and decodes the first JSON
// value of its output (its notes on stderr follow it).
func (s *signingWorld) ctlJSON(t *testing.T, token string, args ...string) map[string]any {
	t.Helper()
	out, code := s.l.ledgerctl(t, append(args, "--token", token, "-o", "json")...)
	require.Equal(t, 0, code, out)
	var m map[string]any
	require.NoError(t, json.NewDecoder(bytes.NewReader([]byte(out))).Decode(&m), out)
	return m
}

// startCtl starts ledgerctl against the ledger without waiting for it; its output collects in
// the buffer.
func (s *signingWorld) startCtl(t *testing.T, args ...string) (*exec.Cmd, *testutil.SyncBuffer) {
	t.Helper()
	cmd := exec.Command(testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerctl", false), args...)
	cmd.Env = append(os.Environ(), "LEDGER_URL="+s.l.base)
	out := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return cmd, out
}
