package projections

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/events"
)

// ReplayAsOf replays the named projections (none: all of the runner's) from position 0 up to
// the moment asOf into the fresh schema, which then holds each projection's tables and the
// table replay_info (one row per projection: projection, as_of_position, as_of_time, events,
// replayed_at, tables). It never touches the live rm_* schemas or the checkpoints, and runs
// whether or not Run does. An existing schema is refused unless ReplaceSchema is given and an
// earlier replay made it. replay_info is written last, in the transaction that ends the
// replay: a schema without it is a replay still running (or one that died with its process).
// A replay that fails drops its schema.
//
// Each projection is a pass of its own over $all, through the code path of Rebuild; the first
// pass fixes the position of the moment and the others stop at it, so every projection shows
// the same moment. progress may be nil; it is told the position reached over all the passes.
func (r *Runner) ReplayAsOf(ctx context.Context, names []string, asOf AsOf, schema string,
	progress ProgressFunc, opts ...ReplayOption) (Replayed, error) {
	fail := func(err error) (Replayed, error) {
		return Replayed{}, fmt.Errorf("replay as of %s into %s: %w", asOf, schema, err)
	}
	var cfg replayConfig
	for _, o := range opts {
		o(&cfg)
	}
	if err := CheckReplaySchema(schema); err != nil {
		return fail(err)
	}
	workers, err := r.replayWorkers(names)
	if err != nil {
		return fail(err)
	}
	unlock, locked, err := r.sessionLock(ctx, "certledger/projection-replay/"+schema)
	if err != nil {
		return fail(fmt.Errorf("take the replay lock: %w", err))
	}
	defer unlock()
	if !locked {
		return fail(ErrReplayRunning)
	}

	start := time.Now()
	last, err := r.source.LastPosition(ctx)
	if err != nil {
		return fail(err)
	}
	token := replayMark + uuid.NewString()
	layout, err := r.createReplaySchema(ctx, schema, token, workers, cfg.replace)
	if err != nil {
		return fail(err)
	}
	out := Replayed{Schema: schema, AsOf: asOf}
	if err := r.replayInto(ctx, &out, layout, token, last, progress); err != nil {
		r.dropReplaySchema(schema, token)
		return fail(err)
	}
	out.Duration = time.Since(start)
	r.cfg.logger.Info("point-in-time replay finished", "schema", schema, "as_of", asOf.String(),
		"position", out.Position, "events", out.Events, "duration", out.Duration.Round(time.Millisecond))
	return out, nil
}

// replayWorkers returns the workers of the named projections, all of them for none.
func (r *Runner) replayWorkers(names []string) ([]*worker, error) {
	if len(names) == 0 {
		return r.workers, nil
	}
	var out []*worker
	for i, name := range names {
		if slices.Contains(names[:i], name) {
			return nil, fmt.Errorf("projection %q is named twice", name)
		}
		w, err := r.worker(name)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// replayInto runs one pass per projection of layout into the schema marked with token, renames
// the relations of prefixed projections after their pass, and writes replay_info.
func (r *Runner) replayInto(ctx context.Context, out *Replayed, layout replayLayout, token string, last uint64,
	progress ProgressFunc) error {
	schema := pgx.Identifier{out.Schema}.Sanitize()
	moment := out.AsOf
	var doneBefore uint64 // positions covered by the finished passes, for progress
	for i, w := range layout.workers {
		total := last
		if moment.Time.IsZero() {
			total = min(last, moment.Position)
		}
		err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
			if err := checkSchemaToken(ctx, tx, out.Schema, token); err != nil {
				return err
			}
			return createTables(ctx, tx, w.p, schema)
		})
		if err != nil {
			return fmt.Errorf("projection %s: create its tables: %w", w.p.Name(), err)
		}
		m, before, passes := moment, doneBefore, uint64(len(layout.workers)-i)
		var lastRecorded time.Time // of the last event of the pass, set by the reading goroutine
		p := pass{target: target{schema: schema, token: token, tokenSchema: out.Schema}, total: total, start: time.Now(),
			past: func(raw events.Raw) bool {
				if m.past(raw) {
					return true
				}
				lastRecorded = raw.Recorded
				return false
			}}
		if progress != nil {
			p.progress = func(done, total uint64, rate float64) { progress(before+done, before+passes*total, rate) }
		}
		pos, n, err := w.fill(ctx, p)
		if err != nil {
			return err
		}
		if i == 0 { // the other passes stop where the first one did
			moment, out.Position, out.Events = AsOfPosition(pos), pos, n
			out.Time = out.AsOf.Time
			if out.Time.IsZero() {
				out.Time = lastRecorded
			}
		}
		doneBefore += pos
		if err := r.prefixRelations(ctx, out.Schema, token, layout, i); err != nil {
			return err
		}
		out.Projections = append(out.Projections, layout.replayed(i))
	}
	return writeReplayInfo(ctx, r.pool, *out, token)
}

// writeReplayInfo ends a replay: it creates replay_info with one row per projection, in one
// transaction committed synchronously, which makes the replay's earlier transactions durable.
func writeReplayInfo(ctx context.Context, pool *pgxpool.Pool, out Replayed, token string) error {
	table := pgx.Identifier{out.Schema, replayInfoTable}.Sanitize()
	var asOfTime *time.Time
	if !out.Time.IsZero() {
		asOfTime = &out.Time
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := checkSchemaToken(ctx, tx, out.Schema, token); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "CREATE TABLE "+table+` (projection text PRIMARY KEY,
			as_of_position bigint NOT NULL, as_of_time timestamptz, events bigint NOT NULL,
			replayed_at timestamptz NOT NULL, tables text[] NOT NULL)`); err != nil {
			return fmt.Errorf("create %s: %w", replayInfoTable, err)
		}
		for _, p := range out.Projections {
			if _, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES ($1, $2, $3, $4, now(), $5)",
				p.Name, int64(out.Position), asOfTime, int64(out.Events), p.Tables); err != nil {
				return fmt.Errorf("write %s: %w", replayInfoTable, err)
			}
		}
		return nil
	})
}

// dropReplaySchema removes what a failed replay left, on a fresh context: the caller's may have
// ended. It drops the schema only while it carries the replay's token.
func (r *Runner) dropReplaySchema(schema, token string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if err := checkSchemaToken(ctx, tx, schema, token); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		return err
	})
	if err != nil {
		r.cfg.logger.Warn("did not drop the schema of a failed replay", "schema", schema, "error", err)
	}
}
