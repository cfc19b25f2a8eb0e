package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/access"
	"github.com/certledger/certledger/projections/projectiontest"
)

// The read model is a projection.
var _ projections.Projection = (*access.Projection)(nil)

var (
	secops = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	devops = commands.Caller{Actor: domain.Actor{Subject: "dev@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
)

// env is a migrated database, an embedded event store, command handlers and a runner of the
// access projection alone, running until the test ends.
type env struct {
	pool   *pgxpool.Pool
	store  *eventstore.Store
	h      *commands.Application
	q      *access.Queries
	runner *projections.Runner
}

func newEnv(t *testing.T) env {
	t.Helper()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	// API token commands use no keys, so the handlers get no HSM.
	h, err := commands.NewApplication(store, nil, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{access.New()})
	return env{pool: pool, store: store, h: h, q: access.NewQueries(pool), runner: runner}
}

// waitLive waits until the projection is live at the store's newest position.
func (e env) waitLive(t *testing.T) {
	t.Helper()
	projectiontest.WaitLive(t, e.runner, e.store)
}

// issue mints a token of role and team by caller and returns it.
func (e env) issue(t *testing.T, by commands.Caller, role domain.Role, team string) commands.IssuedAPIToken {
	t.Helper()
	issued, err := e.h.IssueAPIToken.Handle(context.Background(), commands.IssueAPIToken{CommandID: uuid.New(), TokenID: uuid.New(),
		Description: "token of " + by.Actor.Subject, Role: role, Team: team, TTL: 48 * time.Hour}, by)
	require.NoError(t, err)
	return issued
}

// revoke revokes a token by caller.
func (e env) revoke(t *testing.T, by commands.Caller, id uuid.UUID) {
	t.Helper()
	_, err := e.h.RevokeAPIToken.Handle(context.Background(), commands.RevokeAPIToken{CommandID: uuid.New(), TokenID: id, Reason: "rotated"}, by)
	require.NoError(t, err)
}

// dump returns the rows of api_tokens as text, ordered by id.
func (e env) dump(t *testing.T) []string {
	t.Helper()
	var rows []string
	require.NoError(t, e.pool.QueryRow(context.Background(),
		"SELECT coalesce(array_agg(t::text ORDER BY id), '{}') FROM rm_access.api_tokens t").Scan(&rows))
	return rows
}
