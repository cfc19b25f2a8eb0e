package hsm_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestParseKeyAlgorithm(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     hsm.KeyAlgorithm
		wantErr  bool
	}{
		{name: "p256", in: "ecdsa-p256", want: hsm.ECDSAP256},
		{name: "p384", in: "ecdsa-p384", want: hsm.ECDSAP384},
		{name: "rsa2048", in: "rsa-2048", want: hsm.RSA2048},
		{name: "rsa3072", in: "rsa-3072", want: hsm.RSA3072},
		{name: "rsa4096", in: "rsa-4096", want: hsm.RSA4096},
		{name: "ed25519", in: "ed25519", want: hsm.Ed25519},
		{name: "case and spaces", in: "  ECDSA-P256 ", want: hsm.ECDSAP256},
		{name: "unknown", in: "rsa-1024", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := hsm.ParseKeyAlgorithm(tc.in)
			if tc.wantErr {
				require.ErrorIs(t, err, hsm.ErrUnsupportedAlgorithm)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestKeyInfoJSON(t *testing.T) {
	h := hsmtest.Open(t)
	info, err := h.GenerateKey(context.Background(), hsmtest.Label(t, "json"), hsm.ECDSAP256)
	require.NoError(t, err)

	b, err := json.Marshal(info)
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(b, &fields))
	assert.Equal(t, hex.EncodeToString(info.ID), fields["id"], "the ID is hex")
	assert.Equal(t, "ecdsa-p256", fields["algorithm"])

	var back hsm.KeyInfo
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, info.ID, back.ID)
	assert.Equal(t, info.Label, back.Label)
	assert.Equal(t, info.Algorithm, back.Algorithm)
	assert.Equal(t, info.PublicKey, back.PublicKey)
}
