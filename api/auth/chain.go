package auth

import (
	"context"
	"strings"

	"github.com/certledger/certledger/domain"
)

// APITokenPrefix starts every API token the ledger hands out.
const APITokenPrefix = "clt_"

// Chain sends a bearer token to the one authenticator responsible for tokens of its shape:
//   - a token starting with APITokenPrefix to APITokens;
//   - a JWT (exactly two dots) to OIDC;
//   - anything else to Static.
//
// A refusal is final: Chain never tries another authenticator after the responsible one failed,
// so a token meant for one mechanism can never be accepted by another. A nil authenticator
// refuses every token of its shape.
type Chain struct {
	Static    Authenticator
	APITokens Authenticator
	OIDC      Authenticator
}

// Authenticate returns the actor the responsible authenticator finds for token, or its error
// unchanged.
func (c Chain) Authenticate(ctx context.Context, token string) (domain.Actor, error) {
	responsible := c.responsibleFor(token)
	if responsible == nil {
		return domain.Actor{}, invalidf("no authenticator for this kind of token")
	}
	return responsible.Authenticate(ctx, token)
}

// responsibleFor picks the authenticator for the token's shape.
func (c Chain) responsibleFor(token string) Authenticator {
	switch {
	case strings.HasPrefix(token, APITokenPrefix):
		return c.APITokens
	case looksLikeJWT(token):
		return c.OIDC
	default:
		return c.Static
	}
}

// looksLikeJWT reports whether token has the shape of a compact JWS: three parts, two dots.
func looksLikeJWT(token string) bool {
	return strings.Count(token, ".") == 2
}
