package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/audit"
)

// checkpointRecord is what audit verify keeps of one checkpoint, about 90 bytes.
type checkpointRecord struct {
	revision uint64
	size     int64
	root     tlog.Hash
	signedAt time.Time
	problem  string // why its note or signature does not check; "" when they do
}

func (c checkpointRecord) String() string {
	return fmt.Sprintf("checkpoint revision %d (tree size %d, signed at %s)", c.revision, c.size, c.signedAt.Format(time.RFC3339Nano))
}

// checkpointAudit checks the checkpoints of the audit stream against $all: their signatures
// when they are read, then their roots against a tree recomputed from $all as Add sees it. The
// tree keeps only its right edge; Add notes the root and the last position at each checkpointed
// size. Memory: O(log n) for the tree plus about 200 bytes per checkpoint, nothing per event.
type checkpointAudit struct {
	cps      []checkpointRecord // in revision order
	keyID    string
	pinned   bool
	sizes    []int64 // the distinct checkpointed sizes, ascending
	next     int     // index in sizes of the next size the tree reaches
	tree     *audit.Tree
	roots    map[int64]tlog.Hash
	lastPos  map[int64]uint64 // the $all position of leaf size-1, for each size reached
	deletion string           // the first sign of a stream deleted through the store
}

// readCheckpoints reads the checkpoint stream and checks each checkpoint's note and signature
// with key, or, when key is nil, with the key the first checkpoint carries.
func readCheckpoints(ctx context.Context, store *eventstore.Store, key crypto.PublicKey) (*checkpointAudit, error) {
	a := &checkpointAudit{pinned: key != nil, tree: audit.NewTree(), roots: map[int64]tlog.Hash{}, lastPos: map[int64]uint64{}}
	for raw, err := range store.ReadStream(ctx, events.AuditCheckpointStream) {
		if err != nil {
			return nil, err
		}
		var c domain.AuditCheckpointSigned
		rec := checkpointRecord{revision: raw.Revision}
		if err := json.Unmarshal(raw.Data, &c); err != nil || raw.Type != domain.TypeAuditCheckpointSigned {
			rec.problem = fmt.Sprintf("not a readable %s event", domain.TypeAuditCheckpointSigned)
			a.cps = append(a.cps, rec)
			continue
		}
		rec.size, rec.signedAt = c.TreeSize, c.SignedAt
		copy(rec.root[:], c.RootHash)
		if key == nil {
			if key, err = x509.ParsePKIXPublicKey(c.PublicKey); err != nil {
				return nil, fmt.Errorf("the first checkpoint (revision %d) carries no readable audit key: %w", raw.Revision, err)
			}
		}
		rec.problem = checkSignature(c, key)
		a.cps = append(a.cps, rec)
	}
	if key != nil {
		a.keyID, _ = domain.AuditKeyID(key)
	}
	for _, c := range a.cps {
		if c.problem == "" && c.size > 0 {
			a.sizes = append(a.sizes, c.size)
		}
	}
	slices.Sort(a.sizes)
	a.sizes = slices.Compact(a.sizes)
	return a, nil
}

// checkSignature says why a checkpoint's key, note or signature does not check, or "".
func checkSignature(c domain.AuditCheckpointSigned, key crypto.PublicKey) string {
	keyID, err := domain.AuditKeyID(key)
	switch {
	case err != nil:
		return err.Error()
	case c.KeyID != keyID:
		return fmt.Sprintf("it names audit key %s, not %s", c.KeyID, keyID)
	case len(c.RootHash) != tlog.HashSize || c.Note != domain.CheckpointNote(c.Body()):
		return "its signed note does not say what its fields say"
	}
	if err := domain.VerifyCheckpointSignature(key, c.Note, c.Signature); err != nil {
		return "its signature does not verify with the audit key"
	}
	return ""
}

// skip tells whether raw is a sign of a stream deleted through the store, noting the first one;
// such events stay out of the chain check. The ledger never writes stream metadata and never
// deletes: a $metadata event for a ledger stream ($tb: soft delete, or $maxAge/$maxCount) or a
// $streamDeleted event in one (tombstone) means someone did, behind its back.
func (a *checkpointAudit) skip(raw events.Raw) bool {
	var sign string
	switch {
	case raw.Type == "$metadata" && strings.HasPrefix(raw.Stream, "$$") && !events.IsSystemStream(raw.Stream[2:]):
		sign = fmt.Sprintf("stream %s was deleted or truncated through the store: a $metadata event at position %d sets %s",
			raw.Stream[2:], raw.Position, raw.Data)
	case raw.Type == "$streamDeleted" && !events.IsSystemStream(raw.Stream):
		sign = fmt.Sprintf("stream %s was tombstoned through the store: a $streamDeleted event at position %d", raw.Stream, raw.Position)
	default:
		return false
	}
	if a.deletion == "" {
		a.deletion = sign
	}
	return true
}

// add adds raw to the tree when it is a leaf, and notes the root at each checkpointed size.
func (a *checkpointAudit) add(raw events.Raw) error {
	env, ok := audit.LeafOf(raw)
	if !ok {
		return nil
	}
	if err := a.tree.Add(env.Hash); err != nil {
		return err
	}
	for a.next < len(a.sizes) && a.sizes[a.next] == a.tree.Size() {
		root, err := a.tree.Root()
		if err != nil {
			return err
		}
		a.roots[a.tree.Size()], a.lastPos[a.tree.Size()] = root, raw.Position
		a.next++
	}
	return nil
}

// firstBreak returns the first checkpoint that does not check, with why, or nil; good is the
// size of the checkpoint before it that did (0 for none), and tree tells whether the checkpoint
// itself is sound but $all no longer holds its tree (what locate narrows down).
func (a *checkpointAudit) firstBreak() (bad *checkpointRecord, why string, good int64, tree bool) {
	for i := range a.cps {
		c := &a.cps[i]
		root, reached := a.roots[c.size]
		switch {
		case c.problem != "":
			return c, c.problem, good, false
		case c.size <= good:
			return c, fmt.Sprintf("its tree size does not grow from %d", good), good, false
		case !reached:
			return c, fmt.Sprintf("$all holds only %d ledger events now: events were removed", a.tree.Size()), good, true
		case root != c.root:
			return c, fmt.Sprintf("its root %s is not the root %s of the first %d ledger events of $all now", c.root, root, c.size), good, true
		}
		good = c.size
	}
	return nil, "", good, false
}

// summary says what the checkpoints proved, for the OK line.
func (a *checkpointAudit) summary() string {
	if len(a.cps) == 0 {
		return "no checkpoints yet"
	}
	last := a.cps[len(a.cps)-1]
	return fmt.Sprintf("%d checkpoints verified up to tree size %d (signed at %s) with audit key %s",
		len(a.cps), last.size, last.signedAt.Format(time.RFC3339), a.keyID)
}
