package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Checkpoint is a signed checkpoint: the Merkle tree head over the first TreeSize ledger events
// of $all. Note is the exact signed text and Signature its ASN.1 ECDSA P-256 signature.
type Checkpoint struct {
	TreeSize     int64     `json:"tree_size"`
	Root         []byte    `json:"root"`
	LastPosition uint64    `json:"last_position"`
	SignedAt     time.Time `json:"signed_at"`
	KeyID        string    `json:"key_id"`
	Algorithm    string    `json:"algorithm"`
	Note         string    `json:"note"`
	Signature    []byte    `json:"signature"`
	// Revision and Position are where the checkpoint's own event is.
	Revision uint64 `json:"revision"`
	Position uint64 `json:"position"`
}

// ProofEvent is the event an inclusion proof is about; Hash is its chain hash (hex).
type ProofEvent struct {
	ID       string `json:"id"`
	Stream   string `json:"stream"`
	Revision uint64 `json:"revision"`
	Position uint64 `json:"position"`
	Hash     string `json:"hash"`
}

// InclusionProof proves that Event is leaf LeafIndex of the tree of Checkpoint.
type InclusionProof struct {
	Event      ProofEvent `json:"event"`
	LeafIndex  int64      `json:"leaf_index"`
	TreeSize   int64      `json:"tree_size"`
	Proof      [][]byte   `json:"proof"`
	Checkpoint Checkpoint `json:"checkpoint"`
}

// ConsistencyProof proves that the tree of From leaves is a prefix of the tree of To leaves.
type ConsistencyProof struct {
	From  int64    `json:"from"`
	To    int64    `json:"to"`
	Proof [][]byte `json:"proof"`
}

// AuditKey returns the audit public key as PEM and its key id.
func (c *Client) AuditKey(ctx context.Context, opts ...RequestOption) (pemKey []byte, keyID string, err error) {
	resp, err := c.send(ctx, http.MethodGet, "/audit/key", nil, nil, opts)
	if err != nil {
		return nil, "", err
	}
	return resp.Body, resp.Header.Get("X-Audit-Key-Id"), nil
}

// LatestCheckpoint returns the newest checkpoint; 404 before the first one.
func (c *Client) LatestCheckpoint(ctx context.Context, opts ...RequestOption) (Checkpoint, error) {
	var out Checkpoint
	return out, c.call(ctx, http.MethodGet, "/audit/checkpoints/latest", nil, nil, &out, opts)
}

// InclusionProof proves that the event is in the tree of the checkpoint of treeSize leaves, or
// of the latest checkpoint when treeSize is 0. 409 when no checkpoint covers the event yet.
func (c *Client) InclusionProof(ctx context.Context, eventID string, treeSize int64, opts ...RequestOption) (InclusionProof, error) {
	var q url.Values
	if treeSize > 0 {
		q = url.Values{"tree_size": {strconv.FormatInt(treeSize, 10)}}
	}
	var out InclusionProof
	return out, c.call(ctx, http.MethodGet, "/audit/proofs/inclusion/"+segment(eventID), q, nil, &out, opts)
}

// ConsistencyProof proves that the checkpointed tree of from leaves is a prefix of that of to.
func (c *Client) ConsistencyProof(ctx context.Context, from, to int64, opts ...RequestOption) (ConsistencyProof, error) {
	q := url.Values{"from": {strconv.FormatInt(from, 10)}, "to": {strconv.FormatInt(to, 10)}}
	var out ConsistencyProof
	return out, c.call(ctx, http.MethodGet, "/audit/proofs/consistency", q, nil, &out, opts)
}
