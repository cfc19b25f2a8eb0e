package wire

import "time"

// AuditCheckpoint is a signed checkpoint: the Merkle tree head over the first TreeSize ledger
// events of $all. Note is the exact signed text and Signature its ASN.1 ECDSA P-256 signature.
type AuditCheckpoint struct {
	TreeSize     int64     `json:"tree_size"`
	Root         []byte    `json:"root"`
	LastPosition uint64    `json:"last_position"` // the $all position of the tree's last leaf
	SignedAt     time.Time `json:"signed_at"`
	KeyID        string    `json:"key_id"` // hex SHA-256 of the audit key's DER SubjectPublicKeyInfo
	Algorithm    string    `json:"algorithm"`
	Note         string    `json:"note"`
	Signature    []byte    `json:"signature"`
	// Revision and Position are where the checkpoint's own event is.
	Revision uint64 `json:"revision"`
	Position uint64 `json:"position"`
}

// ProofEvent is the event an inclusion proof is about; Hash is its chain hash (hex), the
// leaf's data.
type ProofEvent struct {
	ID       string `json:"id"`
	Stream   string `json:"stream"`
	Revision uint64 `json:"revision"`
	Position uint64 `json:"position"`
	Hash     string `json:"hash"`
}

// InclusionProof proves that Event is leaf LeafIndex of the tree of Checkpoint.
type InclusionProof struct {
	Checkpoint AuditCheckpoint `json:"checkpoint"`
	Event      ProofEvent      `json:"event"`
	LeafIndex  int64           `json:"leaf_index"`
	Proof      [][]byte        `json:"proof"` // never null
	TreeSize   int64           `json:"tree_size"`
}

// ConsistencyProof proves that the tree of From leaves is a prefix of the tree of To leaves.
type ConsistencyProof struct {
	From  int64    `json:"from"`
	Proof [][]byte `json:"proof"` // never null
	To    int64    `json:"to"`
}
