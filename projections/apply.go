package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/certledger/certledger/events"
)

// ApplyError says a projection's Apply (or ApplyBatch) failed. The transaction was rolled back;
// the projection stops before the event.
type ApplyError struct {
	// Projection is the projection's name.
	Projection string
	// Position, Stream, Revision and Type identify the event; they are zero when ApplyBatch
	// failed for a whole batch.
	Position uint64
	Stream   string
	Revision uint64
	Type     string
	// Err is what Apply returned.
	Err error

	index int // of the event in its batch; -1 for a whole batch
}

// Error names the projection and the event.
func (e *ApplyError) Error() string {
	if e.index < 0 {
		return fmt.Sprintf("projection %s: apply a batch of events: %v", e.Projection, e.Err)
	}
	return fmt.Sprintf("projection %s: apply %s event %s@%d (position %d): %v",
		e.Projection, e.Type, e.Stream, e.Revision, e.Position, e.Err)
}

// Unwrap returns what Apply returned.
func (e *ApplyError) Unwrap() error { return e.Err }

// applyLive commits b after position from. If an event fails to apply, it commits the events
// before it (with the checkpoint just before it) and returns the *ApplyError.
func (w *worker) applyLive(ctx context.Context, from uint64, b batch) error {
	t := target{schema: w.schema, checkpoint: true, from: from, to: b.last}
	err := w.commit(ctx, t, b.envs, false)
	var applyErr *ApplyError
	if !errors.As(err, &applyErr) {
		return err
	}
	if applyErr.index < 0 || w.batcher != nil {
		// Find the failing event: apply the batch again event by event.
		if err = w.commit(ctx, t, b.envs, true); !errors.As(err, &applyErr) {
			if err == nil {
				w.log.Warn("ApplyBatch failed but Apply succeeded event by event; the two disagree", "error", applyErr)
			}
			return err
		}
	}
	if i := applyErr.index; b.before[i] != from {
		t.to = b.before[i]
		if err := w.commit(ctx, t, b.envs[:i], true); err != nil {
			return err
		}
	}
	return applyErr
}

// applyEvents runs the projection's code for envs inside tx.
func (w *worker) applyEvents(ctx context.Context, tx pgx.Tx, envs []events.Envelope, perEvent bool) error {
	if len(envs) == 0 {
		return nil
	}
	if w.batcher != nil && !perEvent {
		if err := w.batcher.ApplyBatch(ctx, tx, envs); err != nil {
			return w.applyError(ctx, tx, err, envs, -1)
		}
		return nil
	}
	for i := range envs {
		if err := w.p.Apply(ctx, tx, envs[i]); err != nil {
			return w.applyError(ctx, tx, err, envs, i)
		}
	}
	return nil
}

// applyError classifies a failure of the projection's code. A cancelled context, a lost
// connection or a transient condition of the server is not the projection's fault: they come
// back as plain errors, which are retried.
func (w *worker) applyError(ctx context.Context, tx pgx.Tx, err error, envs []events.Envelope, i int) error {
	if ctx.Err() != nil {
		return fmt.Errorf("projection %s: %w", w.p.Name(), ctx.Err())
	}
	if tx.Conn().IsClosed() || transient(err) {
		return fmt.Errorf("projection %s: transient failure while applying: %w", w.p.Name(), err)
	}
	e := &ApplyError{Projection: w.p.Name(), Err: err, index: i}
	if i >= 0 {
		env := envs[i]
		e.Position, e.Stream, e.Revision, e.Type = env.Position, env.Stream, env.Revision, env.Type
	}
	return e
}

// transient tells whether err is a server error that may pass when tried again: a serialization
// failure or deadlock (class 40), a lack of resources (53), an operator intervention such as a
// shutdown (57), a system error (58), a connection exception (08) or a lock not available.
func transient(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || len(pgErr.Code) != 5 {
		return false
	}
	switch pgErr.Code[:2] {
	case "08", "40", "53", "57", "58":
		return true
	}
	return pgErr.Code == "55P03"
}
