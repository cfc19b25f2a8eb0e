// Package audittest fills the audit read model for tests and benchmarks without running the
// projection: an empty rm_audit in a fresh database, synthetic ledger events, and a large tree
// copied in whole.
//
// Invariants: every database comes from pgtest.NewDatabase, so it is the caller's own and is
// dropped when its test ends; the stored hashes are those tlog computes for the leaves, so the
// read model's queries (tree hashes, proofs) answer for them as for projected ones.
package audittest

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/audit"
)

// MemoryLog is a tree kept in memory: every stored hash in a slice, as tlog computes it.
type MemoryLog []tlog.Hash

// ReadHashes returns the stored hashes at the indexes, as tlog.HashReader.
func (m MemoryLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		out[i] = m[idx]
	}
	return out, nil
}

// EmptySchema makes an empty rm_audit in a fresh database.
func EmptySchema(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool := pgtest.NewDatabase(tb)
	ctx := context.Background()
	require.NoError(tb, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "CREATE SCHEMA rm_audit; SET LOCAL search_path = rm_audit"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, audit.New().Schema())
		return err
	}))
	return pool
}

// Leaves returns n ledger events with random chain hashes, from leaf index first on.
func Leaves(first, n int) []events.Envelope {
	out := make([]events.Envelope, n)
	for i := range out {
		var h events.Hash
		_, _ = rand.Read(h[:])
		out[i] = events.Envelope{ID: uuid.New(), Stream: "certificate-" + uuid.NewString(), Revision: 0, Hash: h,
			Position: uint64(first + i + 1)}
	}
	return out
}

// LargeTree fills an empty rm_audit with the stored hashes of a tree of size leaves, computed in
// memory and copied in, and with leaf rows for the last rows leaves; it returns every leaf.
func LargeTree(tb testing.TB, size, rows int) (*pgxpool.Pool, []events.Envelope) {
	tb.Helper()
	pool := EmptySchema(tb)
	leaves := Leaves(0, size)
	var stored MemoryLog
	for n, l := range leaves {
		hashes, err := tlog.StoredHashes(int64(n), l.Hash[:], stored)
		require.NoError(tb, err)
		stored = append(stored, hashes...)
	}
	ctx := context.Background()
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"rm_audit", "hashes"}, []string{"idx", "hash"},
		pgx.CopyFromSlice(len(stored), func(i int) ([]any, error) { return []any{int64(i), stored[i][:]}, nil }))
	require.NoError(tb, err)
	tail := leaves[size-rows:]
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"rm_audit", "leaves"}, []string{"idx", "position", "event_id", "stream", "revision", "event_hash"},
		pgx.CopyFromSlice(len(tail), func(i int) ([]any, error) {
			l := tail[i]
			return []any{int64(size - rows + i), int64(l.Position), [16]byte(l.ID), l.Stream, int64(0), l.Hash[:]}, nil
		}))
	require.NoError(tb, err)
	return pool, leaves
}
