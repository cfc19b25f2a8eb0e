package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/auth/authtest"
	"github.com/certledger/certledger/domain"
)

func TestOIDCAuthenticatesAValidToken(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)
	claims := validClaims()
	claims.Roles = []string{"ROLE_DEVOPS", "viewer"}

	actor, err := verifier.Authenticate(context.Background(), issuer.Mint(t, claims))

	require.NoError(t, err)
	assert.Equal(t, domain.Actor{Subject: "alice", Roles: []domain.Role{domain.RoleDevOps, domain.RoleViewer}, Team: "payments"}, actor)
}

func TestOIDCReadsRolesFromASpaceSeparatedString(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)
	claims := validClaims()
	claims.Extra = map[string]any{"roles": "sec_ops ROLE_ADMIN sec_ops"}

	actor, err := verifier.Authenticate(context.Background(), issuer.Mint(t, claims))

	require.NoError(t, err)
	assert.Equal(t, []domain.Role{domain.RoleSecOps, domain.RoleAdmin}, actor.Roles)
}

func TestOIDCIgnoresUnknownRoles(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)

	claims := validClaims()
	claims.Roles = []string{"wizard", "devops"}
	actor, err := verifier.Authenticate(context.Background(), issuer.Mint(t, claims))
	require.NoError(t, err)
	assert.Equal(t, []domain.Role{domain.RoleDevOps}, actor.Roles)

	claims.Roles = []string{"wizard"}
	actor, err = verifier.Authenticate(context.Background(), issuer.Mint(t, claims))
	require.NoError(t, err, "a token without a known role still authenticates")
	assert.Equal(t, "alice", actor.Subject)
	assert.Empty(t, actor.Roles)
}

func TestOIDCReadsConfiguredClaimNames(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: issuer.URL(), Audience: testAudience, JWKSURL: issuer.JWKSURL(),
		RolesClaim: "groups", TeamClaim: "org",
	})
	require.NoError(t, err)
	claims := validClaims()
	claims.Extra = map[string]any{"groups": []string{"viewer"}, "org": "platform"}

	actor, err := verifier.Authenticate(context.Background(), issuer.Mint(t, claims))

	require.NoError(t, err)
	assert.Equal(t, []domain.Role{domain.RoleViewer}, actor.Roles)
	assert.Equal(t, "platform", actor.Team)
}

func TestOIDCAcceptsAnExpiryWithinTheClockSkew(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)
	claims := validClaims()
	claims.ExpiresIn = -30 * time.Second

	_, err := verifier.Authenticate(context.Background(), issuer.Mint(t, claims))

	require.NoError(t, err)
}

func TestOIDCAcceptsATokenWithoutKeyIDWhenOneKeyFits(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)

	actor, err := verifier.Authenticate(context.Background(), issuer.MintWithoutKeyID(t, validClaims()))

	require.NoError(t, err)
	assert.Equal(t, "alice", actor.Subject)
}

func TestOIDCRefusesTokensWithInvalidClaims(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)
	tests := []struct {
		name   string
		change func(*authtest.Claims)
		reason string
	}{
		{"expired beyond the skew", func(c *authtest.Claims) { c.ExpiresIn = -2 * time.Minute }, "token expired"},
		{"not valid yet", func(c *authtest.Claims) { c.NotBefore = time.Now().Add(5 * time.Minute) }, "token not valid yet"},
		{"issued in the future", func(c *authtest.Claims) { c.Extra = map[string]any{"iat": time.Now().Add(time.Hour).Unix()} }, "issued in the future"},
		{"wrong audience", func(c *authtest.Claims) { c.Audience = []string{"another-api"} }, "audience mismatch"},
		{"no audience", func(c *authtest.Claims) { c.Audience = nil }, "audience mismatch"},
		{"wrong issuer", func(c *authtest.Claims) { c.Extra = map[string]any{"iss": "https://elsewhere.example"} }, "issuer mismatch"},
		{"no expiry", func(c *authtest.Claims) { c.Extra = map[string]any{"exp": nil} }, "no expiry"},
		{"no subject", func(c *authtest.Claims) { c.Subject = "" }, "no subject"},
		{"roles neither string nor array", func(c *authtest.Claims) { c.Extra = map[string]any{"roles": 7} }, `claim "roles"`},
		{"a role that is not a string", func(c *authtest.Claims) { c.Extra = map[string]any{"roles": []any{"devops", 7}} }, `claim "roles"`},
		{"team not a string", func(c *authtest.Claims) { c.Extra = map[string]any{"team": []string{"a"}} }, `claim "team"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := validClaims()
			tt.change(&claims)

			actor, err := verifier.Authenticate(context.Background(), issuer.Mint(t, claims))

			require.ErrorIs(t, err, auth.ErrInvalidToken)
			assert.ErrorContains(t, err, tt.reason)
			assert.Equal(t, domain.Actor{}, actor)
		})
	}
}

func TestOIDCRefusesAForgedSignature(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)

	_, err := verifier.Authenticate(context.Background(), issuer.Forge(t, validClaims()))

	require.ErrorIs(t, err, auth.ErrInvalidToken)
	assert.ErrorContains(t, err, "signature invalid")
}

func TestOIDCRefusesAlgorithmsOutsideTheAllowList(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)
	tests := []struct {
		name      string
		header    map[string]any
		signature func(string) []byte
	}{
		{"none", map[string]any{"alg": "none", "typ": "JWT"}, noSignature},
		{"HS256 keyed with the issuer URL", map[string]any{"alg": "HS256", "typ": "JWT", "kid": "k1"}, hmacSignature([]byte(issuer.URL()))},
		{"ES512", map[string]any{"alg": "ES512", "kid": "k1"}, garbageSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := handmadeToken(t, tt.header, validPayload(issuer), tt.signature)

			_, err := verifier.Authenticate(context.Background(), token)

			require.ErrorIs(t, err, auth.ErrInvalidToken)
			assert.ErrorContains(t, err, "algorithm not allowed")
		})
	}
}

func TestOIDCRefusesMalformedTokens(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, _ := newVerifier(t, issuer)
	valid := issuer.Mint(t, validClaims())

	for _, token := range []string{"", "a.b.c", "not a token", valid[:len(valid)/2], valid + "x"} {
		_, err := verifier.Authenticate(context.Background(), token)
		require.ErrorIs(t, err, auth.ErrInvalidToken, "token %q", token)
	}
}
