package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/certledger/certledger/api/wire"
)

// Checkpoint is a signed checkpoint: the Merkle tree head over the first TreeSize ledger events
// of $all. Note is the exact signed text and Signature its ASN.1 ECDSA P-256 signature.
type Checkpoint = wire.AuditCheckpoint

// ProofEvent is the event an inclusion proof is about; Hash is its chain hash (hex).
type ProofEvent = wire.ProofEvent

// InclusionProof proves that Event is leaf LeafIndex of the tree of Checkpoint.
type InclusionProof = wire.InclusionProof

// ConsistencyProof proves that the tree of From leaves is a prefix of the tree of To leaves.
type ConsistencyProof = wire.ConsistencyProof

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
