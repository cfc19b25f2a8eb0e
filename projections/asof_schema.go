package projections

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// replayMark starts the comment of every schema a replay made; with ReplaceSchema, only such
// a schema is dropped. The rest of the comment is the replay's token.
const replayMark = "certledger point-in-time replay "

// replayInfoTable is the table a replay writes last; no projection's relation may keep its name.
const replayInfoTable = "replay_info"

// relation is a table, index, sequence or view a projection's Schema DDL creates.
type relation struct {
	name string
	kind string // pg_class.relkind
}

// replayLayout is what each replayed projection names its relations in the replay schema.
type replayLayout struct {
	workers   []*worker
	relations [][]relation // per worker, as its DDL names them
	prefixed  []bool       // per worker: its relations are renamed "<projection>_<name>"
}

// createReplaySchema drops the schema if it may be replaced, creates it marked with token, and
// finds the relations each projection's DDL creates: it runs the DDL in the new schema under a
// savepoint that it rolls back. A projection with a name that another one also has (or that is
// replay_info) is prefixed.
func (r *Runner) createReplaySchema(ctx context.Context, schema, token string, workers []*worker,
	replace bool) (replayLayout, error) {
	layout := replayLayout{workers: workers}
	quoted := pgx.Identifier{schema}.Sanitize()
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var exists bool
		var comment *string
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
			obj_description(to_regnamespace($1), 'pg_namespace')`, schema).Scan(&exists, &comment); err != nil {
			return err
		}
		switch {
		case exists && !replace:
			return fmt.Errorf("schema %s: %w; replace it or choose another name", schema, ErrReplaySchemaExists)
		case exists && (comment == nil || !strings.HasPrefix(*comment, replayMark)):
			return fmt.Errorf("schema %s: %w and no replay made it; it is not replaced", schema, ErrReplaySchemaExists)
		}
		// The token is the mark and a UUID: nothing in it needs quoting.
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+quoted+" CASCADE; CREATE SCHEMA "+quoted+
			"; COMMENT ON SCHEMA "+quoted+" IS '"+token+"'"); err != nil {
			return err
		}
		for _, w := range workers {
			rels, err := dryRunDDL(ctx, tx, w.p, schema)
			if err != nil {
				return fmt.Errorf("projection %s: %w", w.p.Name(), err)
			}
			layout.relations = append(layout.relations, rels)
		}
		return layout.prefix()
	})
	if err != nil {
		return layout, fmt.Errorf("create schema %s: %w", schema, err)
	}
	return layout, nil
}

// dryRunDDL returns the relations the projection's DDL creates in the empty schema, and
// rolls them back.
func dryRunDDL(ctx context.Context, tx pgx.Tx, p Projection, schema string) ([]relation, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = sp.Rollback(ctx) }()
	if err := createTables(ctx, sp, p, pgx.Identifier{schema}.Sanitize()); err != nil {
		return nil, err
	}
	rows, _ := sp.Query(ctx, `SELECT relname::text, relkind::text FROM pg_class
		WHERE relnamespace = to_regnamespace($1) ORDER BY relname`, schema)
	rels, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relation, error) {
		var rel relation
		return rel, row.Scan(&rel.name, &rel.kind)
	})
	if err != nil {
		return nil, fmt.Errorf("list the relations of its DDL: %w", err)
	}
	return rels, sp.Rollback(ctx)
}

// prefix decides which projections are prefixed, and checks that the names they end up with
// are distinct valid identifiers.
func (l *replayLayout) prefix() error {
	owners := map[string]int{replayInfoTable: 1}
	for _, rels := range l.relations {
		for _, rel := range rels {
			owners[rel.name]++
		}
	}
	final := map[string]string{} // name in the replay schema → projection
	for i, rels := range l.relations {
		l.prefixed = append(l.prefixed, slices.ContainsFunc(rels, func(rel relation) bool { return owners[rel.name] > 1 }))
		name := l.workers[i].p.Name()
		for _, rel := range rels {
			n := l.name(i, rel)
			if len(n) > 63 {
				return fmt.Errorf("projection %s: the prefixed name %s is longer than 63 bytes", name, n)
			}
			if other, taken := final[n]; taken || n == replayInfoTable {
				return fmt.Errorf("projections %s and %s would both name a relation %s in the replay schema", other, name, n)
			}
			final[n] = name
		}
	}
	return nil
}

// name is what the replay schema calls the relation rel of the i-th projection.
func (l *replayLayout) name(i int, rel relation) string {
	if l.prefixed[i] {
		return l.workers[i].p.Name() + "_" + rel.name
	}
	return rel.name
}

// replayed describes the i-th projection once its pass is done.
func (l *replayLayout) replayed(i int) ReplayedProjection {
	out := ReplayedProjection{Name: l.workers[i].p.Name(), Prefixed: l.prefixed[i], Tables: []string{}}
	for _, rel := range l.relations[i] {
		if rel.kind == "r" || rel.kind == "p" {
			out.Tables = append(out.Tables, l.name(i, rel))
		}
	}
	return out
}

// alterKind is the ALTER statement that renames a relation of each pg_class.relkind.
var alterKind = map[string]string{"r": "TABLE", "p": "TABLE", "i": "INDEX", "I": "INDEX", "S": "SEQUENCE",
	"v": "VIEW", "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE", "c": "TYPE"}

// prefixRelations renames the relations of the i-th projection, if it is prefixed, once its
// pass has filled them, before the next projection's DDL runs.
func (r *Runner) prefixRelations(ctx context.Context, schema, token string, l replayLayout, i int) error {
	if !l.prefixed[i] {
		return nil
	}
	return pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if err := checkSchemaToken(ctx, tx, schema, token); err != nil {
			return err
		}
		for _, rel := range l.relations[i] {
			kind, ok := alterKind[rel.kind]
			if !ok {
				return fmt.Errorf("projection %s: cannot rename %s (relkind %s)", l.workers[i].p.Name(), rel.name, rel.kind)
			}
			sql := "ALTER " + kind + " " + pgx.Identifier{schema, rel.name}.Sanitize() + " RENAME TO " +
				pgx.Identifier{l.name(i, rel)}.Sanitize()
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("projection %s: prefix %s: %w", l.workers[i].p.Name(), rel.name, err)
			}
		}
		return nil
	})
}
