package lease_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/infra/migrations"
)

const ttl = 900 * time.Millisecond

// cluster is a migrated database that several nodes share.
func cluster(t *testing.T) string {
	url := pgtest.NewDatabaseURL(t)
	pool := connect(t, url)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	return url
}

func connect(t *testing.T, url string) *pgxpool.Pool {
	pool, err := pgxpool.New(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

func node(t *testing.T, pool *pgxpool.Pool, id string) *lease.Manager {
	m, err := lease.New(pool, lease.Config{Node: id, TTL: ttl, Renew: ttl / 4, Poll: 50 * time.Millisecond})
	require.NoError(t, err)
	return m
}

func TestOneNodeHoldsALeaseAndTheFenceGrowsWithEveryHolder(t *testing.T) {
	url := cluster(t)
	a, b := node(t, connect(t, url), "a"), node(t, connect(t, url), "b")
	ctx := context.Background()

	ha, err := a.TryAcquire(ctx, "job")
	require.NoError(t, err)
	_, err = b.TryAcquire(ctx, "job")
	require.ErrorIs(t, err, lease.ErrHeldElsewhere)
	time.Sleep(2 * ttl) // renewals keep it a's
	_, err = b.TryAcquire(ctx, "job")
	require.ErrorIs(t, err, lease.ErrHeldElsewhere, "a renews its lease")
	assert.Equal(t, map[string]int64{"job": ha.Token()}, a.Held())

	ha.Release()
	hb, err := b.TryAcquire(ctx, "job")
	require.NoError(t, err, "a released lease is free at once")
	assert.Greater(t, hb.Token(), ha.Token())
	assert.Empty(t, a.Held())
	hb.Release()
	ha2, err := a.TryAcquire(ctx, "job")
	require.NoError(t, err)
	assert.Greater(t, ha2.Token(), hb.Token(), "the token never goes down")
	ha2.Release()
}

// TestADeadHolderLosesItsLeaseWithinTheTTL cuts a holder's connections to Postgres: it stops its
// job by itself, another node takes over within the TTL, and the old holder's writes are refused.
func TestADeadHolderLosesItsLeaseWithinTheTTL(t *testing.T) {
	url := cluster(t)
	deadPool := connect(t, url)
	dead, live := node(t, deadPool, "dead"), node(t, connect(t, url), "live")
	ctx := context.Background()
	old, err := dead.TryAcquire(ctx, "job")
	require.NoError(t, err)

	cut := time.Now()
	deadPool.Close() // the network to Postgres is gone: no renewal gets through
	var taken *lease.Held
	require.Eventually(t, func() bool {
		taken, err = live.TryAcquire(ctx, "job")
		return err == nil
	}, 3*ttl, 20*time.Millisecond)
	took := time.Since(cut)
	assert.LessOrEqual(t, took, ttl+200*time.Millisecond, "taken over within the TTL")
	select {
	case <-old.Done():
	default:
		t.Fatal("the old holder's job was still running when another node took over")
	}
	assert.ErrorIs(t, context.Cause(old.Context()), lease.ErrLost)
	assert.Greater(t, taken.Token(), old.Token())

	// A holder that stalled past its deadline (here: the old Held used through a working pool)
	// has its writes refused.
	tx, err := connect(t, url).Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	require.ErrorIs(t, old.Verify(ctx, tx), lease.ErrLost)
	require.NoError(t, pgx.BeginFunc(ctx, connect(t, url), func(tx pgx.Tx) error { return taken.Verify(ctx, tx) }))
	taken.Release()
}

// TestATakeoverWaitsForAGuardedWriteInFlight: a transaction that verified its lease keeps the
// row locked, so the lease cannot change hands until that write has committed.
func TestATakeoverWaitsForAGuardedWriteInFlight(t *testing.T) {
	url := cluster(t)
	a, b := node(t, connect(t, url), "a"), node(t, connect(t, url), "b")
	ctx := context.Background()
	actx, die := context.WithCancel(ctx)
	ha, err := a.TryAcquire(actx, "job")
	require.NoError(t, err)
	tx, err := connect(t, url).Begin(ctx)
	require.NoError(t, err)
	require.NoError(t, ha.Verify(ctx, tx))
	die() // a stops renewing: the lease expires, but the guarded transaction still holds the row
	time.Sleep(ttl)

	acquired := make(chan error, 1)
	go func() {
		h, err := b.TryAcquire(ctx, "job")
		if err == nil {
			h.Release()
		}
		acquired <- err
	}()
	select {
	case err := <-acquired:
		t.Fatalf("the lease changed hands under a guarded write in flight (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, <-acquired)
}

func TestRunRunsTheJobOnOneNodeAndHandsItOverWhenItStops(t *testing.T) {
	url := cluster(t)
	a, b := node(t, connect(t, url), "a"), node(t, connect(t, url), "b")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	running := make(chan string, 10)
	job := func(name string) func(h *lease.Held) error {
		return func(h *lease.Held) error {
			running <- name
			<-h.Done()
			return errors.New("stopped")
		}
	}
	actx, stopA := context.WithCancel(ctx)
	go a.Run(actx, "job", job("a"))
	require.Equal(t, "a", <-running)
	go b.Run(ctx, "job", job("b"))
	select {
	case n := <-running:
		t.Fatalf("%s ran the job while a held it", n)
	case <-time.After(2 * ttl):
	}
	stopA()
	select {
	case n := <-running:
		assert.Equal(t, "b", n)
	case <-time.After(2 * ttl):
		t.Fatal("b did not take the job over")
	}
	status, err := b.ClusterStatus(ctx)
	require.NoError(t, err)
	require.Len(t, status.Leases, 1)
	assert.Equal(t, "b", status.Leases[0].Holder)
	assert.True(t, status.Leases[0].Live)
}
