package crl_test

import (
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/crl"
)

var (
	oidReasonCode     = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidInvalidityDate = asn1.ObjectIdentifier{2, 5, 29, 24}
	oidDeltaIndicator = asn1.ObjectIdentifier{2, 5, 29, 27}
)

func params(number int64) crl.Params {
	now := time.Now().UTC().Truncate(time.Second)
	return crl.Params{Number: big.NewInt(number), ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour)}
}

func TestCompleteCRLParsesWithGoAndListsEntriesBySerial(t *testing.T) {
	p := newPKI(t)
	b, err := crl.NewBuilder(p.issuer)
	require.NoError(t, err)
	revokedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	invalid := revokedAt.Add(-24 * time.Hour)
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(300), RevokedAt: revokedAt}))
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(7), RevokedAt: revokedAt, Reason: crl.ReasonKeyCompromise, InvalidityDate: &invalid}))
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(70000), RevokedAt: revokedAt, Reason: crl.ReasonSuperseded}))
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(300), RevokedAt: revokedAt, Reason: crl.ReasonCessationOfOperation}), "a second revocation of a serial replaces the first")
	assert.Equal(t, 3, b.Len())

	der, err := b.Complete(params(42))
	require.NoError(t, err)
	list, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	require.NoError(t, list.CheckSignatureFrom(p.ca))
	assert.Equal(t, big.NewInt(42), list.Number)
	assert.Equal(t, p.ca.SubjectKeyId, list.AuthorityKeyId)
	assert.Equal(t, p.ca.RawSubject, list.RawIssuer)
	require.Len(t, list.RevokedCertificateEntries, 3)
	var serials []int64
	for _, e := range list.RevokedCertificateEntries {
		serials = append(serials, e.SerialNumber.Int64())
		assert.Equal(t, revokedAt, e.RevocationTime)
	}
	assert.Equal(t, []int64{7, 300, 70000}, serials, "entries are sorted by serial number")
	assert.Equal(t, crl.ReasonKeyCompromise, list.RevokedCertificateEntries[0].ReasonCode)
	assert.Equal(t, crl.ReasonCessationOfOperation, list.RevokedCertificateEntries[1].ReasonCode)
	var gotInvalid time.Time
	exts := list.RevokedCertificateEntries[0].Extensions
	require.Len(t, exts, 2)
	assert.True(t, exts[0].Id.Equal(oidInvalidityDate))
	assert.True(t, exts[1].Id.Equal(oidReasonCode))
	_, err = asn1.UnmarshalWithParams(exts[0].Value, &gotInvalid, "generalized")
	require.NoError(t, err)
	assert.Equal(t, invalid, gotInvalid)
}

func TestUnspecifiedReasonCarriesNoReasonExtension(t *testing.T) {
	p := newPKI(t)
	b, err := crl.NewBuilder(p.issuer)
	require.NoError(t, err)
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(1), RevokedAt: time.Now(), Reason: crl.ReasonUnspecified}))
	der, err := b.Complete(params(1))
	require.NoError(t, err)
	list, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	require.Len(t, list.RevokedCertificateEntries, 1)
	assert.Empty(t, list.RevokedCertificateEntries[0].Extensions)
	assert.NotContains(t, opensslCRLText(t, der), "Reason Code")
}

func TestDeltaListsOnlyEntriesSinceReset(t *testing.T) {
	p := newPKI(t)
	b, err := crl.NewBuilder(p.issuer)
	require.NoError(t, err)
	now := time.Now()
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(1), RevokedAt: now}))
	b.ResetDelta()
	require.NoError(t, b.Add(crl.Entry{Serial: big.NewInt(2), RevokedAt: now, Reason: crl.ReasonKeyCompromise}))
	der, err := b.Delta(params(11), big.NewInt(10))
	require.NoError(t, err)
	list, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	require.Len(t, list.RevokedCertificateEntries, 1)
	assert.Equal(t, int64(2), list.RevokedCertificateEntries[0].SerialNumber.Int64())
	var found bool
	for _, ext := range list.Extensions {
		if ext.Id.Equal(oidDeltaIndicator) {
			found = true
			assert.True(t, ext.Critical, "the Delta CRL Indicator is critical")
			var base *big.Int
			_, err := asn1.Unmarshal(ext.Value, &base)
			require.NoError(t, err)
			assert.Equal(t, big.NewInt(10), base)
		}
	}
	assert.True(t, found, "Delta CRL Indicator present")
	assert.Equal(t, 2, b.Len())
	assert.Equal(t, 1, b.DeltaLen())
}

func TestInvalidEntriesAreRefused(t *testing.T) {
	p := newPKI(t)
	b, err := crl.NewBuilder(p.issuer)
	require.NoError(t, err)
	now := time.Now()
	zero := time.Time{}
	tests := []struct {
		name  string
		entry crl.Entry
		want  string
	}{
		{"no serial", crl.Entry{RevokedAt: now}, "no serial"},
		{"negative serial", crl.Entry{Serial: big.NewInt(-1), RevokedAt: now}, "negative"},
		{"serial over 20 octets", crl.Entry{Serial: new(big.Int).Lsh(big.NewInt(1), 160), RevokedAt: now}, "20 octets"},
		{"no revocation date", crl.Entry{Serial: big.NewInt(1)}, "no revocation date"},
		{"unused reason 7", crl.Entry{Serial: big.NewInt(1), RevokedAt: now, Reason: 7}, "reason code 7"},
		{"removeFromCRL", crl.Entry{Serial: big.NewInt(1), RevokedAt: now, Reason: 8}, "reason code 8"},
		{"reason out of range", crl.Entry{Serial: big.NewInt(1), RevokedAt: now, Reason: 11}, "reason code 11"},
		{"zero invalidity date", crl.Entry{Serial: big.NewInt(1), RevokedAt: now, InvalidityDate: &zero}, "invalidity"},
		{"revoked after 9999", crl.Entry{Serial: big.NewInt(1), RevokedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "years 1–9999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Add(tc.entry)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.Zero(t, b.Len(), "refused entries are not kept")
}

func TestInvalidParamsAreRefused(t *testing.T) {
	p := newPKI(t)
	b, err := crl.NewBuilder(p.issuer)
	require.NoError(t, err)
	ok := params(5)
	tests := []struct {
		name  string
		build func() ([]byte, error)
		want  string
	}{
		{"no number", func() ([]byte, error) { q := ok; q.Number = nil; return b.Complete(q) }, "CRL number: missing"},
		{"zero number", func() ([]byte, error) { q := ok; q.Number = big.NewInt(0); return b.Complete(q) }, "not positive"},
		{"next update before this update", func() ([]byte, error) { q := ok; q.NextUpdate = q.ThisUpdate.Add(-time.Second); return b.Complete(q) }, "not after"},
		{"non-ASCII freshest URL", func() ([]byte, error) { q := ok; q.FreshestURL = "http://ex.com/ä"; return b.Complete(q) }, "not printable ASCII"},
		{"delta without base", func() ([]byte, error) { return b.Delta(ok, nil) }, "base: missing"},
		{"delta base not below number", func() ([]byte, error) { return b.Delta(ok, big.NewInt(5)) }, "not above its base"},
		{"delta with freshest CRL", func() ([]byte, error) { q := ok; q.FreshestURL = "http://x/d.crl"; return b.Delta(q, big.NewInt(1)) }, "Freshest"},
		{"partition without URL", func() ([]byte, error) { return crl.BuildPartition(p.issuer, nil, "", ok) }, "distribution point"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.build()
			require.Error(t, err)
			assert.True(t, strings.Contains(err.Error(), tc.want), "error %q should contain %q", err, tc.want)
		})
	}
}
