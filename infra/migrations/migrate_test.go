package migrations_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/infra/migrations"
)

func TestAllListsTheEmbeddedMigrationsInOrder(t *testing.T) {
	all, err := migrations.All()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	assert.Equal(t, "0001_projection_checkpoints.sql", all[0].Name)
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].Version, all[i].Version)
	}
}

func TestMigrateConcurrentlyAndAgainAppliesEachMigrationOnce(t *testing.T) {
	pool := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const parallel = 4
	errs := make([]error, parallel)
	var wg sync.WaitGroup
	for i := range parallel {
		wg.Go(func() { errs[i] = migrations.Migrate(ctx, pool) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "concurrent Migrate %d", i)
	}
	require.NoError(t, migrations.Migrate(ctx, pool), "Migrate on a migrated database")

	all, err := migrations.All()
	require.NoError(t, err)
	rows, err := pool.Query(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	require.NoError(t, err)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	want := make([]int64, len(all))
	for i, m := range all {
		want[i] = m.Version
	}
	assert.Equal(t, want, versions, "one row per migration")

	_, err = pool.Exec(ctx, "INSERT INTO projection_checkpoints (name, position) VALUES ('x', 7)")
	require.NoError(t, err, "the checkpoint table exists")
	_, err = pool.Exec(ctx, "INSERT INTO projection_checkpoints (name, position) VALUES ('y', -1)")
	require.Error(t, err, "positions are never negative")

	var held int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks
		WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&held))
	assert.Zero(t, held, "Migrate releases its lock")
}

func TestMigrateStopsAtACancelledContext(t *testing.T) {
	pool := pgtest.NewDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.Error(t, migrations.Migrate(ctx, pool))
	require.NoError(t, migrations.Migrate(context.Background(), pool), "a later Migrate still works")
}
