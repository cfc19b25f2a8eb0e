package pki_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
)

func TestReadModelRows(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()

	cas, err := w.q.ListCAs(ctx)
	require.NoError(t, err)
	require.Len(t, cas, 3)
	assert.Equal(t, []uuid.UUID{w.root, w.interA, w.interB}, []uuid.UUID{cas[0].ID, cas[1].ID, cas[2].ID}, "oldest first")
	assert.Nil(t, cas[0].ParentID)
	assert.Equal(t, &w.root, cas[1].ParentID)
	for _, c := range cas {
		domainCA := w.ca(t, c.ID)
		assert.Equal(t, domainCA.Certificate().Raw, c.CertificateDER)
		assert.Equal(t, domainCA.Certificate().SerialNumber.Text(16), c.Serial)
		respDER, respLabel, respNotAfter, ok := domainCA.Responder()
		require.True(t, ok)
		assert.Equal(t, respDER, c.ResponderDER)
		assert.Equal(t, respLabel, c.ResponderKeyLabel)
		assert.True(t, respNotAfter.Equal(*c.ResponderNotAfter))
		assert.Equal(t, domainCA.CRLPartitions(), c.CRLPartitions)
	}
	assert.Equal(t, []int{0, 4, 4}, []int{cas[0].CRLPartitions, cas[1].CRLPartitions, cas[2].CRLPartitions})
	interB, err := w.q.CA(ctx, w.interB)
	require.NoError(t, err)
	assert.Equal(t, string(domain.CAStatusRevoked), interB.Status)
	assert.Equal(t, int(domain.ReasonCACompromise), *interB.RevocationReason)
	assert.Equal(t, string(domain.CAStatusActive), cas[1].Status)
	_, err = w.q.CA(ctx, uuid.New())
	assert.ErrorIs(t, err, pki.ErrNotFound)

	profiles, err := w.q.ListProfiles(ctx)
	require.NoError(t, err)
	require.Len(t, profiles, 2)
	web, err := w.q.Profile(ctx, w.web)
	require.NoError(t, err)
	assert.Equal(t, commands.ProfileID(w.web), web.ID)
	assert.Equal(t, 2, web.Version, "defined, then updated")
	assert.Equal(t, "web", web.Team)
	assert.Equal(t, []string{"example.com"}, web.Spec.AllowedDomains)
	_, err = w.q.Profile(ctx, "nope")
	assert.ErrorIs(t, err, pki.ErrNotFound)

	statuses := map[uuid.UUID]domain.CertStatus{w.www: domain.StatusIssued, w.api: domain.StatusRevoked,
		w.shop: domain.StatusSuperseded, w.shop2: domain.StatusIssued, w.expired: domain.StatusExpired,
		w.pay1: domain.StatusIssued, w.rejected: domain.StatusRejected, w.onB: domain.StatusIssued}
	for id, want := range statuses {
		got, err := w.q.Certificate(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, got.Status, "certificate %s", id)
		assert.Equal(t, want, w.certificate(t, id).Status(), "the ledger agrees")
	}

	www, err := w.q.Certificate(ctx, w.www)
	require.NoError(t, err)
	der := w.certificate(t, w.www).CertificateDER()
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	block, _ := pem.Decode([]byte(www.PEM))
	require.NotNil(t, block)
	assert.Equal(t, der, block.Bytes)
	sum := sha256.Sum256(der)
	assert.Equal(t, hex.EncodeToString(sum[:]), www.FingerprintSHA256)
	assert.Equal(t, leaf.SerialNumber.Text(16), www.Serial)
	assert.True(t, leaf.NotAfter.Equal(*www.NotAfter))
	assert.True(t, leaf.NotBefore.Equal(*www.NotBefore))
	assert.Equal(t, "ECDSA-SHA256", www.SignatureAlgorithm)
	assert.Equal(t, "ecdsa-p256", www.KeyType)
	assert.Equal(t, 256, www.KeyBits)
	assert.Equal(t, []string{"www.example.com"}, www.SANs)
	assert.Equal(t, w.interA, www.CAID)
	assert.Equal(t, []any{w.web, "web", "dev@example.com", "dev@example.com"}, []any{www.Profile, www.Team, www.Owner, www.RequestedBy})
	assert.NotNil(t, www.IssuedAt)
	byFingerprint, err := w.q.CertificateByFingerprint(ctx, www.FingerprintSHA256)
	require.NoError(t, err)
	assert.Equal(t, www.ID, byFingerprint.ID)
	_, err = w.q.CertificateByFingerprint(ctx, hex.EncodeToString(make([]byte, 32)))
	assert.ErrorIs(t, err, pki.ErrNotFound)

	api, err := w.q.Certificate(ctx, w.api)
	require.NoError(t, err)
	assert.Equal(t, []string{"api.example.com", "mail.example.com"}, api.SANs)
	assert.Equal(t, int(domain.ReasonKeyCompromise), *api.RevocationReason)
	require.NotNil(t, api.InvalidityDate)
	rev, _ := w.certificate(t, w.api).Revocation()
	assert.True(t, rev.RevokedAt.Truncate(time.Microsecond).Equal(*api.RevokedAt), "Postgres keeps microseconds")
	assert.True(t, rev.InvalidityDate.Equal(*api.InvalidityDate))

	shop, err := w.q.Certificate(ctx, w.shop)
	require.NoError(t, err)
	shop2, err := w.q.Certificate(ctx, w.shop2)
	require.NoError(t, err)
	assert.Equal(t, &w.shop2, shop.SupersededBy)
	assert.Equal(t, &w.shop, shop2.Renews)

	rejected, err := w.q.Certificate(ctx, w.rejected)
	require.NoError(t, err)
	assert.Empty(t, rejected.Serial, "never issued")
	assert.Nil(t, rejected.NotAfter)
	assert.Equal(t, 256, rejected.KeyBits, "from the requested key type")
	_, err = w.q.Certificate(ctx, uuid.New())
	assert.ErrorIs(t, err, pki.ErrNotFound)
}

func TestRebuildYieldsIdenticalRows(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	live := w.dump(t)
	require.Len(t, live["certificates"], 20)
	require.Len(t, live["revocations"], 2)

	require.NoError(t, w.runner.Rebuild(ctx, pki.Name, nil))
	assert.Equal(t, live, w.dump(t), "one rebuild batch: new rows folded in memory")

	// The live projection goes on after the swap.
	_, err := w.h.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: w.www, Reason: "superseded"}, devops)
	require.NoError(t, err)
	w.waitLive(t, w.runner)
	www, err := w.q.Certificate(ctx, w.www)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusRevoked, www.Status)
	live = w.dump(t)
	w.stop()

	for _, chunk := range []int{1, 7} {
		r := w.env.runner(t, projections.WithRebuildChunk(chunk))
		require.NoError(t, r.Rebuild(ctx, pki.Name, nil))
		assert.Equal(t, live, w.dump(t), "rebuild in chunks of %d events: rows patched across batches", chunk)
	}
}
