package crl_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/crl"
)

// entries returns n revoked entries with random 128-bit serials (the same for every call), a
// third with reason keyCompromise and a tenth with an invalidity date. They are made afresh for
// each caller rather than kept, so that they do not weigh on the garbage collector later.
func entries(n int) []crl.Entry {
	rng := mrand.New(mrand.NewPCG(1, 2))
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	invalid := at.Add(-time.Hour)
	out := make([]crl.Entry, n)
	for i := range out {
		serial := new(big.Int).SetUint64(rng.Uint64())
		serial.Lsh(serial, 64).Or(serial, new(big.Int).SetUint64(rng.Uint64()|1))
		e := crl.Entry{Serial: serial, RevokedAt: at.Add(time.Duration(i) * time.Second), Reason: []int{0, 1, 4}[i%3]}
		if i%10 == 0 {
			e.InvalidityDate = &invalid
		}
		out[i] = e
	}
	return out
}

// loadedBuilder returns a Builder holding n entries, sorted once already.
func loadedBuilder(b *testing.B, p *pki, n int) *crl.Builder {
	bl, err := crl.NewBuilder(p.issuer)
	require.NoError(b, err)
	for _, e := range entries(n) {
		require.NoError(b, bl.Add(e))
	}
	_, err = bl.Complete(params(1))
	require.NoError(b, err)
	runtime.GC()
	return bl
}

// BenchmarkBuildCRL measures building and signing a complete CRL from the cached entry
// encodings, next to x509.CreateRevocationList encoding the same entries every time.
func BenchmarkBuildCRL(b *testing.B) {
	p := newPKI(b)
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("impl=cached/entries=%d", n), func(b *testing.B) {
			bl := loadedBuilder(b, p, n)
			var size int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				der, err := bl.Complete(params(int64(i + 2)))
				require.NoError(b, err)
				size = len(der)
			}
			reportBuild(b, size)
		})
		b.Run(fmt.Sprintf("impl=x509.CreateRevocationList/entries=%d", n), func(b *testing.B) {
			tmpl := &x509.RevocationList{ThisUpdate: time.Now(), NextUpdate: time.Now().Add(time.Hour)}
			for _, e := range entries(n) {
				tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
					x509.RevocationListEntry{SerialNumber: e.Serial, RevocationTime: e.RevokedAt, ReasonCode: e.Reason})
			}
			var size int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tmpl.Number = big.NewInt(int64(i + 1))
				der, err := x509.CreateRevocationList(rand.Reader, tmpl, p.ca, p.caKey)
				require.NoError(b, err)
				size = len(der)
			}
			reportBuild(b, size)
		})
	}
}

func reportBuild(b *testing.B, size int) {
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	b.ReportMetric(float64(size)/1e6, "MB/crl")
}

// BenchmarkRevokeThenRebuild measures what one revocation costs a CA of n entries: adding
// (encoding) a new entry, then building and signing the complete CRL, or only the delta CRL
// (which then lists that one entry). The Builder is reloaded, untimed, whenever it has grown by
// 1%, so that n stays n.
func BenchmarkRevokeThenRebuild(b *testing.B) {
	p := newPKI(b)
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		for _, kind := range []string{"complete", "delta"} {
			b.Run(fmt.Sprintf("crl=%s/entries=%d", kind, n), func(b *testing.B) {
				bl := loadedBuilder(b, p, n)
				next := new(big.Int).Lsh(big.NewInt(1), 150)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if bl.Len() > n+n/100 {
						b.StopTimer()
						bl = loadedBuilder(b, p, n)
						b.StartTimer()
					}
					bl.ResetDelta()
					next.Add(next, big.NewInt(int64(mrand.IntN(1<<20)+1)))
					require.NoError(b, bl.Add(crl.Entry{Serial: new(big.Int).Set(next), RevokedAt: time.Now(), Reason: crl.ReasonKeyCompromise}))
					var err error
					if kind == "complete" {
						_, err = bl.Complete(params(int64(i + 2)))
					} else {
						_, err = bl.Delta(params(int64(i+2)), big.NewInt(1))
					}
					require.NoError(b, err)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/revocation")
			})
		}
	}
}

// BenchmarkInitialLoad measures a Service's start for one CA with 1M revoked entries: reading
// them from the (in-memory) Source, encoding each once, and building the first complete and
// delta CRLs.
func BenchmarkInitialLoad(b *testing.B) {
	p := newPKI(b)
	src := &source{}
	for _, e := range entries(1_000_000) {
		src.revoke("root", e)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		svc := newService(b, p, positioned{src}, &memNumbers{}, crl.Config{})
		require.NoError(b, svc.Refresh(context.Background()))
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/load")
}
