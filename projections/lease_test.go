package projections_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// logFences records every write of a checkpoint row, in commit order, so that a test can see
// which fencing tokens the writers wrote under.
func (e env) logFences(t *testing.T) {
	_, err := e.pool.Exec(context.Background(), `
		CREATE TABLE fence_log (seq bigserial PRIMARY KEY, name text, position bigint, fence bigint);
		CREATE FUNCTION log_fence() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO fence_log (name, position, fence) VALUES (NEW.name, NEW.position, NEW.fence); RETURN NEW; END $$;
		CREATE TRIGGER log_fence AFTER INSERT OR UPDATE ON projection_checkpoints FOR EACH ROW EXECUTE FUNCTION log_fence();`)
	require.NoError(t, err)
}

func (e env) fences(t *testing.T, name string) (fences, positions []int64) {
	rows, err := e.pool.Query(context.Background(), "SELECT fence, position FROM fence_log WHERE name = $1 ORDER BY seq", name)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var f, p int64
		require.NoError(t, rows.Scan(&f, &p))
		fences, positions = append(fences, f), append(positions, p)
	}
	return fences, positions
}

// TestAFollowerThatLostItsLeaseHasItsWritesRefused runs one projection on two runners with
// cluster leases, expires the holder's lease under it mid-stream, and checks that the other
// runner takes over: every event is applied once, and the checkpoint's fencing token only grows.
func TestAFollowerThatLostItsLeaseHasItsWritesRefused(t *testing.T) {
	e := newEnv(t)
	e.logFences(t)
	cfg := func(node string) lease.Config {
		return lease.Config{Node: node, TTL: 900 * time.Millisecond, Renew: 200 * time.Millisecond, Poll: 50 * time.Millisecond,
			Logger: slog.New(slog.NewTextHandler(t.Output(), nil)).With("node", node)}
	}
	a, err := lease.New(e.pool, cfg("a"))
	require.NoError(t, err)
	b, err := lease.New(e.pool, cfg("b"))
	require.NoError(t, err)
	slow := &atomic.Bool{}
	slow.Store(true)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 3000, 100, 4)
	ra := e.runner(t, []projections.Projection{counts{slow: slow}}, projections.WithLeases(lease.Projections(a)),
		projections.WithBatchLimits(10, 50*time.Millisecond))
	start(t, ra)
	require.Eventually(t, func() bool { return e.checkpointOr0("counts") > 300 }, time.Minute, time.Millisecond)
	rb := e.runner(t, []projections.Projection{counts{slow: slow}}, projections.WithLeases(lease.Projections(b)),
		projections.WithBatchLimits(10, 50*time.Millisecond))
	start(t, rb)
	assert.Equal(t, projections.StateStandby, stateOfEventually(t, rb, projections.StateStandby))

	// The lease expires under a's follower (as after a stall): its next write is refused.
	_, err = e.pool.Exec(context.Background(), "UPDATE cluster_leases SET expires_at = now() - interval '1 second'")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return b.Held()["projection/counts"] > 0 }, 10*time.Second, 10*time.Millisecond)
	slow.Store(false)
	require.Eventually(t, func() bool { return e.checkpointOr0("counts") == last }, time.Minute, 10*time.Millisecond)

	assert.Equal(t, uint64(3000), e.sum(t, "rm_counts.stream_counts"), "every event applied once")
	fences, positions := e.fences(t, "counts")
	require.NotEmpty(t, fences)
	assert.IsNonDecreasing(t, fences, "fencing tokens only grow in what was written")
	assert.IsNonDecreasing(t, positions)
	assert.Greater(t, fences[len(fences)-1], fences[1], "the last writer is the new holder")
	assert.Equal(t, b.Held()["projection/counts"], fences[len(fences)-1])
	assert.Empty(t, a.Held(), "a lost its lease")
}

// stateOfEventually waits until the projection counts of r is in state want and returns it.
func stateOfEventually(t *testing.T, r *projections.Runner, want projections.State) projections.State {
	require.Eventually(t, func() bool { return stateOf(r, "counts") == want }, 10*time.Second, 10*time.Millisecond)
	return stateOf(r, "counts")
}
