package domain

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"time"
)

// TypeAuditCheckpointSigned is the type of the audit log's one event, as stored with every event
// and hashed into its stream's chain: the name never changes.
const TypeAuditCheckpointSigned = "AuditCheckpointSigned"

// auditEvents are the events of the audit log's stream.
var auditEvents = []EventSpec{specOf[AuditCheckpointSigned]()}

// AuditCheckpointSigned records a signed checkpoint: the root of the RFC 6962 Merkle tree over
// the first TreeSize ledger events of $all, signed with the ledger's audit key.
type AuditCheckpointSigned struct {
	TreeSize int64 `json:"tree_size"`
	// RootHash is the Merkle tree hash of the first TreeSize leaves (32 bytes).
	RootHash []byte `json:"root_hash"`
	// LastPosition is the $all position of leaf TreeSize-1.
	LastPosition uint64    `json:"last_position"`
	SignedAt     time.Time `json:"signed_at"`
	// KeyID is the hex SHA-256 of the audit public key's DER SubjectPublicKeyInfo (AuditKeyID).
	KeyID string `json:"key_id"`
	// PublicKey is that DER SubjectPublicKeyInfo, so that the stream names its key itself. A
	// verifier should still pin the key it trusts: whoever can write the store can also append
	// checkpoints signed with a key of their own.
	PublicKey []byte `json:"public_key"`
	// Algorithm is CheckpointAlgorithm.
	Algorithm string `json:"algorithm"`
	// Note is the exact signed text, CheckpointNote of the fields above.
	Note string `json:"note"`
	// Signature is the ASN.1 ECDSA signature of SHA-256(Note).
	Signature []byte `json:"signature"`
}

// EventType returns TypeAuditCheckpointSigned.
func (AuditCheckpointSigned) EventType() string { return TypeAuditCheckpointSigned }

// Aggregate returns the audit log, the one stream of CategoryAudit, which has no ID.
func (AuditCheckpointSigned) Aggregate() AggregateRef { return AggregateRef{Category: CategoryAudit} }

// Body returns what the checkpoint's note says.
func (c AuditCheckpointSigned) Body() CheckpointBody {
	b := CheckpointBody{TreeSize: c.TreeSize, SignedAt: c.SignedAt, LastPosition: c.LastPosition}
	copy(b.RootHash[:], c.RootHash)
	return b
}

// CheckpointInput is a checkpoint to record: the tree it covers and its signature.
type CheckpointInput struct {
	TreeSize     int64
	RootHash     [32]byte
	LastPosition uint64
	// Key is the audit public key; Signature must verify with it over the checkpoint's note.
	Key       crypto.PublicKey
	Signature []byte
}

// AuditLog is the stream of checkpoints, folded. Only the last checkpoint matters to a
// decision, so it may be folded from the stream's last event alone.
//
// Invariants: tree sizes strictly grow from one checkpoint to the next, and a size is never
// checkpointed with two roots. Every recorded note is CheckpointNote of its event's fields,
// and its signature verifies with the key its KeyID names.
type AuditLog struct {
	last  AuditCheckpointSigned
	count int
}

// NewAuditLogFromHistory folds checkpoints, oldest first: the whole stream or its tail.
func NewAuditLogFromHistory(history []Event) (*AuditLog, error) {
	l := &AuditLog{}
	for _, e := range history {
		if err := l.Apply(e); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// Apply folds one checkpoint; its tree size must be above the last one's.
func (l *AuditLog) Apply(e Event) error {
	c, ok := e.(AuditCheckpointSigned)
	if !ok {
		return fmt.Errorf("apply %s: not an audit checkpoint event", e.EventType())
	}
	if l.count > 0 && c.TreeSize <= l.last.TreeSize {
		return fmt.Errorf("apply AuditCheckpointSigned: tree size %d does not grow from %d", c.TreeSize, l.last.TreeSize)
	}
	l.last, l.count = c, l.count+1
	return nil
}

// Last returns the newest checkpoint, and false when there is none.
func (l *AuditLog) Last() (AuditCheckpointSigned, bool) { return l.last, l.count > 0 }

// Records reports whether the newest checkpoint is exactly of this size and root: a retried
// signing, which records nothing new.
func (l *AuditLog) Records(size int64, root [32]byte) bool {
	return l.count > 0 && l.last.TreeSize == size && bytes.Equal(l.last.RootHash, root[:])
}

// CheckNext refuses a checkpoint that would not extend the log: a size not above the last
// checkpoint's (KindConflict), or, at the last checkpoint's size, another root (KindConflict,
// naming both roots: the tree over $all changed after it was signed).
func (l *AuditLog) CheckNext(size int64, root [32]byte) error {
	if size < 1 {
		return invalidf("a checkpoint covers at least one event, not %d", size)
	}
	if l.count == 0 {
		return nil
	}
	last := l.last
	if size == last.TreeSize && !bytes.Equal(last.RootHash, root[:]) {
		return conflictf("tree size %d was checkpointed with root %s, not %s: the tree over $all changed after it was signed",
			size, base64.StdEncoding.EncodeToString(last.RootHash), base64.StdEncoding.EncodeToString(root[:]))
	}
	if size <= last.TreeSize {
		return conflictf("tree size %d is not above the last checkpoint's %d", size, last.TreeSize)
	}
	return nil
}

// SignCheckpoint records a checkpoint signed at at. It refuses what CheckNext refuses, and a
// signature that does not verify with in.Key over the checkpoint's note.
func (l *AuditLog) SignCheckpoint(in CheckpointInput, at time.Time) ([]Event, error) {
	if err := l.CheckNext(in.TreeSize, in.RootHash); err != nil {
		return nil, err
	}
	keyID, err := AuditKeyID(in.Key)
	if err != nil {
		return nil, invalidf("%v", err)
	}
	spki, err := x509.MarshalPKIXPublicKey(in.Key)
	if err != nil {
		return nil, invalidf("audit key: %v", err)
	}
	body := CheckpointBody{TreeSize: in.TreeSize, RootHash: in.RootHash, SignedAt: at.UTC(), LastPosition: in.LastPosition}
	note := CheckpointNote(body)
	if err := VerifyCheckpointSignature(in.Key, note, in.Signature); err != nil {
		return nil, err
	}
	return []Event{AuditCheckpointSigned{TreeSize: in.TreeSize, RootHash: bytes.Clone(in.RootHash[:]),
		LastPosition: in.LastPosition, SignedAt: body.SignedAt, KeyID: keyID, PublicKey: spki, Algorithm: CheckpointAlgorithm,
		Note: note, Signature: bytes.Clone(in.Signature)}}, nil
}
