package commands_test

import (
	"context"
	"crypto/sha256"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// eventsIn returns how many events the streams hold, to show a refusal
// appended nothing.
func (l *signingLedger) eventsIn(t *testing.T, streams ...string) int {
	t.Helper()
	n := 0
	for _, s := range streams {
		history, _, err := l.store.Load(context.Background(), s)
		require.NoError(t, err)
		n += len(history)
	}
	return n
}

func TestAReleaseKeySignsAfterTwoApprovalsNeverTheRequesters(t *testing.T) {
	l := newSigningLedger(t)
	key := l.newSigningKey(t, 2)
	req := uuid.New()
	_, err := l.signDigest(key, req, "release 1.0", releaser)
	require.NoError(t, err)
	pending := func() *domain.SignatureRequest {
		r, err := l.h.Queries.SignatureRequest(context.Background(), req)
		require.NoError(t, err)
		return r
	}
	assert.Equal(t, domain.SignatureStatusPending, pending().Status())
	approve := func(by commands.Caller) error {
		_, err := l.h.ApproveSignature.Handle(context.Background(), commands.ApproveSignature{CommandID: uuid.New(), RequestID: req}, by)
		return err
	}
	require.NoError(t, approve(secops))
	assert.Equal(t, domain.SignatureStatusPending, pending().Status(), "one approval of two")
	selfApprover := releaser
	selfApprover.Actor.Roles = append(selfApprover.Actor.Roles, domain.RoleSecOps)
	assert.True(t, domain.IsKind(approve(selfApprover), domain.KindForbidden), "never the requester")
	assert.True(t, domain.IsKind(approve(secops), domain.KindConflict), "one approval per approver")
	assert.Zero(t, l.hsm.Signatures(events.StreamName(events.CategorySigningKey, key)), "nothing signed before the approvals")
	require.NoError(t, approve(approver2))
	r := pending()
	signed, ok := r.Signed()
	require.True(t, ok, "the second approval signs: %s", r.Status())
	assert.Equal(t, []string{secops.Actor.Subject, approver2.Actor.Subject}, r.Approvers())
	l.requireArtifactsAccounted(t, key, []uuid.UUID{req})
	verifyWithOpenSSL(t, l, key, signed.CMS, "release 1.0")
}

func TestRefusedRequestsAppendNothing(t *testing.T) {
	l := newSigningLedger(t)
	key := l.newSigningKey(t, 0)
	keyStream := events.StreamName(events.CategorySigningKey, key)
	for _, tc := range []struct {
		name string
		cmd  func(c *commands.SignDigest)
		by   commands.Caller
		kind domain.ErrorKind
	}{
		{"SHA-1", func(c *commands.SignDigest) { c.DigestAlgorithm, c.Digest = "sha1", make([]byte, 20) }, releaser, domain.KindPolicy},
		{"a wrong-length digest", func(c *commands.SignDigest) { c.Digest = c.Digest[:20] }, releaser, domain.KindInvalid},
		{"an unknown key", func(c *commands.SignDigest) { c.KeyID = uuid.New() }, releaser, domain.KindNotFound},
		{"another team's key", func(*commands.SignDigest) {}, outsider, domain.KindForbidden},
	} {
		d := sha256.Sum256([]byte(tc.name))
		req := uuid.New()
		cmd := commands.SignDigest{CommandID: uuid.New(), RequestID: req, KeyID: key, Digest: d[:], DigestAlgorithm: "sha256", Artifact: "a"}
		tc.cmd(&cmd)
		before := l.eventsIn(t, keyStream)
		_, err := l.h.SignDigest.Handle(context.Background(), cmd, tc.by)
		assert.True(t, domain.IsKind(err, tc.kind), "%s: want %s, got %v", tc.name, tc.kind, err)
		assert.Equal(t, before, l.eventsIn(t, keyStream), tc.name)
		assert.Zero(t, l.eventsIn(t, events.StreamName(events.CategorySignature, req)), "%s appends nothing", tc.name)
	}
	assert.Zero(t, l.hsm.Signatures(keyStream))
}

func TestARevokedKeySignsNothingMore(t *testing.T) {
	l := newSigningLedger(t)
	key := l.newSigningKey(t, 0)
	_, err := l.signDigest(key, uuid.New(), "before", releaser)
	require.NoError(t, err)
	decision := commands.SigningKeyDecision{CommandID: uuid.New(), KeyID: key, Reason: "keyCompromise"}
	_, err = l.h.RevokeSigningKey.Handle(context.Background(), decision, releaser)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "DEVOPS may not revoke a key")
	_, err = l.h.DisableSigningKey.Handle(context.Background(), commands.SigningKeyDecision{CommandID: uuid.New(), KeyID: key}, secops)
	require.NoError(t, err)
	_, err = l.signDigest(key, uuid.New(), "disabled", releaser)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	_, err = l.h.EnableSigningKey.Handle(context.Background(), commands.SigningKeyDecision{CommandID: uuid.New(), KeyID: key}, secops)
	require.NoError(t, err)
	_, err = l.h.RevokeSigningKey.Handle(context.Background(), decision, secops)
	require.NoError(t, err)
	_, err = l.signDigest(key, uuid.New(), "after", releaser)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	assert.Equal(t, int64(1), l.hsm.Signatures(events.StreamName(events.CategorySigningKey, key)))
	k, err := l.h.Queries.SigningKey(context.Background(), key)
	require.NoError(t, err)
	assert.Equal(t, domain.KeyStatusRevoked, k.Status())
}

// verifyWithOpenSSL checks the SignedData against content with openssl cms -verify, and that
// one altered byte fails it. OpenSSL 3.0 checks the signer's purpose as S/MIME signing unless
// told -purpose any, which a codeSigning-only certificate needs.
func verifyWithOpenSSL(t *testing.T, l *signingLedger, key uuid.UUID, p7s []byte, content string) {
	t.Helper()
	k, err := l.h.Queries.SigningKey(context.Background(), key)
	require.NoError(t, err)
	dir := t.TempDir()
	var chain []byte
	for _, c := range k.Chain() {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o600))
		return p
	}
	sig, ca, file := write("f.p7s", p7s), write("chain.pem", chain), write("f", []byte(content))
	verify := func() ([]byte, error) {
		return exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", file,
			"-CAfile", ca, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	}
	out, err := verify()
	require.NoError(t, err, "openssl: %s", out)
	tampered := []byte(content)
	tampered[0] ^= 1
	write("f", tampered)
	out, err = verify()
	assert.Error(t, err, "a changed byte fails: %s", out)
}
