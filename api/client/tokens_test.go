package client_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
)

func TestMintUseListAndRevokeAnAPIToken(t *testing.T) {
	l := clienttest.Start(t)
	ctx := t.Context()
	admin := client.New(l.URL, clienttest.AdminToken)

	tok, err := admin.IssueToken(ctx, client.NewToken{Role: "DEVOPS", Team: "web", TTL: "30d", Description: "CI of web"})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(tok.Secret, "clt_"), tok.Secret)
	assert.Equal(t, "active", tok.Status)
	assert.WithinDuration(t, time.Now().Add(30*24*time.Hour), tok.ExpiresAt, time.Minute)

	me, err := client.New(l.URL, tok.Secret).Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"DEVOPS"}, me.Roles)
	assert.Equal(t, "web", me.Team)

	shown, err := admin.GetToken(ctx, tok.ID)
	require.NoError(t, err)
	assert.Empty(t, shown.Secret, "the secret is shown once")
	assert.Equal(t, "CI of web", shown.Description)
	require.EventuallyWithT(t, func(ct *assert.CollectT) {
		list, err := admin.ListTokens(ctx)
		require.NoError(ct, err)
		require.Len(ct, list, 1)
		assert.Equal(ct, tok.ID, list[0].ID)
	}, 10*time.Second, 50*time.Millisecond)

	_, err = admin.RevokeToken(ctx, tok.ID, "rotated", client.IfMatch(shown.Revision+1))
	assert.Equal(t, http.StatusPreconditionFailed, statusOf(t, err))
	revoked, err := admin.RevokeToken(ctx, tok.ID, "rotated", client.IfMatch(shown.Revision))
	require.NoError(t, err)
	assert.Equal(t, "revoked", revoked.Status)
	assert.Equal(t, "rotated", revoked.RevocationReason)
	_, err = client.New(l.URL, tok.Secret).Me(ctx)
	assert.Equal(t, http.StatusUnauthorized, statusOf(t, err), "a revoked token authenticates nobody")

	_, err = admin.IssueToken(ctx, client.NewToken{Role: "VIEWER", TTL: "soon"})
	assert.Equal(t, http.StatusBadRequest, statusOf(t, err))
	_, err = client.New(l.URL, clienttest.DevOpsToken).IssueToken(ctx, client.NewToken{Role: "ADMIN"})
	status := statusOf(t, err)
	assert.True(t, status >= 400 && status < 500, "nobody mints a token above their own role: %v", err)
}
