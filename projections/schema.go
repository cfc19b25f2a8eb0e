package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// schemaLockKey names the advisory lock taken by every transaction that creates, drops or swaps
// a projection's schema, so that two processes never do so at the same time.
func schemaLockKey(projection string) string { return "certledger/projection-schema/" + projection }

// prepare makes sure the projection's schema, tables and checkpoint row exist, and returns the
// checkpoint. A schema without a checkpoint row, or a checkpoint without its schema, is reset to
// an empty schema at position 0: the rows and the checkpoint only make sense together. So is a
// checkpoint beyond the event store's newest position: a store never loses an event it
// acknowledged, so the read model was built from another store (the store was replaced, or
// restored from an older backup), and following on from there would skip the new store's
// events below the checkpoint. And so is a checkpoint kept for another store (IdentifiedSource:
// the first event of $all differs), whatever its position: a replacement store that has already
// grown past the checkpoint is caught too.
func (w *worker) prepare(ctx context.Context) (uint64, error) {
	name, schema := w.p.Name(), SchemaName(w.p.Name())
	last, err := w.r.source.LastPosition(ctx)
	if err != nil {
		return 0, fmt.Errorf("projection %s: the event store's newest position: %w", name, err)
	}
	identity, err := storeIdentity(ctx, w.r.source)
	if err != nil {
		return 0, fmt.Errorf("projection %s: %w", name, err)
	}
	var pos uint64
	err = pgx.BeginFunc(ctx, w.r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", schemaLockKey(name)); err != nil {
			return err
		}
		var hasSchema bool
		var stored *int64
		var storedID *string
		replaced := false // the checkpoint belongs to another store
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
			(SELECT position FROM projection_checkpoints WHERE name = $2),
			(SELECT store_id FROM projection_checkpoints WHERE name = $2)`, schema, name).Scan(&hasSchema, &stored, &storedID)
		if err != nil {
			return err
		}
		if storedID != nil && *storedID != "" && identity != "" && *storedID != identity {
			w.log.Warn("the read model was built from another event store (its first event differs); rebuilding it from position 0",
				"checkpoint_store", *storedID, "store", identity)
			hasSchema, replaced = false, true
		}
		if stored != nil && uint64(*stored) > last && !replaced {
			w.log.Warn("the read model is ahead of the event store: it was built from another store (replaced, or restored "+
				"from an older backup); rebuilding it from position 0", "checkpoint", *stored, "store_last_position", last)
			hasSchema = false
		}
		if !hasSchema || stored == nil {
			if !replaced && (hasSchema || (stored != nil && *stored > 0 && uint64(*stored) <= last)) {
				w.log.Warn("the projection's schema and checkpoint do not match; starting it again from position 0",
					"schema_exists", hasSchema, "checkpoint_exists", stored != nil)
			}
			if err := resetSchema(ctx, tx, name, w.schema); err != nil {
				return err
			}
			stored = new(int64)
		}
		pos = uint64(*stored)
		if identity != "" {
			if _, err := tx.Exec(ctx, "UPDATE projection_checkpoints SET store_id = $2 WHERE name = $1", name, identity); err != nil {
				return err
			}
		}
		return createTables(ctx, tx, w.p, w.schema)
	})
	if err != nil {
		return 0, fmt.Errorf("projection %s: prepare schema %s: %w", name, schema, err)
	}
	return pos, nil
}

// storeIdentity returns the source's identity, "" when it names none (IdentifiedSource).
func storeIdentity(ctx context.Context, source EventSource) (string, error) {
	s, ok := source.(IdentifiedSource)
	if !ok {
		return "", nil
	}
	id, err := s.Identity(ctx)
	if err != nil {
		return "", fmt.Errorf("the event store's identity: %w", err)
	}
	return id, nil
}

// resetSchema replaces the projection's schema by an empty one and its checkpoint by 0.
func resetSchema(ctx context.Context, tx pgx.Tx, name, schema string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0)
		ON CONFLICT (name) DO UPDATE SET position = 0, updated_at = now()`, name); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema)
	return err
}

// createTables runs the projection's DDL in schema, which stays the search_path for the rest of
// the transaction.
func createTables(ctx context.Context, tx pgx.Tx, p Projection, schema string) error {
	if _, err := tx.Exec(ctx, "SELECT set_config('search_path', $1, true)", schema); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, p.Schema()); err != nil {
		return fmt.Errorf("run the projection's Schema DDL: %w", err)
	}
	return nil
}
