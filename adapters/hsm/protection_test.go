package hsm_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestGeneratedKeysStayInTheToken(t *testing.T) {
	h := hsmtest.Open(t)
	for _, tc := range []struct {
		name string
		alg  hsm.KeyAlgorithm
	}{
		{name: "ecdsa-p256", alg: hsm.ECDSAP256},
		{name: "ecdsa-p384", alg: hsm.ECDSAP384},
		{name: "rsa-2048", alg: hsm.RSA2048},
	} {
		t.Run(tc.name, func(t *testing.T) {
			label := hsmtest.Label(t, "protected")
			_, err := h.GenerateKey(context.Background(), label, tc.alg)
			require.NoError(t, err)

			p, err := h.KeyProtection(label)
			require.NoError(t, err)
			assert.Equal(t, hsm.Protection{
				Token:            true,
				Private:          true,
				Sensitive:        true,
				Extractable:      false,
				AlwaysSensitive:  true,
				NeverExtractable: true,
				Local:            true,
			}, p)
		})
	}
}

func TestRSAKeysAreSigningOnly(t *testing.T) {
	h := hsmtest.Open(t)
	label := hsmtest.Label(t, "rsa")
	info, err := h.GenerateKey(context.Background(), label, hsm.RSA2048)
	require.NoError(t, err)
	signer, err := h.Signer(label)
	require.NoError(t, err)
	dec, ok := signer.(crypto.Decrypter)
	require.True(t, ok, "crypto11 RSA keys implement crypto.Decrypter")

	ciphertext, err := rsa.EncryptPKCS1v15(rand.Reader, info.PublicKey.(*rsa.PublicKey), []byte("secret"))
	require.NoError(t, err)
	_, err = dec.Decrypt(rand.Reader, ciphertext, nil)
	assert.Error(t, err, "CKA_DECRYPT is false, the token must refuse")
}

func TestPSSNeedsAnExplicitSaltLength(t *testing.T) {
	h := hsmtest.Open(t)
	label := hsmtest.Label(t, "pss")
	info, err := h.GenerateKey(context.Background(), label, hsm.RSA2048)
	require.NoError(t, err)
	signer, err := h.Signer(label)
	require.NoError(t, err)
	digest := crypto.SHA256.New()
	digest.Write([]byte("pss"))
	sum := digest.Sum(nil)

	for _, tc := range []struct {
		name    string
		salt    int
		wantErr bool
	}{
		{name: "auto is unsupported", salt: rsa.PSSSaltLengthAuto, wantErr: true},
		{name: "equals hash works", salt: rsa.PSSSaltLengthEqualsHash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := &rsa.PSSOptions{SaltLength: tc.salt, Hash: crypto.SHA256}
			sig, err := signer.Sign(rand.Reader, sum, opts)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.NoError(t, rsa.VerifyPSS(info.PublicKey.(*rsa.PublicKey), crypto.SHA256, sum, sig, opts))
		})
	}
}
