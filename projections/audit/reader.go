package audit

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"
)

// querier runs a query: a transaction or a pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// readHashes reads the stored hashes at indexes from table (in q's search_path, or
// schema-qualified) in one query, in the order asked; a missing hash is an error.
func readHashes(ctx context.Context, q querier, table string, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	rows, err := q.Query(ctx, "SELECT idx, hash FROM "+table+" WHERE idx = ANY($1)", indexes)
	if err != nil {
		return nil, fmt.Errorf("read %d stored hashes: %w", len(indexes), err)
	}
	found := make(map[int64]tlog.Hash, len(indexes))
	var idx int64
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&idx, &raw}, func() error {
		if len(raw) != tlog.HashSize {
			return fmt.Errorf("stored hash %d has %d bytes", idx, len(raw))
		}
		found[idx] = tlog.Hash(raw)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %d stored hashes: %w", len(indexes), err)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		h, ok := found[idx]
		if !ok {
			return nil, fmt.Errorf("stored hash %d is not in the audit read model", idx)
		}
		out[i] = h
	}
	return out, nil
}

// pendingReader is the tlog.HashReader of a batch: the hashes the batch computed so far, the
// tree's right edge read when the batch began, and, for anything else, the table.
type pendingReader struct {
	ctx     context.Context
	tx      pgx.Tx
	pending map[int64]tlog.Hash
}

// newPendingReader reads the right edge of the tree of size leaves, all that the stored hashes
// of the next leaves need from before the batch.
func newPendingReader(ctx context.Context, tx pgx.Tx, size int64) (*pendingReader, error) {
	r := &pendingReader{ctx: ctx, tx: tx, pending: map[int64]tlog.Hash{}}
	edge := rightEdge(size)
	hashes, err := readHashes(ctx, tx, "hashes", edge)
	if err != nil {
		return nil, fmt.Errorf("audit: right edge of the tree of %d leaves: %w", size, err)
	}
	for i, idx := range edge {
		r.pending[idx] = hashes[i]
	}
	return r, nil
}

// add records the stored hashes of one leaf, which start at index first.
func (r *pendingReader) add(first int64, stored []tlog.Hash) {
	for i, h := range stored {
		r.pending[first+int64(i)] = h
	}
}

// ReadHashes returns pending hashes, and reads those it does not have from the table.
func (r *pendingReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for i, idx := range indexes {
		h, ok := r.pending[idx]
		if !ok {
			missing = append(missing, idx)
		}
		out[i] = h
	}
	if len(missing) == 0 {
		return out, nil
	}
	read, err := readHashes(r.ctx, r.tx, "hashes", missing)
	if err != nil {
		return nil, err
	}
	for i, idx := range missing {
		r.pending[idx] = read[i]
	}
	return r.ReadHashes(indexes)
}
