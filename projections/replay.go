package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/events"
)

// build fills a fresh rm_<name>_rebuild, marked with token, from position 0 and returns the
// position it reached and the number of events it read. One goroutine reads and parses $all
// while this one applies the previous chunk, each chunk in its own transaction.
func (w *worker) build(ctx context.Context, token string, total uint64, start time.Time,
	progress ProgressFunc) (pos, n uint64, err error) {
	schema := pgx.Identifier{rebuildSchemaName(w.p.Name())}.Sanitize()
	err = pgx.BeginFunc(ctx, w.r.pool, func(tx pgx.Tx) error {
		// The token is a UUID: nothing in it needs quoting.
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema+
			"; COMMENT ON SCHEMA "+schema+" IS '"+token+"'"); err != nil {
			return err
		}
		return createTables(ctx, tx, w.p, schema)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("create schema %s: %w", schema, err)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan batch, 2)
	readDone := make(chan error, 1)
	go func() {
		defer close(chunks)
		readDone <- w.read(ctx, chunks)
	}()

	report := func() {
		rate := float64(n) / max(time.Since(start).Seconds(), 1e-9)
		w.setProgress(&RebuildProgress{Done: pos, Total: total, Events: n, Rate: rate, Started: start})
		if progress != nil {
			progress(pos, max(total, pos), rate)
		}
	}
	lastReport := time.Now()
	for b := range chunks {
		t := target{schema: schema, rebuild: token}
		err := w.commit(ctx, t, b.envs, false)
		if applyErr := (*ApplyError)(nil); errors.As(err, &applyErr) && applyErr.index < 0 {
			// ApplyBatch failed: apply the chunk event by event, which names the failing event.
			err = w.commit(ctx, t, b.envs, true)
		}
		if err != nil {
			cancel()
			for range chunks { // let the reader finish
			}
			<-readDone
			return pos, n, err
		}
		pos, n = b.last, n+uint64(b.raws)
		if time.Since(lastReport) >= progressInterval {
			report()
			lastReport = time.Now()
		}
	}
	if err := <-readDone; err != nil {
		return pos, n, err
	}
	report()
	return pos, n, nil
}

// read sends $all from position 0 to chunks, in batches of rebuildChunk events.
func (w *worker) read(ctx context.Context, chunks chan<- batch) error {
	send := func(b batch) error {
		select {
		case chunks <- b:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	size := w.r.cfg.rebuildChunk
	b := batch{envs: make([]events.Envelope, 0, size), before: make([]uint64, 0, size)}
	for raw, err := range w.r.source.ReadAll(ctx, 0) {
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		b.add(w, raw, 0)
		if b.raws >= size {
			if err := send(b); err != nil {
				return err
			}
			b = batch{envs: make([]events.Envelope, 0, size), before: make([]uint64, 0, size)}
		}
	}
	if b.raws > 0 {
		return send(b)
	}
	return nil
}
