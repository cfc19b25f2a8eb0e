package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ProgressFunc is told how far a rebuild (or a point-in-time replay) has come: done is the
// position reached in $all, total the newest position when the rebuild started, rate the events
// replayed per second so far. It is called from the rebuilding goroutine, at most every
// progressInterval and once at the end.
type ProgressFunc func(done, total uint64, rate float64)

// progressInterval spaces the calls of a ProgressFunc.
const progressInterval = 250 * time.Millisecond

// Rebuild replays the projection name from position 0 into a fresh schema rm_<name>_rebuild,
// then pauses the projection's live follow, drops rm_<name>, renames the rebuild schema to
// rm_<name> and writes its checkpoint in one transaction, and resumes the live follow, which
// goes on from there. Until the swap, readers see the old tables; after it, the new ones. A
// rebuild that fails leaves the live projection as it was. Only one rebuild of a projection
// runs at a time across processes; another one fails with ErrRebuildRunning. Rebuild holds one
// Postgres connection outside the pool for its lock. progress may be nil.
func (r *Runner) Rebuild(ctx context.Context, name string, progress ProgressFunc) error {
	w, err := r.worker(name)
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	unlock, locked, err := r.sessionLock(ctx, "certledger/projection-rebuild/"+name)
	if err != nil {
		return fmt.Errorf("rebuild %s: take the rebuild lock: %w", name, err)
	}
	defer unlock()
	if !locked {
		return fmt.Errorf("rebuild %s: %w", name, ErrRebuildRunning)
	}

	start := time.Now()
	total, err := r.source.LastPosition(ctx)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	w.log.Info("rebuild started", "total", total)
	token := uuid.NewString()
	pos, n, err := w.build(ctx, token, total, start, progress)
	defer w.setProgress(nil)
	if err != nil {
		w.dropRebuildSchema(token)
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	resume := w.pause()
	defer resume()
	if err := w.swap(ctx, token, pos); err != nil {
		w.dropRebuildSchema(token)
		return fmt.Errorf("rebuild %s: swap the rebuilt schema in: %w", name, err)
	}
	elapsed := time.Since(start)
	w.log.Info("rebuild finished", "events", n, "position", pos, "duration", elapsed.Round(time.Millisecond),
		"events_per_second", int(float64(n)/elapsed.Seconds()))
	return nil
}

// swap publishes the rebuilt schema at position pos, in one transaction. The checkpoint row is
// written first: that locks it, so a live writer of another process waits, then finds its
// compare-and-set failing and resumes from pos.
func (w *worker) swap(ctx context.Context, token string, pos uint64) error {
	name := w.p.Name()
	rebuilt := pgx.Identifier{rebuildSchemaName(name)}.Sanitize()
	return pgx.BeginFunc(ctx, w.r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", schemaLockKey(name)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()`, name, int64(pos)); err != nil {
			return err
		}
		if err := checkToken(ctx, tx, name, token); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+w.schema+" CASCADE; ALTER SCHEMA "+rebuilt+
			" RENAME TO "+w.schema+"; COMMENT ON SCHEMA "+w.schema+" IS NULL")
		return err
	})
}

// sessionLock takes the advisory lock key on a connection of its own, so that rebuilds and
// replays never wait for the pool; unlock closes the connection, which releases the lock.
// locked is false (and unlock already done) when another session holds the lock.
func (r *Runner) sessionLock(ctx context.Context, key string) (unlock func(), locked bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, r.pool.Config().ConnConfig)
	if err != nil {
		return nil, false, fmt.Errorf("connect for the lock: %w", err)
	}
	unlock = func() { _ = conn.Close(context.WithoutCancel(ctx)) }
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", key).Scan(&locked); err != nil {
		unlock()
		return nil, false, err
	}
	if !locked {
		unlock()
		return func() {}, false, nil
	}
	return unlock, true, nil
}

// checkToken fails unless the rebuild schema still carries token, so that a rebuild never
// publishes or drops a schema another rebuild has replaced (if its lock was lost).
func checkToken(ctx context.Context, tx pgx.Tx, projection, token string) error {
	return checkSchemaToken(ctx, tx, rebuildSchemaName(projection), token)
}

// checkSchemaToken fails unless the schema (unquoted name) carries token as its comment.
func checkSchemaToken(ctx context.Context, tx pgx.Tx, schema, token string) error {
	var got *string
	if err := tx.QueryRow(ctx, "SELECT obj_description(to_regnamespace($1), 'pg_namespace')", schema).Scan(&got); err != nil {
		return err
	}
	if got == nil || *got != token {
		return errRebuildTakenOver
	}
	return nil
}

// dropRebuildSchema removes what a failed rebuild left, on a fresh context: the caller's may
// have ended.
func (w *worker) dropRebuildSchema(token string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rebuilt := pgx.Identifier{rebuildSchemaName(w.p.Name())}.Sanitize()
	err := pgx.BeginFunc(ctx, w.r.pool, func(tx pgx.Tx) error {
		if err := checkToken(ctx, tx, w.p.Name(), token); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DROP SCHEMA "+rebuilt+" CASCADE")
		return err
	})
	if err != nil {
		w.log.Warn("did not drop the schema of a failed rebuild", "schema", rebuilt, "error", err)
	}
}

// setProgress records a rebuild's progress for Status.
func (w *worker) setProgress(p *RebuildProgress) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.progress = p
}
