package projections_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

func TestCatchUpThenLive(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.appendEvents(t, events.CategoryCertificate, "Issued", 1200, 100, 4)
	// Events that are not ledger events: no ledger metadata, and a system event type.
	for _, typ := range []string{"Note", "$note"} {
		_, err := e.client.AppendToStream(ctx, "scratch-1", esdb.AppendToStreamOptions{}, esdb.EventData{
			EventID: uuid.New(), EventType: typ, ContentType: esdb.ContentTypeJson, Data: []byte(`{}`)})
		require.NoError(t, err)
	}
	last := e.appendEvents(t, events.CategoryCA, "Created", 30, 10, 1)

	r := e.runner(t, []projections.Projection{counts{}, newBatchCounts(), eventLog{}})
	start(t, r)
	waitLive(t, r, last)
	want := []string{"(ca,30)", "(certificate,1200)"}
	assert.Equal(t, want, e.rows(t, "rm_counts.stream_counts"))
	assert.Equal(t, want, e.rows(t, "rm_batch_counts.stream_counts"), "ApplyBatch leaves what Apply leaves")
	assert.Len(t, e.rows(t, "rm_event_log.event_log"), 1230, "non-ledger events are skipped")

	last = e.appendEvents(t, events.CategorySigningKey, "Generated", 3, 1, 1)
	waitLive(t, r, last)
	want = []string{"(ca,30)", "(certificate,1200)", "(signingkey,3)"}
	assert.Equal(t, want, e.rows(t, "rm_counts.stream_counts"))
	assert.Equal(t, want, e.rows(t, "rm_batch_counts.stream_counts"))
	st := status(t, r, "counts")
	assert.Zero(t, st.Lag)
	assert.Empty(t, st.Error)
}

func TestRestartResumesFromTheCheckpointWithoutDoubleApplying(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 5000, 100, 4)
	// counts is slowed down until the restart, so that stopping it lands mid-stream however
	// fast or loaded the machine is.
	slow := &atomic.Bool{}
	slow.Store(true)
	ps := []projections.Projection{counts{slow: slow}, newBatchCounts()}
	stop := start(t, e.runner(t, ps, projections.WithBatchLimits(10, 100*time.Millisecond)))
	require.Eventually(t, func() bool { return e.checkpointOr0("counts") > 500 }, time.Minute, time.Millisecond)
	stop() // cancels the runner mid-stream

	for _, name := range []string{"counts", "batch_counts"} {
		pos := e.checkpoint(t, name)
		// Positions in the embedded store count events from 1, and every event here is a
		// ledger event, so the rows must hold exactly pos events.
		assert.Equal(t, pos, e.sum(t, "rm_"+name+".stream_counts"), "%s: rows and checkpoint agree", name)
		t.Logf("%s stopped at %d of %d", name, pos, last)
	}
	assert.Less(t, e.checkpoint(t, "counts"), last, "the runner was stopped mid-stream")

	slow.Store(false)
	r := e.runner(t, ps)
	start(t, r)
	waitLive(t, r, last)
	assert.Equal(t, []string{"(certificate,5000)"}, e.rows(t, "rm_counts.stream_counts"))
	assert.Equal(t, []string{"(certificate,5000)"}, e.rows(t, "rm_batch_counts.stream_counts"))
}

func TestTwoRunnersOfOneProjectionTakeTurns(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 3000, 100, 4)
	// Two runners stand for two ledgerd processes sharing the database: one follows the
	// projection, the other stands by until the first stops.
	a := e.runner(t, []projections.Projection{counts{}}, projections.WithBatchLimits(20, 10*time.Millisecond))
	b := e.runner(t, []projections.Projection{counts{}}, projections.WithBatchLimits(20, 10*time.Millisecond))
	stopA := start(t, a)
	waitLive(t, a, last)
	start(t, b)
	require.Eventually(t, func() bool { return stateOf(b, "counts") == projections.StateStandby }, time.Minute, 10*time.Millisecond)
	assert.Equal(t, []string{"(certificate,3000)"}, e.rows(t, "rm_counts.stream_counts"))

	stopA()
	last = e.appendEvents(t, events.CategoryCertificate, "Issued", 200, 2, 4)
	waitLive(t, b, last)
	assert.Equal(t, []string{"(certificate,3200)"}, e.rows(t, "rm_counts.stream_counts"))
}

func TestTwoWritersAfterALostLockNeverDoubleApply(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 1000, 100, 4)
	a := e.runner(t, []projections.Projection{counts{}})
	b := e.runner(t, []projections.Projection{counts{}})
	start(t, a)
	waitLive(t, a, last)
	start(t, b)
	require.Eventually(t, func() bool { return stateOf(b, "counts") == projections.StateStandby }, time.Minute, 10*time.Millisecond)

	// The lock connection dies: a goes on following without knowing, b takes the lock and
	// follows too. The checkpoint's compare-and-set must keep them from applying twice.
	_, err := e.pool.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return stateOf(b, "counts") != projections.StateStandby }, time.Minute, 10*time.Millisecond)
	last = e.appendEvents(t, events.CategoryCertificate, "Issued", 500, 5, 2)
	require.Eventually(t, func() bool { return e.checkpointOr0("counts") == last }, time.Minute, 10*time.Millisecond)
	assert.Equal(t, []string{"(certificate,1500)"}, e.rows(t, "rm_counts.stream_counts"))
}

func TestStatusOfARunnerThatIsNotRunning(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 7, 7, 1)
	r := e.runner(t, []projections.Projection{counts{}})
	st := status(t, r, "counts")
	assert.Equal(t, projections.ProjectionStatus{Name: "counts", State: projections.StateStopped, Lag: last}, st)
}

func TestNewRunnerRejectsBadNames(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		ps    []projections.Projection
		error string
	}{
		{"duplicate", []projections.Projection{counts{}, counts{name: "x"}, counts{name: "x"}}, `two projections are named "x"`},
		{"upper case", []projections.Projection{counts{name: "Counts"}}, `projection name "Counts"`},
		{"leading digit", []projections.Projection{counts{name: "1counts"}}, `projection name "1counts"`},
		{"dash", []projections.Projection{counts{name: "cert-counts"}}, `projection name "cert-counts"`},
		{"too long", []projections.Projection{counts{name: strings.Repeat("a", projections.MaxNameLength+1)}}, "at most 48 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := projections.NewRunner(e.pool, e.store, tt.ps)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.error)
		})
	}
	_, err := projections.NewRunner(e.pool, e.store, []projections.Projection{counts{name: strings.Repeat("a", projections.MaxNameLength)}})
	assert.NoError(t, err, "a name of MaxNameLength bytes is fine")
}
