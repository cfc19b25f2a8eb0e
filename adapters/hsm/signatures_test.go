package hsm_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestSignaturesAreCountedPerKey(t *testing.T) {
	h := hsmtest.Open(t)
	label, other := hsmtest.Label(t, "counted"), hsmtest.Label(t, "other")
	for _, l := range []string{label, other} {
		_, err := h.GenerateKey(context.Background(), l, hsm.ECDSAP256)
		require.NoError(t, err)
	}
	assert.Zero(t, h.Signatures(label), "a key that never signed")

	digest := sha256.Sum256([]byte("counted"))
	for range 3 {
		s, err := h.Signer(label) // a new signer each time: the count belongs to the key
		require.NoError(t, err)
		_, err = s.Sign(rand.Reader, digest[:], crypto.SHA256)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(3), h.Signatures(label))
	assert.Zero(t, h.Signatures(other))
}
