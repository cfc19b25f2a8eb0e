package hsm_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

// BenchmarkSign measures signatures per second through the token from all cores, the way the
// OCSP responder and the issuer sign.
func BenchmarkSign(b *testing.B) {
	h := hsmtest.Open(b)
	for _, bc := range []struct {
		name string
		alg  hsm.KeyAlgorithm
	}{
		{name: "ecdsa-p256", alg: hsm.ECDSAP256},
		{name: "rsa-2048", alg: hsm.RSA2048},
	} {
		b.Run(bc.name, func(b *testing.B) {
			label := hsmtest.Label(b, "bench")
			_, err := h.GenerateKey(context.Background(), label, bc.alg)
			require.NoError(b, err)
			digest := sha256.Sum256([]byte("benchmark"))

			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					signer, err := h.Signer(label)
					if err != nil {
						b.Error(err)
						return
					}
					if _, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sigs/s")
		})
	}
}
