package auth_test

import (
	"context"
	"errors"
	"testing"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/auth/authtest"
)

// FuzzOIDCAuthenticate feeds arbitrary strings to Authenticate: it must never panic, every
// refusal must wrap ErrInvalidToken, and whatever it accepts must name a subject.
func FuzzOIDCAuthenticate(f *testing.F) {
	issuer := authtest.NewIssuer(f)
	verifier, _ := newVerifier(f, issuer)
	valid := issuer.Mint(f, validClaims())
	f.Add(valid)
	for _, cut := range []int{1, 10, len(valid) / 2, len(valid) - 1} {
		f.Add(valid[:cut])
	}
	f.Add(issuer.MintWithoutKeyID(f, validClaims()))
	f.Add(handmadeToken(f, map[string]any{"alg": "none"}, validPayload(issuer), noSignature))
	f.Add("")
	f.Add("..")

	f.Fuzz(func(t *testing.T, token string) {
		actor, err := verifier.Authenticate(context.Background(), token)
		if err != nil {
			if !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("refusal %v does not wrap ErrInvalidToken", err)
			}
			return
		}
		if actor.Subject == "" {
			t.Fatalf("accepted %q without a subject", token)
		}
	})
}
