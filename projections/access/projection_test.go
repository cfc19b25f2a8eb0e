package access_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/access"
)

func TestReadModelListsTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first := e.issue(t, devops, domain.RoleDevOps, "web")
	second := e.issue(t, secops, domain.RoleSecOps, "")
	third := e.issue(t, devops, domain.RoleViewer, "")
	e.revoke(t, secops, first.TokenID)
	e.waitLive(t)

	all, err := e.q.ListTokens(ctx, "")
	require.NoError(t, err)
	ids := func(rows []access.TokenRow) []uuid.UUID {
		out := make([]uuid.UUID, len(rows))
		for i, r := range rows {
			out[i] = r.ID
		}
		return out
	}
	assert.Equal(t, []uuid.UUID{third.TokenID, second.TokenID, first.TokenID}, ids(all), "newest first")
	mine, err := e.q.ListTokens(ctx, "dev@example.com")
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{third.TokenID, first.TokenID}, ids(mine))
	none, err := e.q.ListTokens(ctx, "nobody")
	require.NoError(t, err)
	assert.Empty(t, none)

	row, err := e.q.Token(ctx, first.TokenID)
	require.NoError(t, err)
	tok, err := e.h.Queries.APIToken(ctx, first.TokenID)
	require.NoError(t, err)
	rev, _ := tok.Revocation()
	assert.Equal(t, domain.RoleDevOps, row.Role)
	assert.Equal(t, "web", row.Team)
	assert.Equal(t, "token of dev@example.com", row.Description)
	assert.Equal(t, "dev@example.com", row.IssuedBy)
	assert.True(t, tok.IssuedAt().Truncate(time.Microsecond).Equal(row.IssuedAt), "Postgres keeps microseconds")
	assert.True(t, tok.ExpiresAt().Truncate(time.Microsecond).Equal(row.ExpiresAt))
	require.NotNil(t, row.RevokedAt)
	assert.True(t, rev.At.Truncate(time.Microsecond).Equal(*row.RevokedAt))
	assert.Equal(t, "sec@example.com", row.RevokedBy)
	assert.Equal(t, domain.TokenRevoked, row.Status(time.Now()))
	active, err := e.q.Token(ctx, third.TokenID)
	require.NoError(t, err)
	assert.Equal(t, domain.TokenActive, active.Status(time.Now()))
	assert.Equal(t, domain.TokenExpired, active.Status(active.ExpiresAt))
	_, err = e.q.Token(ctx, uuid.New())
	assert.ErrorIs(t, err, access.ErrNotFound)

	for _, issued := range []string{first.Token, second.Token, third.Token} {
		sum := sha256.Sum256([]byte(issued))
		for _, r := range e.dump(t) {
			assert.NotContains(t, r, hex.EncodeToString(sum[:]), "the read model holds no hash")
			assert.NotContains(t, r, issued[37:], "nor the secret")
		}
	}
	var columns []string
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT array_agg(column_name::text ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_schema = 'rm_access' AND table_name = 'api_tokens'`).Scan(&columns))
	assert.Equal(t, "id description role team issued_by issued_at expires_at revoked_at revoked_by position", strings.Join(columns, " "))
}

func TestRebuildYieldsIdenticalRows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for range 3 {
		e.issue(t, devops, domain.RoleDevOps, "web")
	}
	revoked := e.issue(t, secops, domain.RoleViewer, "")
	e.revoke(t, secops, revoked.TokenID)
	e.waitLive(t)
	live := e.dump(t)
	require.Len(t, live, 4)

	require.NoError(t, e.runner.Rebuild(ctx, access.Name, nil))
	assert.Equal(t, live, e.dump(t))

	// The live projection goes on after the swap.
	later := e.issue(t, secops, domain.RoleSecOps, "")
	e.waitLive(t)
	_, err := e.q.Token(ctx, later.TokenID)
	assert.NoError(t, err)
}
