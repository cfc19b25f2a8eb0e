package pki_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// TestAVoidedSignatureIsRevoked checks that a serial the CA key may have signed but the ledger
// never recorded as valid is on the CA's CRL and revoked in OCSP, while an announced serial
// that was then issued stays good.
func TestAVoidedSignatureIsRevoked(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t)
	start(t, r)
	ctx := context.Background()
	root := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	inter := e.createCA(t, root, domain.KeyECDSAP256)

	voidedAt := time.Now().UTC().Truncate(time.Second)
	serial := big.NewInt(0x5eed)
	intent := domain.SigningStarted{Subject: uuid.NewString(), CAID: inter.String(), Serial: serial.Text(16),
		Purpose: domain.PurposeCertificate, StartedAt: voidedAt.Add(-time.Minute)}
	e.decide(t, events.StreamName(events.CategoryCertificate, uuid.MustParse(intent.Subject)), func([]domain.Event) ([]domain.Event, error) {
		return []domain.Event{intent, intent.Void(nil, "signing interrupted", voidedAt)}, nil
	})
	e.waitLive(t, r)

	got, err := e.q.Status(ctx, inter.String(), serial)
	require.NoError(t, err)
	assert.Equal(t, domain.SerialStatus{Kind: domain.SerialRevoked, RevokedAt: voidedAt, Reason: domain.ReasonCessationOfOperation}, got)
	crl, err := e.q.RevokedByCA(ctx, inter)
	require.NoError(t, err)
	require.Len(t, crl, 1)
	assert.Equal(t, 0, serial.Cmp(crl[0].Serial))
	assert.Equal(t, int(domain.ReasonCessationOfOperation), crl[0].Reason)
	assert.False(t, crl[0].CACertificate)

	ca, err := e.h.Queries.CA(ctx, inter)
	require.NoError(t, err)
	respDER, _, _, ok := ca.Responder()
	require.True(t, ok)
	responder := parseCert(t, respDER)
	got, err = e.q.Status(ctx, inter.String(), responder.SerialNumber)
	require.NoError(t, err)
	assert.Equal(t, domain.SerialGood, got.Kind, "the responder certificate was announced, signed and recorded")
}

// TestStaleSigningsListsIntentsNeitherRecordedNorVoided checks the sweep's read model: an
// open intent is listed by the stream that holds it once it started before the cut, and leaves
// the list when it is voided, whether in the same batch or a later one.
func TestStaleSigningsListsIntentsNeitherRecordedNorVoided(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t)
	start(t, r)
	ctx := context.Background()
	root := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	at := time.Now().UTC().Add(-time.Hour)
	intent := func(serial int64) (string, domain.SigningStarted) {
		id := uuid.New()
		return events.StreamName(events.CategoryCertificate, id), domain.SigningStarted{Subject: id.String(),
			CAID: root.String(), Serial: big.NewInt(serial).Text(16), Purpose: domain.PurposeCertificate, StartedAt: at}
	}
	open, openIntent := intent(0x1001)
	e.decide(t, open, func([]domain.Event) ([]domain.Event, error) { return []domain.Event{openIntent}, nil })
	voidedAtOnce, once := intent(0x1002)
	e.decide(t, voidedAtOnce, func([]domain.Event) ([]domain.Event, error) {
		return []domain.Event{once, once.Void(nil, "test", at)}, nil
	})
	voidedLater, later := intent(0x1003)
	e.decide(t, voidedLater, func([]domain.Event) ([]domain.Event, error) { return []domain.Event{later}, nil })
	e.waitLive(t, r)

	stale, err := e.q.StaleSignings(ctx, time.Now(), 100)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{open, voidedLater}, stale, "the CA's own signatures were recorded")
	none, err := e.q.StaleSignings(ctx, at, 100)
	require.NoError(t, err)
	assert.Empty(t, none, "intents started at the cut or later are not stale yet")

	e.decide(t, voidedLater, func([]domain.Event) ([]domain.Event, error) { return []domain.Event{later.Void(nil, "test", at)}, nil })
	e.waitLive(t, r)
	stale, err = e.q.StaleSignings(ctx, time.Now(), 100)
	require.NoError(t, err)
	assert.Equal(t, []string{open}, stale)
}
