package projections_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/events"
)

// counts is the example projection: the number of events per stream category, one event at a
// time.
type counts struct {
	name string
	slow *atomic.Bool // when set and true, each Apply takes a millisecond more
}

func (p counts) Name() string {
	if p.name == "" {
		return "counts"
	}
	return p.name
}

func (counts) Schema() string {
	return `CREATE TABLE IF NOT EXISTS stream_counts (category text PRIMARY KEY, events bigint NOT NULL)`
}

func (p counts) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	if p.slow != nil && p.slow.Load() {
		time.Sleep(time.Millisecond)
	}
	category, _, err := events.ParseStreamName(e.Stream)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO stream_counts (category, events) VALUES ($1, 1)
		ON CONFLICT (category) DO UPDATE SET events = stream_counts.events + 1`, category)
	return err
}

// batchCounts is counts with an ApplyBatch that adds up a batch before one upsert.
type batchCounts struct{ counts }

func newBatchCounts() batchCounts { return batchCounts{counts{name: "batch_counts"}} }

func (p batchCounts) ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error {
	sums := map[string]int64{}
	for _, e := range batch {
		category, _, err := events.ParseStreamName(e.Stream)
		if err != nil {
			return err
		}
		sums[category]++
	}
	var categories []string
	var n []int64
	for c, s := range sums {
		categories, n = append(categories, c), append(n, s)
	}
	_, err := tx.Exec(ctx, `INSERT INTO stream_counts (category, events)
		SELECT * FROM unnest($1::text[], $2::bigint[])
		ON CONFLICT (category) DO UPDATE SET events = stream_counts.events + excluded.events`, categories, n)
	return err
}

// eventLog keeps one row per event, written with COPY in batches.
type eventLog struct{}

func (eventLog) Name() string { return "event_log" }

func (eventLog) Schema() string {
	return `CREATE TABLE IF NOT EXISTS event_log (
		position bigint PRIMARY KEY, id uuid NOT NULL, stream text NOT NULL, revision bigint NOT NULL,
		type text NOT NULL, occurred_at timestamptz NOT NULL, actor text NOT NULL);
	CREATE INDEX IF NOT EXISTS event_log_stream ON event_log (stream, revision)`
}

var logColumns = []string{"position", "id", "stream", "revision", "type", "occurred_at", "actor"}

func logRow(e events.Envelope) []any {
	return []any{int64(e.Position), e.ID, e.Stream, int64(e.Revision), e.Type, e.Metadata.OccurredAt, e.Metadata.Actor.Subject}
}

func (eventLog) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	_, err := tx.Exec(ctx, `INSERT INTO event_log (position, id, stream, revision, type, occurred_at, actor)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, logRow(e)...)
	return err
}

func (eventLog) ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"event_log"}, logColumns,
		pgx.CopyFromSlice(len(batch), func(i int) ([]any, error) { return logRow(batch[i]), nil }))
	return err
}

// poison records every event it applies and fails on events of type Poison while failing is
// set, after writing that event's row, so the test sees whether the row was rolled back.
type poison struct {
	name    string
	failing *atomic.Bool
}

func newPoison(name string) poison {
	p := poison{name: name, failing: new(atomic.Bool)}
	p.failing.Store(true)
	return p
}

func (p poison) Name() string { return p.name }

func (poison) Schema() string {
	return `CREATE TABLE IF NOT EXISTS seen (position bigint PRIMARY KEY, type text NOT NULL)`
}

var errPoison = errors.New("cannot digest this event")

func (p poison) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	if _, err := tx.Exec(ctx, "INSERT INTO seen (position, type) VALUES ($1, $2)", int64(e.Position), e.Type); err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	if e.Type == "Poison" && p.failing.Load() {
		return errPoison
	}
	return nil
}

// batchPoison is poison with an ApplyBatch, which fails for the whole batch.
type batchPoison struct{ poison }

func (p batchPoison) ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error {
	for _, e := range batch {
		if err := p.Apply(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
