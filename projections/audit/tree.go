package audit

import (
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/events"
)

// LeafOf returns the ledger event raw holds and true when it is a leaf of the tree: not a system
// event, not in events.AuditCheckpointStream, and with metadata ParseEnvelope accepts (events it
// rejects are skipped by every projection, so they are no leaves either).
func LeafOf(raw events.Raw) (events.Envelope, bool) {
	if raw.Type == "" || strings.HasPrefix(raw.Type, "$") || events.IsSystemStream(raw.Stream) ||
		raw.Stream == events.AuditCheckpointStream {
		return events.Envelope{}, false
	}
	env, err := events.ParseEnvelope(raw)
	return env, err == nil
}

// LeafHash is the record hash of a leaf whose event has the chain hash h.
func LeafHash(h events.Hash) tlog.Hash { return tlog.RecordHash(h[:]) }

// rightEdge returns the stored hash indexes of the roots of the complete subtrees that make up a
// tree of size leaves, largest first: what tlog.TreeHash of that size reads, and what
// tlog.StoredHashes for the next leaf may read.
func rightEdge(size int64) []int64 {
	var out []int64
	for level := 62; level >= 0; level-- {
		if size>>level&1 == 1 {
			out = append(out, tlog.StoredHashIndex(level, size>>level-1))
		}
	}
	return out
}

// Tree is a Merkle tree built in memory leaf by leaf that keeps only its right edge: at most one
// stored hash per level, about 2 KB whatever its size. It answers the tree head of its current
// size, so a verifier that knows which sizes it must check adds leaves and asks at each of them.
type Tree struct {
	size   int64
	hashes map[int64]tlog.Hash
}

// NewTree returns an empty tree.
func NewTree() *Tree { return &Tree{hashes: map[int64]tlog.Hash{}} }

// Size returns the number of leaves added.
func (t *Tree) Size() int64 { return t.size }

// Add appends the leaf of an event with chain hash h.
func (t *Tree) Add(h events.Hash) error {
	n := t.size
	stored, err := tlog.StoredHashesForRecordHash(n, LeafHash(h), t)
	if err != nil {
		return fmt.Errorf("audit tree: add leaf %d: %w", n, err)
	}
	// Leaf n completes len(stored)-1 subtrees: the edge roots it read are now inside the
	// newest root, the only one of its hashes that stays on the edge.
	top := len(stored) - 1
	for level := range top {
		delete(t.hashes, tlog.StoredHashIndex(level, n>>level-1))
	}
	t.hashes[tlog.StoredHashIndex(0, n)+int64(top)] = stored[top]
	t.size++
	return nil
}

// Root returns the tree head of the current size.
func (t *Tree) Root() (tlog.Hash, error) { return tlog.TreeHash(t.size, t) }

// ReadHashes reads hashes of the right edge; tlog calls it.
func (t *Tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		h, ok := t.hashes[idx]
		if !ok {
			return nil, fmt.Errorf("audit tree: stored hash %d is not on the right edge of a tree of %d leaves", idx, t.size)
		}
		out[i] = h
	}
	return out, nil
}
