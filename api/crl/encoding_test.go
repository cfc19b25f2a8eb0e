package crl_test

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/crl"
)

// TestSameTBSAsGo checks the hand-assembled TBSCertList byte for byte against what
// x509.CreateRevocationList encodes for the same CRL.
func TestSameTBSAsGo(t *testing.T) {
	p := newPKI(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	before := at.Add(-36 * time.Hour)
	tests := []struct {
		name    string
		entries []crl.Entry
	}{
		{"no entries", nil},
		{"one entry, no reason", []crl.Entry{{Serial: big.NewInt(5), RevokedAt: at}}},
		{"several entries with reasons", []crl.Entry{
			{Serial: big.NewInt(1), RevokedAt: at, Reason: crl.ReasonKeyCompromise},
			{Serial: big.NewInt(1000), RevokedAt: at.Add(time.Minute), Reason: crl.ReasonAACompromise},
			{Serial: new(big.Int).Lsh(big.NewInt(1), 158), RevokedAt: at, Reason: crl.ReasonSuperseded},
		}},
		{"revocation after 2049 (GeneralizedTime)", []crl.Entry{{Serial: big.NewInt(9), RevokedAt: time.Date(2051, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		{"serials needing a leading zero octet", []crl.Entry{
			{Serial: big.NewInt(0), RevokedAt: at},
			{Serial: big.NewInt(0x80), RevokedAt: at},
			{Serial: new(big.Int).SetBytes([]byte{0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}), RevokedAt: at},
		}},
		{"invalidity date and reason", []crl.Entry{{Serial: big.NewInt(12), RevokedAt: at, Reason: crl.ReasonKeyCompromise, InvalidityDate: &before}}},
		{"invalidity date, no reason", []crl.Entry{{Serial: big.NewInt(13), RevokedAt: at.In(time.FixedZone("CET", 3600)), InvalidityDate: &before}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := crl.NewBuilder(p.issuer)
			require.NoError(t, err)
			tmpl := &x509.RevocationList{Number: big.NewInt(77), ThisUpdate: at, NextUpdate: at.Add(time.Hour)}
			for _, e := range tc.entries {
				require.NoError(t, b.Add(e))
				entry := x509.RevocationListEntry{SerialNumber: e.Serial, RevocationTime: e.RevokedAt, ReasonCode: e.Reason}
				if e.InvalidityDate != nil {
					value, err := asn1.MarshalWithParams(*e.InvalidityDate, "generalized")
					require.NoError(t, err)
					entry.ExtraExtensions = []pkix.Extension{{Id: oidInvalidityDate, Value: value}}
				}
				tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, entry)
			}
			ours, err := b.Complete(crl.Params{Number: big.NewInt(77), ThisUpdate: at, NextUpdate: at.Add(time.Hour)})
			require.NoError(t, err)
			theirs, err := x509.CreateRevocationList(rand.Reader, tmpl, p.ca, p.caKey)
			require.NoError(t, err)
			a, err := x509.ParseRevocationList(ours)
			require.NoError(t, err)
			g, err := x509.ParseRevocationList(theirs)
			require.NoError(t, err)
			assert.Equal(t, g.RawTBSRevocationList, a.RawTBSRevocationList)
			require.NoError(t, a.CheckSignatureFrom(p.ca))
		})
	}
}

// TestManyEntriesInBatchesStaySortedAndUnique adds random serials in batches of different
// sizes, with repeats, and checks the CRL against a plain map: every serial once, in order, with
// the reason of its last revocation.
func TestManyEntriesInBatchesStaySortedAndUnique(t *testing.T) {
	p := newPKI(t)
	b, err := crl.NewBuilder(p.issuer)
	require.NoError(t, err)
	rng := mrand.New(mrand.NewPCG(7, 11))
	want := map[string]int{}
	var serials []*big.Int
	at := time.Now()
	for _, batch := range []int{1, 5000, 1, 1, 20000, 300, 1} {
		for i := 0; i < batch; i++ {
			var serial *big.Int
			if len(serials) > 0 && rng.IntN(10) == 0 {
				serial = serials[rng.IntN(len(serials))] // A repeat, with a new reason.
			} else {
				serial = new(big.Int).SetUint64(rng.Uint64())
				serial.Lsh(serial, uint(rng.IntN(90))).Add(serial, big.NewInt(rng.Int64N(1000)))
				serials = append(serials, serial)
			}
			reason := []int{0, 1, 3, 4, 5}[rng.IntN(5)]
			require.NoError(t, b.Add(crl.Entry{Serial: serial, RevokedAt: at, Reason: reason}))
			want[serial.String()] = reason
		}
		der, err := b.Complete(params(int64(len(want))))
		require.NoError(t, err)
		list, err := x509.ParseRevocationList(der)
		require.NoError(t, err)
		require.Len(t, list.RevokedCertificateEntries, len(want))
		require.Equal(t, len(want), b.Len())
		for i, e := range list.RevokedCertificateEntries {
			if i > 0 {
				require.Equal(t, 1, e.SerialNumber.Cmp(list.RevokedCertificateEntries[i-1].SerialNumber), "sorted and unique at %d", i)
			}
			reason, ok := want[e.SerialNumber.String()]
			require.True(t, ok)
			require.Equal(t, reason, e.ReasonCode)
		}
	}
}
