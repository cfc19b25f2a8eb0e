package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

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
