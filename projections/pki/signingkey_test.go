package pki_test

import (
	"context"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// TestARevokedSigningKeyIsOnItsCAsCRL checks that a signing key's certificate is revoked in
// OCSP and on the CRL of the CA that signed it once the key is revoked, and that a voided
// artifact signature, which signed no certificate, puts nothing on any CRL.
func TestARevokedSigningKeyIsOnItsCAsCRL(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t)
	start(t, r)
	ctx := context.Background()
	root := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	keyID := uuid.New()
	_, err := e.h.CreateSigningKey.Handle(ctx, commands.CreateSigningKey{CommandID: uuid.New(), KeyID: keyID, CAID: root,
		Name: "release", Team: "web", Usage: domain.UsageCode, KeyType: domain.KeyECDSAP256, CommonName: "Web release",
		ValidityDays: 90}, secops)
	require.NoError(t, err)
	key, err := e.h.Queries.SigningKey(ctx, keyID)
	require.NoError(t, err)

	voided := domain.SigningStarted{Subject: uuid.NewString(), CAID: keyID.String(), Serial: "5eed", Purpose: domain.PurposeArtifact}
	e.decide(t, events.StreamName(events.CategorySignature, uuid.MustParse(voided.Subject)), func([]domain.Event) ([]domain.Event, error) {
		return []domain.Event{voided, voided.Void(nil, "signing interrupted", voided.StartedAt)}, nil
	})
	d := sha256.Sum256([]byte("artifact"))
	_, err = e.h.SignDigest.Handle(ctx, commands.SignDigest{CommandID: uuid.New(), RequestID: uuid.New(), KeyID: keyID,
		Digest: d[:], DigestAlgorithm: "sha256", Artifact: "a.bin"}, devops)
	require.NoError(t, err)
	e.waitLive(t, r)
	crl, err := e.q.RevokedByCA(ctx, root)
	require.NoError(t, err)
	assert.Empty(t, crl, "neither the key's certificate nor an artifact signature is revoked yet")
	crl, err = e.q.RevokedByCA(ctx, keyID)
	require.NoError(t, err)
	assert.Empty(t, crl, "a voided artifact signature is on no CRL")

	_, err = e.h.RevokeSigningKey.Handle(ctx, commands.SigningKeyDecision{CommandID: uuid.New(), KeyID: keyID, Reason: "keyCompromise"}, secops)
	require.NoError(t, err)
	e.waitLive(t, r)
	serial, _ := new(big.Int).SetString(key.Serial(), 16)
	got, err := e.q.Status(ctx, root.String(), serial)
	require.NoError(t, err)
	assert.Equal(t, domain.SerialRevoked, got.Kind)
	assert.Equal(t, domain.ReasonKeyCompromise, got.Reason)
	crl, err = e.q.RevokedByCA(ctx, root)
	require.NoError(t, err)
	require.Len(t, crl, 1)
	assert.Equal(t, 0, serial.Cmp(crl[0].Serial))
}
