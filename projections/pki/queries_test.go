package pki_test

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

// pages lists every page of f, limit certificates at a time, and returns the ids in order.
func pages(t *testing.T, q *pki.Queries, f pki.CertificateFilter, limit int) (ids []uuid.UUID, n int) {
	t.Helper()
	cursor := ""
	for {
		items, next, err := q.ListCertificates(context.Background(), f, cursor, limit)
		require.NoError(t, err)
		require.LessOrEqual(t, len(items), limit)
		for _, c := range items {
			ids = append(ids, c.ID)
		}
		n++
		if next == "" {
			return ids, n
		}
		require.Len(t, items, limit, "only the last page is short")
		cursor = next
	}
}

func TestListCertificatesFiltersAndPages(t *testing.T) {
	w := newWorld(t)
	all, next, err := w.q.ListCertificates(context.Background(), pki.CertificateFilter{}, "", pki.MaxPageSize)
	require.NoError(t, err)
	require.Empty(t, next)
	require.Len(t, all, 20)
	require.True(t, slices.IsSortedFunc(all, func(a, b pki.CertificateRow) int { return strings.Compare(a.ID.String(), b.ID.String()) }))

	soon := time.Now().Add(40 * 24 * time.Hour)
	past := time.Now().Add(-24 * time.Hour)
	tests := []struct {
		name   string
		filter pki.CertificateFilter
		want   func(c pki.CertificateRow) bool
	}{
		{"everything", pki.CertificateFilter{}, func(pki.CertificateRow) bool { return true }},
		{"status", pki.CertificateFilter{Status: domain.StatusIssued}, func(c pki.CertificateRow) bool { return c.Status == domain.StatusIssued }},
		{"team", pki.CertificateFilter{Team: "payments"}, func(c pki.CertificateRow) bool { return c.Team == "payments" }},
		{"status and team", pki.CertificateFilter{Status: domain.StatusIssued, Team: "web"},
			func(c pki.CertificateRow) bool { return c.Status == domain.StatusIssued && c.Team == "web" }},
		{"owner", pki.CertificateFilter{Owner: "sec@example.com"}, func(c pki.CertificateRow) bool { return c.Owner == "sec@example.com" }},
		{"CA", pki.CertificateFilter{CAID: w.interB}, func(c pki.CertificateRow) bool { return c.CAID == w.interB }},
		{"key type", pki.CertificateFilter{KeyType: domain.KeyECDSAP256}, func(c pki.CertificateRow) bool { return true }},
		{"other key type", pki.CertificateFilter{KeyType: domain.KeyRSA2048}, func(c pki.CertificateRow) bool { return false }},
		{"expires before", pki.CertificateFilter{ExpiresBefore: &soon}, func(c pki.CertificateRow) bool { return c.NotAfter != nil }},
		{"expires after", pki.CertificateFilter{ExpiresAfter: &soon}, func(c pki.CertificateRow) bool { return false }},
		{"expires in range", pki.CertificateFilter{ExpiresAfter: &past, ExpiresBefore: &soon},
			func(c pki.CertificateRow) bool { return c.NotAfter != nil }},
		{"SAN substring, any case", pki.CertificateFilter{SAN: "SHOP.Example"},
			func(c pki.CertificateRow) bool { return c.ID == w.shop || c.ID == w.shop2 }},
		{"SAN of a second name", pki.CertificateFilter{SAN: "mail."}, func(c pki.CertificateRow) bool { return c.ID == w.api }},
		{"SAN wildcards are literal", pki.CertificateFilter{SAN: "host-_"}, func(c pki.CertificateRow) bool { return false }},
		{"SAN percent is literal", pki.CertificateFilter{SAN: "%"}, func(c pki.CertificateRow) bool { return false }},
		{"SAN exact", pki.CertificateFilter{SANExact: "host-03.example.com"}, func(c pki.CertificateRow) bool { return c.ID == w.bulk[3] }},
		{"SAN exact is not a substring", pki.CertificateFilter{SANExact: "host-03"}, func(c pki.CertificateRow) bool { return false }},
		{"web under A, issued, with host",
			pki.CertificateFilter{Status: domain.StatusIssued, Team: "web", CAID: w.interA, SAN: "host"},
			func(c pki.CertificateRow) bool { return slices.Contains(w.bulk, c.ID) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []uuid.UUID
			for _, c := range all {
				if tt.want(c) {
					want = append(want, c.ID)
				}
			}
			for _, limit := range []int{1, 3, 50} {
				got, n := pages(t, w.q, tt.filter, limit)
				assert.Equal(t, want, got, "limit %d: every match once, in id order", limit)
				assert.Equal(t, max(1, (len(want)+limit-1)/limit), n, "limit %d: pages", limit)
			}
		})
	}

	items, _, err := w.q.ListCertificates(context.Background(), pki.CertificateFilter{}, "", 0)
	require.NoError(t, err)
	assert.Len(t, items, 20, "limit 0 is the default page size")
	assert.Empty(t, items[0].PEM, "pages leave the PEM out")
	_, _, err = w.q.ListCertificates(context.Background(), pki.CertificateFilter{}, "not a cursor!", 10)
	assert.ErrorIs(t, err, pki.ErrBadCursor)
}

func TestOCSPStatus(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	serialOf := func(id uuid.UUID) *big.Int {
		s, ok := new(big.Int).SetString(w.certificate(t, id).Serial(), 16)
		require.True(t, ok)
		return s
	}
	api := w.certificate(t, w.api)
	apiRevocation, _ := api.Revocation()
	interB := w.ca(t, w.interB)
	respDER, _, _, _ := w.ca(t, w.interA).Responder()
	resp := parseCert(t, respDER)

	tests := []struct {
		name   string
		issuer uuid.UUID
		serial *big.Int
		want   domain.SerialStatus
	}{
		{"issued", w.interA, serialOf(w.www), domain.SerialStatus{Kind: domain.SerialGood}},
		{"superseded", w.interA, serialOf(w.shop), domain.SerialStatus{Kind: domain.SerialGood}},
		{"expired keeps its last status", w.interA, serialOf(w.expired), domain.SerialStatus{Kind: domain.SerialGood}},
		{"revoked", w.interA, serialOf(w.api),
			domain.SerialStatus{Kind: domain.SerialRevoked, RevokedAt: apiRevocation.RevokedAt.UTC().Truncate(time.Microsecond), Reason: domain.ReasonKeyCompromise}},
		{"never issued", w.interA, big.NewInt(12345), domain.SerialStatus{Kind: domain.SerialUnknown}},
		{"issued by another CA", w.root, serialOf(w.www), domain.SerialStatus{Kind: domain.SerialUnknown}},
		{"issued by B, asked of A", w.interA, serialOf(w.onB), domain.SerialStatus{Kind: domain.SerialUnknown}},
		{"intermediate CA", w.root, w.ca(t, w.interA).Certificate().SerialNumber, domain.SerialStatus{Kind: domain.SerialGood}},
		{"revoked intermediate CA", w.root, interB.Certificate().SerialNumber,
			domain.SerialStatus{Kind: domain.SerialRevoked, RevokedAt: interBRevokedAt(t, w), Reason: domain.ReasonCACompromise}},
		{"responder certificate", w.interA, resp.SerialNumber, domain.SerialStatus{Kind: domain.SerialGood}},
		{"negative serial", w.interA, big.NewInt(-1), domain.SerialStatus{Kind: domain.SerialUnknown}},
		{"unknown CA", uuid.New(), serialOf(w.www), domain.SerialStatus{Kind: domain.SerialUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.q.Status(ctx, tt.issuer.String(), tt.serial)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := w.q.Status(ctx, "not-a-uuid", big.NewInt(1))
	assert.Error(t, err)
}

func TestRevocations(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	all, err := w.q.RevokedSince(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, all, 2)
	apiSerial, _ := new(big.Int).SetString(w.certificate(t, w.api).Serial(), 16)
	assert.Equal(t, w.interA, all[0].CAID, "the certificate was revoked first")
	assert.Equal(t, 0, apiSerial.Cmp(all[0].Serial))
	assert.Equal(t, int(domain.ReasonKeyCompromise), all[0].Reason)
	assert.NotNil(t, all[0].InvalidityDate)
	assert.Equal(t, w.root, all[1].CAID, "the intermediate CA is listed under its parent")
	assert.Equal(t, 0, w.ca(t, w.interB).Certificate().SerialNumber.Cmp(all[1].Serial))
	assert.True(t, interBRevokedAt(t, w).Equal(all[1].RevokedAt))
	assert.False(t, all[0].CACertificate, "an end-entity certificate")
	assert.True(t, all[1].CACertificate, "the intermediate CA's certificate")
	assert.Less(t, all[0].Position, all[1].Position)

	rest, err := w.q.RevokedSince(ctx, all[0].Position, 10)
	require.NoError(t, err)
	assert.Equal(t, all[1:], rest)
	none, err := w.q.RevokedSince(ctx, all[1].Position, 10)
	require.NoError(t, err)
	assert.Empty(t, none)
	first, err := w.q.RevokedSince(ctx, 0, 1)
	require.NoError(t, err)
	assert.Equal(t, all[:1], first)

	byCA, err := w.q.RevokedByCA(ctx, w.interA)
	require.NoError(t, err)
	assert.Equal(t, all[:1], byCA)
	byCA, err = w.q.RevokedByCA(ctx, w.interB)
	require.NoError(t, err)
	assert.Empty(t, byCA)
}

// interBRevokedAt returns when the world's intermediate B was revoked, from the read model.
func interBRevokedAt(t *testing.T, w *world) time.Time {
	t.Helper()
	ca, err := w.q.CA(context.Background(), w.interB)
	require.NoError(t, err)
	require.NotNil(t, ca.RevokedAt)
	return *ca.RevokedAt
}
