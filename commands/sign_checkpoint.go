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

// SignCheckpoint signs the root of the Merkle tree over the first Size ledger events of $all,
// whose last leaf is at $all position LastPosition, with the audit key. It is housekeeping,
// run as System.
type SignCheckpoint struct {
	Size         int64
	Root         [32]byte
	LastPosition uint64
}

// SignCheckpointHandler signs checkpoints with the audit key in the HSM. It is the one command
// that decides on a stream's last event alone (see the package doc).
type SignCheckpointHandler struct {
	core *Core
	keys KeyStore
}

// NewSignCheckpointHandler is the checkpoint handler; the audit key is in keys.
func NewSignCheckpointHandler(core *Core, keys KeyStore) *SignCheckpointHandler {
	return &SignCheckpointHandler{core: core, keys: keys}
}

// Handle signs a checkpoint and appends it to events.AuditCheckpointStream as System. It
// refuses (KindConflict, nothing appended) a size not above the last checkpoint's, and another
// root at the last checkpoint's size. Signing the newest checkpoint's size and root again
// appends nothing and reports Replayed. Signing times are kept to the microsecond, as Postgres
// keeps them.
func (h *SignCheckpointHandler) Handle(ctx context.Context, cmd SignCheckpoint) (Result, error) {
	size, root, lastPosition := cmd.Size, cmd.Root, cmd.LastPosition
	pub, err := auditKey(ctx, h.keys)
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
		log, head, err := h.core.loadAuditLog(ctx)
		if err != nil {
			return Result{}, err
		}
		if log.Records(size, root) {
			return Result{Head: head, Replayed: true}, nil
		}
		if err := log.CheckNext(size, root); err != nil {
			return Result{Head: head}, err
		}
		at := h.core.now().UTC().Truncate(time.Microsecond)
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
		next, err := h.core.store.Append(ctx, stream, head, proposed)
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

// auditKey returns the audit public key, generating the key pair in keys on first use.
func auditKey(ctx context.Context, keys KeyStore) (crypto.PublicKey, error) {
	if keys == nil {
		return nil, errors.New("audit key: the command handlers have no HSM")
	}
	pub, err := keys.EnsureKey(ctx, AuditKeyLabel, domain.KeyECDSAP256)
	if err != nil {
		return nil, fmt.Errorf("audit key %q in the HSM: %w", AuditKeyLabel, err)
	}
	return pub, nil
}
