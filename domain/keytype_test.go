package domain_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestParseKeyType(t *testing.T) {
	for _, k := range domain.KeyTypes() {
		t.Run(string(k), func(t *testing.T) {
			got, err := domain.ParseKeyType(string(k))
			assert.NoError(t, err)
			assert.Equal(t, k, got)
		})
	}
	_, err := domain.ParseKeyType("rsa-1024")
	assert.True(t, domain.IsKind(err, domain.KindInvalid))
	assert.True(t, domain.KeyRSA3072.IsRSA())
	assert.False(t, domain.KeyEd25519.IsRSA())
}

func TestUsageNames(t *testing.T) {
	assert.Equal(t, []string{"contentCommitment", "dataEncipherment", "digitalSignature", "keyAgreement", "keyEncipherment"}, domain.KeyUsageNames())
	assert.Equal(t, []string{"clientAuth", "codeSigning", "emailProtection", "ocspSigning", "serverAuth", "timeStamping"}, domain.ExtKeyUsageNames())
}

func TestKeyTypeFamiliesAndQuantumVulnerability(t *testing.T) {
	for kt, want := range map[domain.KeyType]struct {
		family     string
		vulnerable bool
	}{
		domain.KeyRSA2048: {"RSA", true}, "rsa-1024": {"RSA", true}, domain.KeyECDSAP384: {"ECDSA", true},
		domain.KeyEd25519: {"Ed25519", true}, "ml-dsa-65": {"ML-DSA", false}, "unsupported-x": {"other", true},
	} {
		assert.Equal(t, want.family, kt.Family(), kt)
		assert.Equal(t, want.vulnerable, kt.QuantumVulnerable(), kt)
	}
}

func TestKeyBits(t *testing.T) {
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ed, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	assert.Equal(t, 256, domain.KeyBits(&p256.PublicKey))
	assert.Equal(t, 2048, domain.KeyBits(&rsa2048.PublicKey))
	assert.Equal(t, 256, domain.KeyBits(ed))
	assert.Equal(t, 0, domain.KeyBits("not a key"))
}
