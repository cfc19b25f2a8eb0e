package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/events"
)

// pass is one replay of $all from position 0 through a projection's code: where its chunks are
// committed, where it stops, and whom it tells how far it has come. Rebuilds and point-in-time
// replays (ReplayAsOf) are both passes; they differ only in these fields.
type pass struct {
	// target is where every chunk is committed; its schema's tables exist already.
	target target
	// total is the newest position expected when the pass started, for progress reports.
	total uint64
	start time.Time
	// progress may be nil; status, when set, also records the progress for Status (rebuilds).
	progress ProgressFunc
	status   bool
	// past, when set, tells that an event lies past the end of the pass: reading stops before
	// it. It is called in $all order from the reading goroutine. nil reads to the end of $all.
	past func(events.Raw) bool
}

// build fills a fresh rm_<name>_rebuild, marked with token, from position 0 and returns the
// position it reached and the number of events it read.
func (w *worker) build(ctx context.Context, token string, total uint64, start time.Time,
	progress ProgressFunc) (pos, n uint64, err error) {
	name := rebuildSchemaName(w.p.Name())
	schema := pgx.Identifier{name}.Sanitize()
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
	return w.fill(ctx, pass{target: target{schema: schema, token: token, tokenSchema: name},
		total: total, start: start, progress: progress, status: true})
}

// fill runs the pass and returns the position of the last event it read and the number of
// events it read, skipped ones included. One goroutine reads and parses $all while this one
// applies the previous chunk, each chunk in its own transaction.
func (w *worker) fill(ctx context.Context, p pass) (pos, n uint64, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan batch, 2)
	readDone := make(chan error, 1)
	go func() {
		defer close(chunks)
		readDone <- w.read(ctx, chunks, p.past)
	}()

	report := func() {
		rate := float64(n) / max(time.Since(p.start).Seconds(), 1e-9)
		if p.status {
			w.setProgress(&RebuildProgress{Done: pos, Total: p.total, Events: n, Rate: rate, Started: p.start})
		}
		if p.progress != nil {
			p.progress(pos, max(p.total, pos), rate)
		}
	}
	lastReport := time.Now()
	for b := range chunks {
		err := w.commit(ctx, p.target, b.envs, false)
		if applyErr := (*ApplyError)(nil); errors.As(err, &applyErr) && applyErr.index < 0 {
			// ApplyBatch failed: apply the chunk event by event, which names the failing event.
			err = w.commit(ctx, p.target, b.envs, true)
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
	if p.past != nil {
		p.total = pos // the pass ended where it was meant to: report it complete
	}
	report()
	return pos, n, nil
}

// read sends $all from position 0 to chunks, in batches of rebuildChunk events, up to the first
// event past says lies beyond the pass (past may be nil).
func (w *worker) read(ctx context.Context, chunks chan<- batch, past func(events.Raw) bool) error {
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
		if past != nil && past(raw) {
			break
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
