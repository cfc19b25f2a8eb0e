package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/events"
)

// errFenced says the stored checkpoint is not where this writer left it: another writer moved it.
var errFenced = errors.New("the checkpoint was moved by another writer")

// errRebuildTakenOver says another rebuild (or replay) replaced the schema this one was filling.
var errRebuildTakenOver = errors.New("another rebuild or replay replaced the schema this one was filling")

// target says where and how a transaction applies events.
type target struct {
	// schema is the quoted identifier of the schema the events go to.
	schema string
	// checkpoint, when set, moves the checkpoint from → to with a compare-and-set.
	checkpoint bool
	from, to   uint64
	// token, when set, is the token of a rebuild or of a point-in-time replay: the schema
	// tokenSchema (unquoted) must still carry it as its comment. Such transactions switch off
	// synchronous commit: they need not wait for the disk, since what publishes them (a
	// rebuild's swap, a replay's replay_info) commits synchronously after them.
	token, tokenSchema string
}

// commit applies envs in one transaction on t, event by event if perEvent is set (or the
// projection has no ApplyBatch), else in one ApplyBatch call.
func (w *worker) commit(ctx context.Context, t target, envs []events.Envelope, perEvent bool) error {
	tx, err := w.r.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("projection %s: begin: %w", w.p.Name(), err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if t.checkpoint && w.lease != nil {
		if err := w.lease.Verify(ctx, tx); err != nil {
			return fmt.Errorf("projection %s: %w: %w", w.p.Name(), errLeaseLost, err)
		}
	}
	if err := w.setup(ctx, tx, t); err != nil {
		return err
	}
	if err := w.applyEvents(ctx, tx, envs, perEvent); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("projection %s: commit up to position %d: %w", w.p.Name(), t.to, err)
	}
	return nil
}

// token is the fencing token of the lease the follow holds, 0 without one.
func (w *worker) token() int64 {
	if w.lease == nil {
		return 0
	}
	return w.lease.Token()
}

// setup starts a transaction on t in one round trip. The order of the statements matters: the
// checkpoint is moved first, while search_path is still the connection's default (where
// projection_checkpoints lives); only then is search_path set to the target schema.
func (w *worker) setup(ctx context.Context, tx pgx.Tx, t target) error {
	var b pgx.Batch
	if t.checkpoint {
		b.Queue(`UPDATE projection_checkpoints SET position = $2, fence = GREATEST(fence, $4), updated_at = now()
			WHERE name = $1 AND position = $3 AND ($4 = 0 OR fence <= $4)`, w.p.Name(), int64(t.to), int64(t.from), w.token())
	}
	if t.token != "" {
		b.Queue("SELECT obj_description(to_regnamespace($1), 'pg_namespace')", t.tokenSchema)
		b.Queue("SELECT set_config('synchronous_commit', 'off', true)")
	}
	b.Queue("SELECT set_config('search_path', $1, true)", t.schema)
	res := tx.SendBatch(ctx, &b)
	defer func() { _ = res.Close() }()
	if t.checkpoint {
		tag, err := res.Exec()
		if err != nil {
			return fmt.Errorf("projection %s: move the checkpoint: %w", w.p.Name(), err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("projection %s at position %d: %w", w.p.Name(), t.from, errFenced)
		}
	}
	if t.token != "" {
		var token *string
		if err := res.QueryRow().Scan(&token); err != nil {
			return fmt.Errorf("projection %s: check the schema %s: %w", w.p.Name(), t.tokenSchema, err)
		}
		if token == nil || *token != t.token {
			return fmt.Errorf("projection %s: schema %s: %w", w.p.Name(), t.tokenSchema, errRebuildTakenOver)
		}
	}
	for range b.Len() - btoi(t.checkpoint) - btoi(t.token != "") {
		if _, err := res.Exec(); err != nil {
			return fmt.Errorf("projection %s: set up the transaction: %w", w.p.Name(), err)
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("projection %s: set up the transaction: %w", w.p.Name(), err)
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
