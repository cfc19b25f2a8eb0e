package commands_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

var tokenFormat = regexp.MustCompile(`^clt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$`)

// issueToken mints a DEVOPS token of team web, by the DEVOPS caller, living a day.
func (l ledger) issueToken(t *testing.T) commands.IssuedAPIToken {
	t.Helper()
	issued, err := l.h.IssueAPIToken.Handle(context.Background(), commands.IssueAPIToken{CommandID: uuid.New(), TokenID: uuid.New(),
		Description: "deploy bot", Role: domain.RoleDevOps, Team: "web", TTL: 24 * time.Hour}, devops)
	require.NoError(t, err)
	return issued
}

func TestAPITokenAuthenticatesUntilRevoked(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	issued := l.issueToken(t)
	require.Regexp(t, tokenFormat, issued.Token)
	assert.Equal(t, idHex(issued.TokenID), issued.Token[4:36], "the token names its id")
	assert.Equal(t, 1, issued.Result.Appended)

	actor, err := l.h.Queries.AuthenticateAPIToken(ctx, issued.Token)
	require.NoError(t, err)
	assert.Equal(t, domain.Actor{Subject: "token:" + issued.TokenID.String(), Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}, actor)

	history, _, err := l.store.Load(ctx, events.StreamName(events.CategoryAPIToken, issued.TokenID))
	require.NoError(t, err)
	require.Len(t, history, 1)
	sum := sha256.Sum256([]byte(issued.Token))
	assert.Contains(t, string(history[0].Data), hex.EncodeToString(sum[:]), "the hash is recorded")
	assert.NotContains(t, string(history[0].Data), issued.Token[37:], "the secret is not")

	tok, err := l.h.Queries.APIToken(ctx, issued.TokenID)
	require.NoError(t, err)
	assert.Equal(t, issued.ExpiresAt, tok.ExpiresAt())

	_, err = l.h.RevokeAPIToken.Handle(ctx, commands.RevokeAPIToken{CommandID: uuid.New(), TokenID: issued.TokenID, Reason: "rotated"}, devops)
	require.NoError(t, err)
	_, err = l.h.Queries.AuthenticateAPIToken(ctx, issued.Token)
	require.ErrorIs(t, err, commands.ErrInvalidAPIToken)
	assert.Contains(t, err.Error(), "revoked by dev@example.com")

	_, err = l.h.RevokeAPIToken.Handle(ctx, commands.RevokeAPIToken{CommandID: uuid.New(), TokenID: issued.TokenID}, secops)
	assert.Equal(t, domain.KindConflict, domain.KindOf(err))
	_, err = l.h.RevokeAPIToken.Handle(ctx, commands.RevokeAPIToken{CommandID: uuid.New(), TokenID: uuid.New()}, secops)
	assert.Equal(t, domain.KindNotFound, domain.KindOf(err))
	_, err = l.h.Queries.APIToken(ctx, uuid.New())
	assert.Equal(t, domain.KindNotFound, domain.KindOf(err))
}

func TestARetriedIssueMintsNoSecondToken(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	cmd := commands.IssueAPIToken{CommandID: uuid.New(), TokenID: uuid.New(), Role: domain.RoleViewer, TTL: time.Hour}
	first, err := l.h.IssueAPIToken.Handle(ctx, cmd, devops)
	require.NoError(t, err)

	again, err := l.h.IssueAPIToken.Handle(ctx, cmd, devops)
	require.Equal(t, domain.KindConflict, domain.KindOf(err), "%v", err)
	assert.Contains(t, err.Error(), "its secret was shown once")
	assert.Empty(t, again.Token, "no secret comes back")
	assert.True(t, again.Result.Replayed)

	history, _, err := l.store.Load(ctx, events.StreamName(events.CategoryAPIToken, cmd.TokenID))
	require.NoError(t, err)
	assert.Len(t, history, 1, "one token minted")
	_, err = l.h.Queries.AuthenticateAPIToken(ctx, first.Token)
	assert.NoError(t, err, "the first token still works")
}

func TestAuthenticateAPITokenRefuses(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	issued := l.issueToken(t)
	tok := issued.Token
	otherSecret := tok[:37] + strings.Repeat("A", 43)
	tests := map[string]string{
		"empty":                  "",
		"wrong prefix":           "clx_" + tok[4:],
		"no prefix":              tok[4:],
		"upper-case hex":         "clt_" + strings.ToUpper(tok[4:36]) + tok[36:],
		"not hex":                "clt_" + strings.Repeat("g", 32) + tok[36:],
		"too short":              tok[:len(tok)-1],
		"too long":               tok + "A",
		"no separator":           tok[:36] + "-" + tok[37:],
		"padded secret":          tok[:len(tok)-1] + "=",
		"standard base64":        tok[:37] + "+" + tok[38:],
		"wrong secret":           otherSecret,
		"unknown id":             "clt_" + idHex(uuid.New()) + tok[36:],
		"surrounding space":      " " + tok,
		"non-zero trailing bits": tok[:len(tok)-1] + "B", // the last character's 2 low bits must be 0
	}
	for name, token := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := l.h.Queries.AuthenticateAPIToken(ctx, token)
			assert.ErrorIs(t, err, commands.ErrInvalidAPIToken)
		})
	}

	t.Run("expired", func(t *testing.T) {
		commands.SetClock(l.h, func() time.Time { return issued.ExpiresAt })
		defer commands.SetClock(l.h, time.Now)
		_, err := l.h.Queries.AuthenticateAPIToken(ctx, tok)
		require.ErrorIs(t, err, commands.ErrInvalidAPIToken)
		assert.Contains(t, err.Error(), "expired")
	})
}

// idHex is the id part of a token string: 32 lower-case hex digits.
func idHex(id uuid.UUID) string { return hex.EncodeToString(id[:]) }
