package client

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/audit"
)

// CheckInclusion checks an inclusion proof with nothing but the audit key pub, in this order:
// that the checkpoint is signed by pub, that the signed note says the proof's tree size and
// root, and that the audit path leads from the event's leaf to that root. It returns what the
// note says. ledgerctl's offline verify-proof and the dashboard's "verify this history" share it.
func CheckInclusion(pub crypto.PublicKey, p InclusionProof) (domain.CheckpointBody, error) {
	var none domain.CheckpointBody
	cp := p.Checkpoint
	keyID, err := domain.AuditKeyID(pub)
	if err != nil {
		return none, err
	}
	if cp.KeyID != keyID {
		return none, fmt.Errorf("the checkpoint names audit key %s, not the given key %s", cp.KeyID, keyID)
	}
	if err := domain.VerifyCheckpointSignature(pub, cp.Note, cp.Signature); err != nil {
		return none, fmt.Errorf("the checkpoint's signature does not verify with the given key (%v)", err)
	}
	body, err := domain.ParseCheckpointNote(cp.Note)
	if err != nil {
		return none, fmt.Errorf("the signed note: %v", err)
	}
	if body.TreeSize != p.TreeSize || body.TreeSize != cp.TreeSize {
		return none, fmt.Errorf("the signed note is of a tree of size %d; the bundle says %d", body.TreeSize, p.TreeSize)
	}
	if !bytes.Equal(body.RootHash[:], cp.Root) {
		return none, fmt.Errorf("the signed note's root is %s; the bundle's checkpoint says %s",
			base64.StdEncoding.EncodeToString(body.RootHash[:]), base64.StdEncoding.EncodeToString(cp.Root))
	}
	eventHash, err := events.ParseHash(p.Event.Hash)
	if err != nil {
		return none, fmt.Errorf("the event's hash: %v", err)
	}
	proof := make(tlog.RecordProof, len(p.Proof))
	for i, h := range p.Proof {
		if len(h) != tlog.HashSize {
			return none, fmt.Errorf("proof hash %d has %d bytes, not %d", i, len(h), tlog.HashSize)
		}
		proof[i] = tlog.Hash(h)
	}
	err = tlog.CheckRecord(proof, body.TreeSize, tlog.Hash(body.RootHash), p.LeafIndex, audit.LeafHash(eventHash))
	if err != nil {
		return none, fmt.Errorf("the inclusion proof does not lead from event %s (hash %s) as leaf %d to the signed root of size %d: %w",
			p.Event.ID, p.Event.Hash, p.LeafIndex, body.TreeSize, err)
	}
	return body, nil
}
