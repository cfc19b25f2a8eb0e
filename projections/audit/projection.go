package audit

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its tables live in the schema rm_audit.
const Name = "audit"

// Projection builds the audit read model. It implements projections.BatchProjection.
type Projection struct {
	registry *events.Registry // of the checkpoint event alone
}

// New returns the projection.
func New() *Projection {
	r, err := codec.NewRegistry(domain.TypeAuditCheckpointSigned)
	if err != nil {
		// One domain event type cannot fail to register.
		panic(fmt.Sprintf("audit projection: %v", err))
	}
	return &Projection{registry: r}
}

// Name returns "audit".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the read model's tables. It names no schema.
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS leaves (
	idx bigint PRIMARY KEY,
	position bigint NOT NULL,
	event_id uuid UNIQUE NOT NULL,
	stream text NOT NULL,
	revision bigint NOT NULL,
	event_hash bytea NOT NULL);
CREATE TABLE IF NOT EXISTS hashes (
	idx bigint PRIMARY KEY,
	hash bytea NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
	tree_size bigint PRIMARY KEY,
	root_hash bytea NOT NULL,
	last_position bigint NOT NULL,
	signed_at timestamptz NOT NULL,
	key_id text NOT NULL,
	algorithm text NOT NULL,
	note text NOT NULL,
	signature bytea NOT NULL,
	revision bigint NOT NULL,
	position bigint NOT NULL);
`
}

// Apply applies one event; it is ApplyBatch of that event alone.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	return p.ApplyBatch(ctx, tx, []events.Envelope{e})
}

// ApplyBatch appends the batch's leaves to the tree and records its checkpoints, in a few
// statements sent in one round trip after one read of the tree's right edge.
func (p *Projection) ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error {
	var size int64
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(idx) + 1, 0) FROM leaves").Scan(&size); err != nil {
		return fmt.Errorf("audit: tree size: %w", err)
	}
	r, err := newPendingReader(ctx, tx, size)
	if err != nil {
		return err
	}
	var w rows
	for _, e := range batch {
		if e.Stream == events.AuditCheckpointStream {
			if err := w.checkpoint(p.registry, e); err != nil {
				return fmt.Errorf("audit: %s event %s@%d (position %d): %w", e.Type, e.Stream, e.Revision, e.Position, err)
			}
			continue
		}
		n := size + int64(len(w.leafIdx))
		stored, err := tlog.StoredHashesForRecordHash(n, LeafHash(e.Hash), r)
		if err != nil {
			return fmt.Errorf("audit: leaf %d, event %s@%d: %w", n, e.Stream, e.Revision, err)
		}
		r.add(tlog.StoredHashIndex(0, n), stored)
		w.leaf(n, e, stored)
	}
	return w.write(ctx, tx)
}

// rows are what a batch writes, as the arrays its statements unnest.
type rows struct {
	leafIdx, leafPos, leafRev []int64
	leafID                    [][16]byte
	leafStream                []string
	leafHash                  [][]byte
	hashIdx                   []int64
	hashes                    [][]byte
	cps                       []domain.AuditCheckpointSigned
	cpRev, cpPos              []int64
}

func (w *rows) leaf(n int64, e events.Envelope, stored []tlog.Hash) {
	w.leafIdx = append(w.leafIdx, n)
	w.leafPos = append(w.leafPos, int64(e.Position))
	w.leafID = append(w.leafID, e.ID)
	w.leafStream = append(w.leafStream, e.Stream)
	w.leafRev = append(w.leafRev, int64(e.Revision))
	w.leafHash = append(w.leafHash, e.Hash[:])
	first := tlog.StoredHashIndex(0, n)
	for i, h := range stored {
		w.hashIdx = append(w.hashIdx, first+int64(i))
		w.hashes = append(w.hashes, h[:])
	}
}

// checkpoint records an AuditCheckpointSigned event; other events of the stream are skipped.
func (w *rows) checkpoint(r *events.Registry, e events.Envelope) error {
	if e.Type != domain.TypeAuditCheckpointSigned {
		return nil
	}
	v, err := codec.Decode(r, e)
	if err != nil {
		return err
	}
	w.cps = append(w.cps, v.(domain.AuditCheckpointSigned))
	w.cpRev, w.cpPos = append(w.cpRev, int64(e.Revision)), append(w.cpPos, int64(e.Position))
	return nil
}

func (w *rows) write(ctx context.Context, tx pgx.Tx) error {
	var b pgx.Batch
	if len(w.leafIdx) > 0 {
		b.Queue(`INSERT INTO leaves (idx, position, event_id, stream, revision, event_hash)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::uuid[], $4::text[], $5::bigint[], $6::bytea[])`,
			w.leafIdx, w.leafPos, w.leafID, w.leafStream, w.leafRev, w.leafHash)
		b.Queue("INSERT INTO hashes (idx, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])", w.hashIdx, w.hashes)
	}
	for i, c := range w.cps {
		b.Queue(`INSERT INTO checkpoints (tree_size, root_hash, last_position, signed_at, key_id, algorithm, note, signature,
			revision, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tree_size) DO NOTHING`,
			c.TreeSize, c.RootHash, int64(c.LastPosition), c.SignedAt.UTC(), c.KeyID, c.Algorithm, c.Note, c.Signature,
			w.cpRev[i], w.cpPos[i])
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("audit: write %d leaves and %d checkpoints: %w", len(w.leafIdx), len(w.cps), err)
	}
	return nil
}
