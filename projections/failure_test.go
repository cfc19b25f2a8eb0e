package projections_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/tests/testutil"
)

func TestAFailingApplyRollsBackItsRowsAndCheckpoint(t *testing.T) {
	tests := []struct {
		name string
		p    func() projections.Projection
	}{
		{"event by event", func() projections.Projection { return newPoison("poison") }},
		{"with ApplyBatch", func() projections.Projection { return batchPoison{newPoison("poison")} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.appendEvents(t, events.CategoryCertificate, "Issued", 20, 20, 1)
			bad := e.appendEvents(t, events.CategoryCertificate, "Poison", 1, 1, 1)
			last := e.appendEvents(t, events.CategoryCertificate, "Issued", 5, 5, 1)

			var logs testutil.SyncBuffer
			r, err := projections.NewRunner(e.pool, e.store, []projections.Projection{tt.p(), counts{}},
				projections.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			require.NoError(t, err)
			start(t, r)
			require.Eventually(t, func() bool { return stateOf(r, "poison") == projections.StateFailed },
				time.Minute, 10*time.Millisecond)

			st := status(t, r, "poison")
			assert.Equal(t, bad-1, st.Position, "the checkpoint stays just before the failing event")
			assert.Equal(t, last-bad+1, st.Lag)
			assert.Contains(t, st.Error, "apply Poison event certificate-")
			assert.Contains(t, st.Error, fmt.Sprintf("(position %d): cannot digest this event", bad))
			var seen, highest int64
			require.NoError(t, e.pool.QueryRow(context.Background(),
				"SELECT count(*), coalesce(max(position), 0) FROM rm_poison.seen").Scan(&seen, &highest))
			assert.Equal(t, int64(bad-1), seen, "the events before the failing one are applied")
			assert.Equal(t, int64(bad-1), highest, "the failing event's own row was rolled back")
			assert.Contains(t, logs.String(), "level=ERROR msg=\"projection stopped")
			assert.Contains(t, logs.String(), "projection=poison")

			// The other projection is not held up, and the failed one stays where it stopped.
			waitFor(t, r, "counts", last)
			last = e.appendEvents(t, events.CategoryCertificate, "Issued", 2, 2, 1)
			waitFor(t, r, "counts", last)
			assert.Equal(t, bad-1, status(t, r, "poison").Position)
			assert.Equal(t, projections.StateFailed, status(t, r, "poison").State)
		})
	}
}

// waitFor waits until the named projection is live at position pos.
func waitFor(t *testing.T, r *projections.Runner, name string, pos uint64) {
	t.Helper()
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		s := status(c, r, name)
		assert.Equal(c, projections.StateLive, s.State)
		assert.Equal(c, pos, s.Position)
	}, time.Minute, 10*time.Millisecond)
}

// flaky fails its first calls with a deadlock, as a busy server may.
type flaky struct {
	counts
	calls *atomic.Int64
}

func (p flaky) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	if p.calls.Add(1) <= 2 {
		return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
	}
	return p.counts.Apply(ctx, tx, e)
}

func TestTransientServerErrorsAreRetried(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, events.CategoryCertificate, "Issued", 30, 10, 1)
	r := e.runner(t, []projections.Projection{flaky{calls: new(atomic.Int64)}})
	start(t, r)
	waitLive(t, r, last)
	assert.Equal(t, []string{"(certificate,30)"}, e.rows(t, "rm_counts.stream_counts"))
}
