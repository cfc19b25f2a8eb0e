package siem

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// checkpoints keeps each sink's position in the Postgres table siem_checkpoints: the position in
// $all up to which the sink has acknowledged (or was not meant to get) every event.
type checkpoints struct{ pool *pgxpool.Pool }

// ensure creates siem_checkpoints if it does not exist. The advisory lock keeps two processes
// starting together from racing on CREATE TABLE.
func (c checkpoints) ensure(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('siem_checkpoints'))"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS siem_checkpoints (
			sink       text        PRIMARY KEY,
			position   bigint      NOT NULL,
			updated_at timestamptz NOT NULL DEFAULT now());
			ALTER TABLE siem_checkpoints ADD COLUMN IF NOT EXISTS fence bigint NOT NULL DEFAULT 0;
			ALTER TABLE siem_checkpoints ADD COLUMN IF NOT EXISTS store_id text NOT NULL DEFAULT ''`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create siem_checkpoints: %w", err)
	}
	return nil
}

// load returns the stored position of sink, 0 when it has none yet, and the identity of the
// store it is a position in ("" when unknown).
func (c checkpoints) load(ctx context.Context, sink string) (uint64, string, error) {
	var pos int64
	var storeID string
	err := c.pool.QueryRow(ctx, "SELECT position, store_id FROM siem_checkpoints WHERE sink = $1", sink).Scan(&pos, &storeID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("load the checkpoint of sink %s: %w", sink, err)
	}
	return uint64(pos), storeID, nil
}

// save stores the position of sink under lease, in a transaction that verifies the lease and
// records its fencing token; a checkpoint written under a newer token is never overwritten.
func (c checkpoints) save(ctx context.Context, sink string, pos uint64, lease Lease, storeID string) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if err := lease.Verify(ctx, tx); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO siem_checkpoints (sink, position, fence, store_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sink) DO UPDATE SET position = excluded.position, fence = excluded.fence, updated_at = now(),
				store_id = CASE WHEN excluded.store_id = '' THEN siem_checkpoints.store_id ELSE excluded.store_id END
			WHERE $3 = 0 OR siem_checkpoints.fence <= $3`, sink, int64(pos), lease.Token(), storeID)
		if err == nil && tag.RowsAffected() == 0 {
			err = fmt.Errorf("a newer holder of the sink's lease wrote it (fence %d)", lease.Token())
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("save the checkpoint of sink %s at %d: %w", sink, pos, err)
	}
	return nil
}

// Checkpoint returns the stored position of a sink, 0 when it has none (or the table does not
// exist yet), for status reports and tests.
func Checkpoint(ctx context.Context, pool *pgxpool.Pool, sink string) (uint64, error) {
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass('siem_checkpoints') IS NOT NULL").Scan(&exists); err != nil || !exists {
		return 0, err
	}
	pos, _, err := checkpoints{pool}.load(ctx, sink)
	return pos, err
}

// saveTimeout bounds one write of a checkpoint.
const saveTimeout = 5 * time.Second

// offer hands the watermark to the saver if it moved since the last offer, or always when final.
func (d *dispatch) offer(final bool) {
	if d.marks.mark == d.offered && !final {
		return
	}
	select {
	case <-d.saves: // replaced by the newer watermark
	default:
	}
	d.saves <- d.marks.mark // only the loop sends, and the buffer is empty now
	d.offered, d.acked = d.marks.mark, 0
}

// saver stores the watermarks the loop offers until d.saves is closed, then closes saved. A
// failed write is logged (at most every warnEvery) and superseded by the next one.
func (d *dispatch) saver(saved chan<- struct{}) {
	defer close(saved)
	var warned time.Time
	for pos := range d.saves {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		err := d.s.store.save(ctx, d.s.sink, pos, d.lease, d.storeID)
		cancel()
		if err != nil && time.Since(warned) > warnEvery {
			warned = time.Now()
			d.s.log.Warn("SIEM forwarder: storing the checkpoint failed; events after the stored one are "+
				"forwarded again after a restart", "sink", d.s.sink, "error", err)
		}
	}
}
