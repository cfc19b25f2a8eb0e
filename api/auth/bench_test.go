package auth_test

import (
	"context"
	"testing"

	"github.com/certledger/certledger/api/auth/authtest"
)

// BenchmarkOIDCAuthenticate measures verifying one ES256 JWT against the cached JWKS.
func BenchmarkOIDCAuthenticate(b *testing.B) {
	issuer := authtest.NewIssuer(b)
	verifier, _ := newVerifier(b, issuer)
	token := issuer.Mint(b, validClaims())
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := verifier.Authenticate(ctx, token); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auths/s")
}
