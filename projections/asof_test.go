package projections_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// replayInfo is a row of a replay schema's replay_info.
type replayInfo struct {
	Projection string
	Position   int64
	Time       *time.Time
	Events     int64
	Tables     []string
}

func (e env) replayInfo(t *testing.T, schema string) []replayInfo {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), "SELECT projection, as_of_position, as_of_time, events, tables FROM "+
		schema+".replay_info ORDER BY projection")
	require.NoError(t, err)
	defer rows.Close()
	var out []replayInfo
	for rows.Next() {
		var ri replayInfo
		require.NoError(t, rows.Scan(&ri.Projection, &ri.Position, &ri.Time, &ri.Events, &ri.Tables))
		out = append(out, ri)
	}
	require.NoError(t, rows.Err())
	return out
}

// liveState is every live table and checkpoint of the test projections, to see that a replay
// leaves them alone.
func (e env) liveState(t *testing.T) map[string][]string {
	return map[string][]string{
		"counts":       e.rows(t, "rm_counts.stream_counts"),
		"batch_counts": e.rows(t, "rm_batch_counts.stream_counts"),
		"event_log":    e.rows(t, "rm_event_log.event_log"),
		"checkpoints":  e.rows(t, "(SELECT name, position FROM projection_checkpoints) AS"),
	}
}

func TestReplayAsOfAPositionYieldsTheRowsOfARunnerStoppedThere(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.appendEvents(t, events.CategoryCertificate, "Issued", 600, 20, 2)
	mid := e.appendEvents(t, events.CategoryCA, "Created", 90, 3, 2)
	r := e.runner(t, []projections.Projection{counts{}, newBatchCounts(), eventLog{}}, projections.WithRebuildChunk(70))
	stop := start(t, r)
	waitLive(t, r, mid)
	atMid := e.liveState(t) // the rows of a runner stopped at mid
	stop()

	r = e.runner(t, []projections.Projection{counts{}, newBatchCounts(), eventLog{}}, projections.WithRebuildChunk(70))
	start(t, r)
	last := e.appendEvents(t, events.CategorySigningKey, "Generated", 200, 10, 2)
	waitLive(t, r, last)
	live := e.liveState(t)

	var progress progressLog
	got, err := r.ReplayAsOf(ctx, nil, projections.AsOfPosition(mid), "asof_mid", progress.record)
	require.NoError(t, err)
	assert.Equal(t, uint64(mid), got.Position)
	assert.Equal(t, uint64(690), got.Events)
	assert.False(t, got.Time.IsZero(), "the time the store recorded the event at mid")
	// counts and batch_counts both have a table stream_counts: both are prefixed.
	assert.Equal(t, []projections.ReplayedProjection{
		{Name: "counts", Tables: []string{"counts_stream_counts"}, Prefixed: true},
		{Name: "batch_counts", Tables: []string{"batch_counts_stream_counts"}, Prefixed: true},
		{Name: "event_log", Tables: []string{"event_log"}},
	}, got.Projections)
	assert.Equal(t, atMid["counts"], e.rows(t, "asof_mid.counts_stream_counts"))
	assert.Equal(t, atMid["batch_counts"], e.rows(t, "asof_mid.batch_counts_stream_counts"))
	assert.Equal(t, atMid["event_log"], e.rows(t, "asof_mid.event_log"))
	assert.Equal(t, live, e.liveState(t), "the live tables and checkpoints are untouched")
	require.NotEmpty(t, progress.calls)
	assert.Equal(t, [2]uint64{3 * mid, 3 * mid}, progress.calls[len(progress.calls)-1], "three passes, complete")

	info := e.replayInfo(t, "asof_mid")
	require.Len(t, info, 3)
	for _, ri := range info {
		assert.Equal(t, int64(mid), ri.Position, ri.Projection)
		assert.Equal(t, int64(690), ri.Events, ri.Projection)
		require.NotNil(t, ri.Time, ri.Projection)
		assert.True(t, got.Time.Truncate(time.Microsecond).Equal(*ri.Time), ri.Projection) // Postgres keeps µs
	}
	assert.Equal(t, []string{"event_log"}, info[2].Tables)

	// A position inside the history: the event log holds exactly the events up to it.
	inner := mid - 37
	_, err = r.ReplayAsOf(ctx, []string{"event_log"}, projections.AsOfPosition(inner), "asof_inner", nil)
	require.NoError(t, err)
	var want []string
	for _, row := range atMid["event_log"] {
		first, _, _ := strings.Cut(strings.TrimPrefix(row, "("), ",")
		pos, err := strconv.ParseUint(first, 10, 64)
		require.NoError(t, err, row)
		if pos <= inner {
			want = append(want, row)
		}
	}
	assert.Len(t, want, int(inner))
	assert.Equal(t, want, e.rows(t, "asof_inner.event_log"))
	assert.Equal(t, live, e.liveState(t))
}

func TestReplayAsOfATimeStopsAtTheFirstEventRecordedAfterIt(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before := e.appendEvents(t, events.CategoryCertificate, "Issued", 300, 10, 2)
	time.Sleep(20 * time.Millisecond)
	moment := time.Now()
	time.Sleep(20 * time.Millisecond)
	last := e.appendEvents(t, events.CategoryCA, "Created", 50, 5, 1)
	r := e.runner(t, []projections.Projection{newBatchCounts(), eventLog{}})

	got, err := r.ReplayAsOf(ctx, nil, projections.AsOfTime(moment), "asof_time", nil)
	require.NoError(t, err)
	assert.Equal(t, before, got.Position)
	assert.True(t, moment.Equal(got.Time))
	assert.Equal(t, []string{"(certificate,300)"}, e.rows(t, "asof_time.stream_counts"), "nothing to prefix")
	assert.Len(t, e.rows(t, "asof_time.event_log"), 300)
	for _, ri := range e.replayInfo(t, "asof_time") {
		assert.Equal(t, int64(before), ri.Position)
		require.NotNil(t, ri.Time)
		assert.True(t, moment.Truncate(time.Microsecond).Equal(*ri.Time), "replay_info says the moment asked for")
	}
	var live int
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rm\\_%'").Scan(&live))
	assert.Zero(t, live, "a replay creates no live schema")
	assert.Zero(t, e.checkpointOr0("batch_counts"))

	// A moment after the newest event shows the ledger as it is.
	got, err = r.ReplayAsOf(ctx, []string{"batch_counts"}, projections.AsOfTime(time.Now().Add(time.Hour)), "asof_now", nil)
	require.NoError(t, err)
	assert.Equal(t, last, got.Position)
	assert.Equal(t, []string{"(ca,50)", "(certificate,300)"}, e.rows(t, "asof_now.stream_counts"))
}

func TestReplayAsOfRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.appendEvents(t, events.CategoryCertificate, "Issued", 10, 10, 1)
	r := e.runner(t, []projections.Projection{counts{}})
	at := projections.AsOfPosition(5)

	for _, name := range []string{"rm_counts", "rm_x", "pg_catalog", "pg_x", "information_schema", "information_schema2",
		"public", "Upper", "a-b", "a.b", `a"b`, "", "1abc", "_x", strings.Repeat("a", 64)} {
		_, err := r.ReplayAsOf(ctx, nil, at, name, nil)
		require.ErrorIs(t, err, projections.ErrReplaySchemaName, name)
	}
	_, err := r.ReplayAsOf(ctx, []string{"nope"}, at, "asof", nil)
	require.ErrorIs(t, err, projections.ErrUnknownProjection)

	// A schema no replay made is never dropped, replace or not.
	_, err = e.pool.Exec(ctx, "CREATE SCHEMA mine; CREATE TABLE mine.keep (x int); INSERT INTO mine.keep VALUES (1)")
	require.NoError(t, err)
	for _, opts := range [][]projections.ReplayOption{nil, {projections.ReplaceSchema()}} {
		_, err = r.ReplayAsOf(ctx, nil, at, "mine", nil, opts...)
		require.ErrorIs(t, err, projections.ErrReplaySchemaExists)
	}
	assert.Equal(t, []string{"(1)"}, e.rows(t, "mine.keep"))

	// A replay schema is refused, then replaced when asked.
	_, err = r.ReplayAsOf(ctx, nil, at, "asof", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"(certificate,5)"}, e.rows(t, "asof.stream_counts"))
	_, err = r.ReplayAsOf(ctx, nil, projections.AsOfPosition(8), "asof", nil)
	require.ErrorIs(t, err, projections.ErrReplaySchemaExists)
	assert.Equal(t, []string{"(certificate,5)"}, e.rows(t, "asof.stream_counts"), "the refused replay left it alone")
	_, err = r.ReplayAsOf(ctx, nil, projections.AsOfPosition(8), "asof", nil, projections.ReplaceSchema())
	require.NoError(t, err)
	assert.Equal(t, []string{"(certificate,8)"}, e.rows(t, "asof.stream_counts"))
	assert.Equal(t, int64(8), e.replayInfo(t, "asof")[0].Position)

	// Another replay into the same schema holds its lock.
	conn, err := e.pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('certledger/projection-replay/asof'))")
	require.NoError(t, err)
	_, err = r.ReplayAsOf(ctx, nil, at, "asof", nil, projections.ReplaceSchema())
	require.ErrorIs(t, err, projections.ErrReplayRunning)
	_, err = conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtext('certledger/projection-replay/asof'))")
	require.NoError(t, err)
}

func TestAFailedReplayDropsItsSchema(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, events.CategoryCertificate, "Issued", 10, 10, 1)
	e.appendEvents(t, events.CategoryCertificate, "Poison", 1, 1, 1)
	r := e.runner(t, []projections.Projection{newPoison("poison")})
	_, err := r.ReplayAsOf(context.Background(), nil, projections.AsOfPosition(100), "asof_poison", nil)
	var applyErr *projections.ApplyError
	require.ErrorAs(t, err, &applyErr)
	assert.Equal(t, uint64(11), applyErr.Position)
	var n int
	require.NoError(t, e.pool.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_namespace WHERE nspname = 'asof_poison'").Scan(&n))
	assert.Zero(t, n)

	// Up to the event before the poison, the replay succeeds.
	_, err = r.ReplayAsOf(context.Background(), nil, projections.AsOfPosition(10), "asof_poison", nil)
	require.NoError(t, err)
	assert.Len(t, e.rows(t, "asof_poison.seen"), 10)
}
