package auth_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/domain"
)

// recorder is an authenticator that records the tokens it is given and answers with its actor,
// or its error when one is set.
type recorder struct {
	name   string
	err    error
	tokens []string
}

func (r *recorder) Authenticate(_ context.Context, token string) (domain.Actor, error) {
	r.tokens = append(r.tokens, token)
	if r.err != nil {
		return domain.Actor{}, r.err
	}
	return domain.Actor{Subject: r.name}, nil
}

func TestChainSendsEachTokenShapeToOneAuthenticator(t *testing.T) {
	tests := []struct {
		token       string
		responsible string
	}{
		{"clt_0123456789abcdef", "api tokens"},
		{"clt_with.two.dots", "api tokens"},
		{"header.payload.signature", "oidc"},
		{"..", "oidc"},
		{"bootstrap-admin-token", "static"},
		{"one.dot", "static"},
		{"three.dots.in.it", "static"},
		{"", "static"},
		{"CLT_upper-case-is-not-the-prefix", "static"},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			static, apiTokens, oidc := &recorder{name: "static"}, &recorder{name: "api tokens"}, &recorder{name: "oidc"}
			chain := auth.Chain{Static: static, APITokens: apiTokens, OIDC: oidc}

			actor, err := chain.Authenticate(context.Background(), tt.token)

			require.NoError(t, err)
			assert.Equal(t, tt.responsible, actor.Subject)
			for _, r := range []*recorder{static, apiTokens, oidc} {
				if r.name == tt.responsible {
					assert.Equal(t, []string{tt.token}, r.tokens, r.name)
				} else {
					assert.Empty(t, r.tokens, "%s must not see the token", r.name)
				}
			}
		})
	}
}

func TestChainNeverFallsThroughAfterARefusal(t *testing.T) {
	refusal := errors.New("token expired")
	static, apiTokens, oidc := &recorder{name: "static"}, &recorder{name: "api tokens"}, &recorder{name: "oidc", err: refusal}
	chain := auth.Chain{Static: static, APITokens: apiTokens, OIDC: oidc}

	_, err := chain.Authenticate(context.Background(), "header.payload.signature")

	require.ErrorIs(t, err, refusal, "the responsible authenticator's error comes back unchanged")
	assert.Empty(t, static.tokens)
	assert.Empty(t, apiTokens.tokens)
}

func TestChainRefusesATokenNobodyIsResponsibleFor(t *testing.T) {
	static := &recorder{name: "static"}
	chain := auth.Chain{Static: static}

	for _, token := range []string{"clt_0123", "header.payload.signature"} {
		_, err := chain.Authenticate(context.Background(), token)

		require.ErrorIs(t, err, auth.ErrInvalidToken)
		assert.ErrorContains(t, err, "no authenticator for this kind of token")
	}
	assert.Empty(t, static.tokens)
}
