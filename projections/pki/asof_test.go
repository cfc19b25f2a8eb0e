package pki_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/access"
	"github.com/certledger/certledger/projections/pki"
)

// The example queries of docs/audit.md, on the replay schema asof_20261120.
const (
	inventoryAsOf = `SELECT status, count(*) AS certificates
FROM asof_20261120.certificates GROUP BY status ORDER BY status`
	revokedAsOf = `SELECT r.ca_id, r.serial, c.subject_cn, r.revoked_at, r.reason, r.ca_certificate
FROM asof_20261120.revocations r
LEFT JOIN asof_20261120.certificates c ON c.ca_id = r.ca_id AND c.serial = r.serial
ORDER BY r.revoked_at`
	approversAsOf = `SELECT t.id, t.description, t.role, t.issued_by, t.issued_at, t.expires_at
FROM asof_20261120.api_tokens t JOIN asof_20261120.replay_info i ON i.projection = 'access'
WHERE t.role IN ('SEC_OPS', 'ADMIN') AND t.revoked_at IS NULL AND t.expires_at > i.as_of_time
ORDER BY t.issued_at`
)

func TestReplayAsOfShowsACertificateIssuedThenAndRevokedSince(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inventory, err := pki.New()
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := projections.NewRunner(e.pool, e.store, []projections.Projection{inventory, access.New()},
		projections.WithLogger(logger), projections.WithRetryDelay(50*time.Millisecond))
	require.NoError(t, err)
	start(t, r)

	admin := commands.Caller{Actor: domain.Actor{Subject: "admin@example.com", Roles: []domain.Role{domain.RoleAdmin}}}
	approver, err := e.h.IssueAPIToken.Handle(ctx, commands.IssueAPIToken{CommandID: uuid.New(), TokenID: uuid.New(),
		Description: "approvals bot", Role: domain.RoleSecOps, TTL: 24 * time.Hour}, admin)
	require.NoError(t, err)
	ca := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	e.defineProfile(t, "web", "web", false, false)
	cert := e.request(t, ca, "web", "web", devops, "www.example.com")
	waitUntil(t, func() bool {
		c, err := e.q.Certificate(ctx, cert)
		return err == nil && c.Status == domain.StatusIssued
	})
	issuedAt := e.lastPosition(t)

	time.Sleep(10 * time.Millisecond)
	noted := time.Now()
	time.Sleep(10 * time.Millisecond)

	_, err = e.h.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: cert, Reason: "superseded"}, devops)
	require.NoError(t, err)
	_, err = e.h.RevokeAPIToken.Handle(ctx, commands.RevokeAPIToken{CommandID: uuid.New(), TokenID: approver.TokenID, Reason: "rotated"}, admin)
	require.NoError(t, err)
	waitUntil(t, func() bool {
		c, err := e.q.Certificate(ctx, cert)
		return err == nil && c.Status == domain.StatusRevoked
	})

	got, err := r.ReplayAsOf(ctx, nil, projections.AsOfTime(noted), "asof_20261120", nil)
	require.NoError(t, err)
	assert.Equal(t, issuedAt, got.Position)
	assert.Equal(t, []projections.ReplayedProjection{
		{Name: "pki", Tables: []string{"cas", "certificates", "expiry_warnings", "profiles", "renewals", "revocations", "signing_intents"}},
		{Name: "access", Tables: []string{"api_tokens"}},
	}, got.Projections)

	// The replay shows the certificate issued and no revocation; the live read model has it revoked.
	var status string
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT status FROM asof_20261120.certificates WHERE id = $1", cert).Scan(&status))
	assert.Equal(t, "issued", status)
	assert.Equal(t, [][]any{{"issued", int64(1)}}, queryAll(t, e, inventoryAsOf))
	assert.Empty(t, queryAll(t, e, revokedAsOf))
	live, err := e.q.Certificate(ctx, cert)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusRevoked, live.Status)
	revoked, err := e.q.RevokedByCA(ctx, ca)
	require.NoError(t, err)
	assert.Len(t, revoked, 1)

	// The approvals bot could approve then; it cannot now.
	approvers := queryAll(t, e, approversAsOf)
	require.Len(t, approvers, 1)
	assert.Equal(t, [16]byte(approver.TokenID), approvers[0][0])
	assert.Equal(t, "SEC_OPS", approvers[0][2])
	assert.Empty(t, queryAll(t, e, strings.ReplaceAll(approversAsOf, "asof_20261120.api_tokens", "rm_access.api_tokens")))

	// replay_info says the moment.
	var pos int64
	var at time.Time
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT as_of_position, as_of_time FROM asof_20261120.replay_info WHERE projection = 'pki'").
		Scan(&pos, &at))
	assert.Equal(t, int64(issuedAt), pos)
	assert.True(t, noted.Truncate(time.Microsecond).Equal(at), "%s is %s", at, noted)
}

// waitUntil waits for the live projections to show cond.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, time.Minute, 10*time.Millisecond)
}

// lastPosition is the position of the newest event in $all.
func (e env) lastPosition(t *testing.T) uint64 {
	t.Helper()
	pos, err := e.store.LastPosition(context.Background())
	require.NoError(t, err)
	return pos
}

// queryAll returns the rows of a query as values.
func queryAll(t *testing.T, e env, sql string) [][]any {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), sql)
	require.NoError(t, err, sql)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) ([]any, error) { return row.Values() })
	require.NoError(t, err, sql)
	return out
}
