package hsm_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestConcurrentSigning(t *testing.T) {
	h := hsmtest.Open(t)
	for _, tc := range []struct {
		name string
		alg  hsm.KeyAlgorithm
		sigs int
	}{
		{name: "ecdsa-p256", alg: hsm.ECDSAP256, sigs: 40},
		{name: "rsa-2048", alg: hsm.RSA2048, sigs: 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			label := hsmtest.Label(t, "concurrent")
			info, err := h.GenerateKey(context.Background(), label, tc.alg)
			require.NoError(t, err)

			var wg sync.WaitGroup
			for g := range 32 {
				wg.Go(func() {
					for i := range tc.sigs {
						signer, err := h.Signer(label) // the cached signer, every time
						if !assert.NoError(t, err) {
							return
						}
						digest := sha256.Sum256(fmt.Appendf(nil, "goroutine %d signature %d", g, i))
						sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
						if !assert.NoError(t, err) {
							return
						}
						verify(t, info.PublicKey, digest[:], sig)
					}
				})
			}
			wg.Wait()
		})
	}
}
