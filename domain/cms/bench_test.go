package cms_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain/cms"
)

// BenchmarkDetached measures what CMS adds to a signature: the signed attributes, their
// digest and the SignedData encoding with a leaf and one CA, the signature itself excluded
// (issue 12 aims at < 100 µs).
func BenchmarkDetached(b *testing.B) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(b, err)
	s := newCodeSigner(b, key)
	digest := make([]byte, 32)
	sig, err := key.Sign(rand.Reader, digest, crypto.SHA256)
	require.NoError(b, err)
	now := time.Now()
	for b.Loop() {
		sd, err := cms.NewDetached(digest, crypto.SHA256, s.cert, []*x509.Certificate{s.ca}, now)
		if err != nil {
			b.Fatal(err)
		}
		_ = sd.Digest()
		if _, err := sd.Finish(sig); err != nil {
			b.Fatal(err)
		}
	}
}
