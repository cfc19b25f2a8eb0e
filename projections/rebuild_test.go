package projections_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// progressLog records the calls of a ProgressFunc.
type progressLog struct {
	mu    sync.Mutex
	calls [][2]uint64
	rate  float64
}

func (l *progressLog) record(done, total uint64, rate float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls, l.rate = append(l.calls, [2]uint64{done, total}), rate
}

func TestRebuildYieldsTheRowsOfTheLiveProjection(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.appendEvents(t, events.CategoryCertificate, "Issued", 2000, 100, 4)
	last := e.appendEvents(t, events.CategoryCA, "Created", 300, 3, 4)
	r := e.runner(t, []projections.Projection{counts{}, newBatchCounts(), eventLog{}}, projections.WithRebuildChunk(700))
	start(t, r)
	waitLive(t, r, last)

	tables := map[string]string{"counts": "rm_counts.stream_counts", "batch_counts": "rm_batch_counts.stream_counts",
		"event_log": "rm_event_log.event_log"}
	for name, table := range tables {
		live := e.rows(t, table)
		var progress progressLog
		require.NoError(t, r.Rebuild(ctx, name, progress.record), name)
		assert.Equal(t, live, e.rows(t, table), "%s: the rebuild has the live rows", name)
		require.NotEmpty(t, progress.calls, name)
		assert.Equal(t, [2]uint64{last, last}, progress.calls[len(progress.calls)-1], "%s: the last progress is complete", name)
		assert.Positive(t, progress.rate, name)
		assert.Equal(t, last, e.checkpoint(t, name))
	}
	var leftovers int
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%\\_rebuild'").Scan(&leftovers))
	assert.Zero(t, leftovers, "no rebuild schema is left behind")

	// The live projections go on after the swap.
	last = e.appendEvents(t, events.CategorySigningKey, "Generated", 4, 2, 1)
	waitLive(t, r, last)
	assert.Equal(t, []string{"(ca,300)", "(certificate,2000)", "(signingkey,4)"}, e.rows(t, "rm_counts.stream_counts"))
	assert.Len(t, e.rows(t, "rm_event_log.event_log"), 2304)
}

func TestRebuildWhileEventsArrive(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, events.CategoryCertificate, "Issued", 3000, 100, 4)
	r := e.runner(t, []projections.Projection{newBatchCounts(), eventLog{}}, projections.WithRebuildChunk(100))
	start(t, r)

	appended := make(chan struct{})
	go func() {
		defer close(appended)
		e.appendEvents(t, events.CategoryCA, "Created", 1000, 5, 2)
	}()
	for _, name := range []string{"batch_counts", "event_log"} {
		require.NoError(t, r.Rebuild(context.Background(), name, nil), name)
	}
	<-appended
	last := e.last(t)
	waitLive(t, r, last)
	assert.Equal(t, []string{"(ca,1000)", "(certificate,3000)"}, e.rows(t, "rm_batch_counts.stream_counts"))
	var rows, distinct, highest int64
	require.NoError(t, e.pool.QueryRow(context.Background(),
		"SELECT count(*), count(DISTINCT id), max(position) FROM rm_event_log.event_log").Scan(&rows, &distinct, &highest))
	assert.Equal(t, []int64{4000, 4000, int64(last)}, []int64{rows, distinct, highest})
}

func TestRebuildResumesAFailedProjectionOnceItIsFixed(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, events.CategoryCertificate, "Issued", 10, 10, 1)
	e.appendEvents(t, events.CategoryCertificate, "Poison", 1, 1, 1)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 10, 10, 1)
	p := newPoison("poison")
	r := e.runner(t, []projections.Projection{p})
	start(t, r)
	require.Eventually(t, func() bool { return stateOf(r, "poison") == projections.StateFailed }, time.Minute, 10*time.Millisecond)

	err := r.Rebuild(context.Background(), "poison", nil)
	var applyErr *projections.ApplyError
	require.ErrorAs(t, err, &applyErr, "a rebuild meets the same failing event")
	assert.Equal(t, "Poison", applyErr.Type)
	assert.ErrorIs(t, err, errPoison)

	p.failing.Store(false) // the projection is fixed
	require.NoError(t, r.Rebuild(context.Background(), "poison", nil))
	waitFor(t, r, "poison", last)
	assert.Len(t, e.rows(t, "rm_poison.seen"), 21)
}

func TestRebuildWithoutRun(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 50, 10, 1)
	r := e.runner(t, []projections.Projection{counts{}})
	require.NoError(t, r.Rebuild(context.Background(), "counts", nil))
	assert.Equal(t, []string{"(certificate,50)"}, e.rows(t, "rm_counts.stream_counts"))
	st := status(t, r, "counts")
	assert.Equal(t, projections.ProjectionStatus{Name: "counts", State: projections.StateStopped, Position: last}, st)

	// A runner started later goes on from the rebuild's checkpoint.
	last = e.appendEvents(t, events.CategoryCertificate, "Issued", 5, 5, 1)
	start(t, r)
	waitLive(t, r, last)
	assert.Equal(t, []string{"(certificate,55)"}, e.rows(t, "rm_counts.stream_counts"))
}

func TestRebuildRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.runner(t, []projections.Projection{counts{}})
	require.ErrorIs(t, r.Rebuild(ctx, "nope", nil), projections.ErrUnknownProjection)

	// Another process rebuilding the same projection holds its rebuild lock.
	conn, err := e.pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('certledger/projection-rebuild/counts'))")
	require.NoError(t, err)
	require.ErrorIs(t, r.Rebuild(ctx, "counts", nil), projections.ErrRebuildRunning)
	_, err = conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtext('certledger/projection-rebuild/counts'))")
	require.NoError(t, err)
	require.NoError(t, r.Rebuild(ctx, "counts", nil))
}
