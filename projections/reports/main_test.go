package reports_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/projections/reports"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The read model is a projection that writes batches.
var _ projections.BatchProjection = (*reports.Projection)(nil)

// env is a migrated database and an embedded event store.
type env struct {
	pool  *pgxpool.Pool
	store *eventstore.Store
}

func newEnv(t testing.TB) env {
	t.Helper()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	return env{pool: pool, store: eventstore.New(storetest.Client(t, storetest.Start(t)))}
}

// follow runs the pki and reports projections until the test ends and waits until they are live.
func (e env) follow(t testing.TB, opts ...projections.Option) *projections.Runner {
	t.Helper()
	inventory, err := pki.New()
	require.NoError(t, err)
	rp, err := reports.New()
	require.NoError(t, err)
	r := projectiontest.Start(t, e.pool, e.store, []projections.Projection{inventory, rp}, opts...)
	projectiontest.WaitLive(t, r, e.store)
	return r
}

// waitLive waits until r's projections are live at the store's newest position.
func waitLive(t testing.TB, e env, r *projections.Runner) { projectiontest.WaitLive(t, r, e.store) }
