package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/projections/audit"
)

// locatePage is how many leaves of the read model locate compares at a time.
const locatePage = 4096

// locateTimeout bounds how long locate waits for the read model to answer at all.
const locateTimeout = 10 * time.Second

// locate names the first leaf of $all that differs from the tree the broken checkpoint signed.
// The signature covers only the root, so the leaves the checkpoint implies come from the audit
// read model, and only once its own tree of that size has exactly the signed root (it was built
// before the change; a read model rebuilt after it cannot tell). Without it, only the range
// between the last good checkpoint and the broken one is known.
func (a *checkpointAudit) locate(ctx context.Context, store *eventstore.Store, dbURL string, bad *checkpointRecord, good int64) string {
	span := fmt.Sprintf("the first leaf that differs is between leaf %d and leaf %d", good, bad.size-1)
	pool, err := pgxpool.New(ctx, firstNonEmpty(dbURL, os.Getenv("DATABASE_URL"), defaultDatabase))
	if err != nil {
		return fmt.Sprintf("%s (the audit read model cannot narrow it down: %v)", span, err)
	}
	defer pool.Close()
	q := audit.NewQueries(pool)
	reach, cancel := context.WithTimeout(ctx, locateTimeout)
	root, err := q.TreeHash(reach, bad.size)
	cancel()
	switch {
	case err != nil:
		return fmt.Sprintf("%s (the audit read model cannot narrow it down: %v)", span, err)
	case root != bad.root:
		return fmt.Sprintf("%s (the audit read model's tree of that size is not the signed one either, so it cannot narrow it down)", span)
	}
	i, page := good, []audit.Leaf(nil)
	for raw, err := range store.ReadAll(ctx, a.lastPos[good]) {
		if err != nil {
			return fmt.Sprintf("%s (reading $all again failed: %v)", span, err)
		}
		env, ok := audit.LeafOf(raw)
		if !ok {
			continue
		}
		if len(page) == 0 {
			if page, err = q.Leaves(ctx, i, min(i+locatePage, bad.size)); err != nil || len(page) == 0 {
				return fmt.Sprintf("%s (the audit read model: %v)", span, err)
			}
		}
		signed := page[0]
		if signed.EventID == env.ID && signed.EventHash != env.Hash {
			return fmt.Sprintf("leaf %d differs: %s@%d (event %s, position %d) was changed: its chain hash is %s now, %s when it was checkpointed",
				i, env.Stream, env.Revision, env.ID, env.Position, env.Hash, signed.EventHash)
		}
		if signed.EventID != env.ID {
			return fmt.Sprintf("leaf %d differs: the checkpointed tree has %s@%d there (event %s, position %d), $all now has %s@%d (event %s, position %d)",
				i, signed.Stream, signed.Revision, signed.EventID, signed.Position, env.Stream, env.Revision, env.ID, env.Position)
		}
		if i++; i == bad.size {
			break
		}
		page = page[1:]
	}
	if i < bad.size {
		missing, err := q.Leaves(ctx, i, i+1)
		if err == nil && len(missing) == 1 {
			l := missing[0]
			return fmt.Sprintf("leaf %d is gone: the checkpointed tree has %s@%d there (event %s, position %d), $all now ends before it",
				i, l.Stream, l.Revision, l.EventID, l.Position)
		}
	}
	return fmt.Sprintf("%s (the audit read model holds the signed tree but its leaves match $all: the root differs above the leaves?)", span)
}
