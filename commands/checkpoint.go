package commands

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// AuditKeyLabel is the HSM label of the audit key, the ECDSA P-256 key that signs checkpoints.
// It is generated on first use and never leaves the HSM.
const AuditKeyLabel = "certledger-audit"

// tailLoader is an event store that can read a stream's newest event alone, such as
// *eventstore.Store. The checkpoint stream grows by one event per checkpoint for ever, so
// SignCheckpoint reads only its tail when it can.
type tailLoader interface {
	LoadLast(ctx context.Context, stream string) ([]events.Envelope, events.Head, error)
}

// AuditKey returns the audit public key, generating the key pair in the HSM on first use.
func (h *Handlers) AuditKey(ctx context.Context) (crypto.PublicKey, error) {
	if h.keys == nil {
		return nil, errors.New("audit key: the command handlers have no HSM")
	}
	pub, err := h.keys.EnsureKey(ctx, AuditKeyLabel, domain.KeyECDSAP256)
	if err != nil {
		return nil, fmt.Errorf("audit key %q in the HSM: %w", AuditKeyLabel, err)
	}
	return pub, nil
}

// SignCheckpoint signs the root of the Merkle tree over the first size ledger events of $all,
// whose last leaf is at $all position lastPosition, with the audit key, and appends it to
// events.AuditCheckpointStream as the system. It refuses (KindConflict, nothing appended) a size
// not above the last checkpoint's, and another root at the last checkpoint's size. Signing the
// newest checkpoint's size and root again appends nothing and reports Replayed. Signing times
// are kept to the microsecond, as Postgres keeps them.
func (h *Handlers) SignCheckpoint(ctx context.Context, size int64, root [32]byte, lastPosition uint64) (Result, error) {
	pub, err := h.AuditKey(ctx)
	if err != nil {
		return Result{}, err
	}
	signer, err := h.keys.Signer(AuditKeyLabel)
	if err != nil {
		return Result{}, fmt.Errorf("audit key %q: %w", AuditKeyLabel, err)
	}
	stream := events.AuditCheckpointStream
	commandID := uuid.NewSHA1(events.AuditCheckpointsID, fmt.Appendf(nil, "checkpoint/%d/%x", size, root))
	var conflict error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		log, head, err := h.loadAuditLog(ctx)
		if err != nil {
			return Result{}, err
		}
		if log.Records(size, root) {
			return Result{Head: head, Replayed: true}, nil
		}
		if err := log.CheckNext(size, root); err != nil {
			return Result{Head: head}, err
		}
		at := h.now().UTC().Truncate(time.Microsecond)
		note := domain.CheckpointNote(domain.CheckpointBody{TreeSize: size, RootHash: root, SignedAt: at, LastPosition: lastPosition})
		digest := sha256.Sum256([]byte(note))
		sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err != nil {
			return Result{Head: head}, fmt.Errorf("sign checkpoint %d with the audit key: %w", size, err)
		}
		decided, err := log.SignCheckpoint(domain.CheckpointInput{TreeSize: size, RootHash: root, LastPosition: lastPosition,
			Key: pub, Signature: sig}, at)
		if err != nil {
			return Result{Head: head}, err
		}
		proposed, err := propose(decided, System.metadata(at))
		if err != nil {
			return Result{Head: head}, err
		}
		for i := range proposed {
			proposed[i].ID = events.EventID(commandID, i)
		}
		next, err := h.store.Append(ctx, stream, head, proposed)
		if isConflict(err) {
			conflict = err
			continue
		}
		if err != nil {
			return Result{Head: head}, err
		}
		return Result{Head: next, Appended: len(proposed)}, nil
	}
	return Result{}, gaveUp(fmt.Sprintf("checkpoint %d on %s", size, stream), conflict)
}

// loadAuditLog folds the checkpoint stream: its last event when the store can read it alone,
// else the whole stream.
func (h *Handlers) loadAuditLog(ctx context.Context) (*domain.AuditLog, events.Head, error) {
	stream := events.AuditCheckpointStream
	var history []events.Envelope
	var head events.Head
	var err error
	if tail, ok := h.store.(tailLoader); ok {
		history, head, err = tail.LoadLast(ctx, stream)
	} else {
		history, head, err = h.store.Load(ctx, stream)
	}
	if err != nil {
		return nil, head, err
	}
	past, err := decodeHistory(h.registry, history)
	if err != nil {
		return nil, head, err
	}
	log, err := domain.NewAuditLogFromHistory(past)
	if err != nil {
		return nil, head, fmt.Errorf("fold %s: %w", stream, err)
	}
	return log, head, nil
}
