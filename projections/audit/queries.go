package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// ErrNotFound is returned (wrapped) for a leaf or checkpoint the read model does not have.
var ErrNotFound = errors.New("not found in the audit read model")

// ErrBeyondTree is returned (wrapped) for a tree size above the read model's TreeSize.
var ErrBeyondTree = errors.New("beyond the tree the audit read model holds")

// Queries reads the audit read model. It is safe for concurrent use.
type Queries struct {
	pool *pgxpool.Pool
}

// NewQueries returns the queries of the read model in the database of pool.
func NewQueries(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool} }

// Leaf is a leaf of the tree: the event it stands for and where it is.
type Leaf struct {
	Index     int64       `json:"leaf_index"`
	Position  uint64      `json:"position"`
	EventID   uuid.UUID   `json:"event_id"`
	Stream    string      `json:"stream"`
	Revision  uint64      `json:"revision"`
	EventHash events.Hash `json:"event_hash"`
}

// Checkpoint is a checkpoint as its AuditCheckpointSigned event recorded it, with where that
// event is.
type Checkpoint struct {
	TreeSize     int64     `json:"tree_size"`
	RootHash     []byte    `json:"root"`
	LastPosition uint64    `json:"last_position"`
	SignedAt     time.Time `json:"signed_at"`
	KeyID        string    `json:"key_id"`
	Algorithm    string    `json:"algorithm"`
	Note         string    `json:"note"`
	Signature    []byte    `json:"signature"`
	// Revision and Position are those of the checkpoint's event in events.AuditCheckpointStream.
	Revision uint64 `json:"revision"`
	Position uint64 `json:"position"`
}

// TreeSize returns the number of leaves the read model holds.
func (q *Queries) TreeSize(ctx context.Context) (int64, error) {
	var n int64
	if err := q.pool.QueryRow(ctx, "SELECT coalesce(max(idx) + 1, 0) FROM rm_audit.leaves").Scan(&n); err != nil {
		return 0, fmt.Errorf("audit tree size: %w", projections.NotReady(err))
	}
	return n, nil
}

const leafSelect = "SELECT idx, position, event_id, stream, revision, event_hash FROM rm_audit.leaves"

// Leaf returns the leaf of the event with the given id.
func (q *Queries) Leaf(ctx context.Context, eventID uuid.UUID) (Leaf, error) {
	return projections.QueryOne(ctx, q.pool, "leaf of event "+eventID.String(), ErrNotFound, scanLeaf, leafSelect+" WHERE event_id = $1", eventID)
}

// Leaves returns the leaves with indexes from (inclusive) to to (exclusive), in order.
func (q *Queries) Leaves(ctx context.Context, from, to int64) ([]Leaf, error) {
	return projections.QueryAll(ctx, q.pool, "audit leaves", scanLeaf, leafSelect+" WHERE idx >= $1 AND idx < $2 ORDER BY idx", from, to)
}

func scanLeaf(row pgx.CollectableRow) (Leaf, error) {
	var l Leaf
	var pos, rev int64
	var h []byte
	if err := row.Scan(&l.Index, &pos, (*[16]byte)(&l.EventID), &l.Stream, &rev, &h); err != nil {
		return l, err
	}
	if len(h) != len(l.EventHash) {
		return l, fmt.Errorf("leaf %d: event hash has %d bytes", l.Index, len(h))
	}
	l.Position, l.Revision, l.EventHash = uint64(pos), uint64(rev), events.Hash(h)
	return l, nil
}

// HashReader returns a tlog.HashReader of the stored hashes: one query per call.
func (q *Queries) HashReader(ctx context.Context) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return readHashes(ctx, q.pool, "rm_audit.hashes", indexes)
	})
}

// TreeHash returns the tree head of the first size leaves.
func (q *Queries) TreeHash(ctx context.Context, size int64) (tlog.Hash, error) {
	if err := q.within(ctx, size); err != nil {
		return tlog.Hash{}, err
	}
	return tlog.TreeHash(size, q.HashReader(ctx))
}

// InclusionProof returns the proof that leaf index is in the tree of size leaves.
func (q *Queries) InclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	if err := q.within(ctx, size); err != nil {
		return nil, err
	}
	if index < 0 || index >= size {
		return nil, fmt.Errorf("inclusion proof: leaf %d is not in a tree of %d leaves", index, size)
	}
	return tlog.ProveRecord(size, index, q.HashReader(ctx))
}

// ConsistencyProof returns the proof that the tree of from leaves is a prefix of the tree of to.
func (q *Queries) ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error) {
	if err := q.within(ctx, to); err != nil {
		return nil, err
	}
	if from < 1 || from > to {
		return nil, fmt.Errorf("consistency proof: from %d must be between 1 and to (%d)", from, to)
	}
	return tlog.ProveTree(to, from, q.HashReader(ctx))
}

// within fails with ErrBeyondTree when size is above TreeSize.
func (q *Queries) within(ctx context.Context, size int64) error {
	have, err := q.TreeSize(ctx)
	if err != nil {
		return err
	}
	if size < 0 || size > have {
		return fmt.Errorf("tree size %d (the read model holds %d leaves): %w", size, have, ErrBeyondTree)
	}
	return nil
}

const checkpointSelect = `SELECT tree_size, root_hash, last_position, signed_at, key_id, algorithm, note, signature, revision,
	position FROM rm_audit.checkpoints`

// LatestCheckpoint returns the checkpoint of the largest tree.
func (q *Queries) LatestCheckpoint(ctx context.Context) (Checkpoint, error) {
	return projections.QueryOne(ctx, q.pool, "latest checkpoint", ErrNotFound, scanCheckpoint,
		checkpointSelect+" ORDER BY tree_size DESC LIMIT 1")
}

// Checkpoint returns the checkpoint of the tree of size leaves.
func (q *Queries) Checkpoint(ctx context.Context, size int64) (Checkpoint, error) {
	return projections.QueryOne(ctx, q.pool, fmt.Sprintf("checkpoint of tree size %d", size), ErrNotFound, scanCheckpoint,
		checkpointSelect+" WHERE tree_size = $1", size)
}

func scanCheckpoint(row pgx.CollectableRow) (Checkpoint, error) {
	var c Checkpoint
	var last, rev, pos int64
	err := row.Scan(&c.TreeSize, &c.RootHash, &last, &c.SignedAt, &c.KeyID, &c.Algorithm, &c.Note, &c.Signature, &rev, &pos)
	c.LastPosition, c.Revision, c.Position, c.SignedAt = uint64(last), uint64(rev), uint64(pos), c.SignedAt.UTC()
	return c, err
}
