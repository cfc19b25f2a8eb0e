package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// RotateSigningKey replaces a signing key by a new one, NewKeyID: a new key in the HSM with a
// new certificate from the same CA, the same name, team, usage and policy. The old key signs
// nothing from then on; its certificate is not revoked, so what it signed still verifies.
type RotateSigningKey struct {
	CommandID uuid.UUID
	KeyID     uuid.UUID
	NewKeyID  uuid.UUID
	Reason    string
}

// RotateSigningKeyHandler rotates signing keys.
type RotateSigningKeyHandler struct {
	core   *Core
	create *CreateSigningKeyHandler
}

// NewRotateSigningKeyHandler is the handler; create makes the successor.
func NewRotateSigningKeyHandler(core *Core, create *CreateSigningKeyHandler) *RotateSigningKeyHandler {
	return &RotateSigningKeyHandler{core: core, create: create}
}

// Handle checks the caller and the key, creates the successor (CreateSigningKey, under the
// signing rule) and then records SigningKeyRotated on the old key's stream. Both steps take a
// command id derived from cmd's, so a retry after a failure between them creates no second
// successor and completes the rotation, and a replay of a done rotation changes nothing.
func (h *RotateSigningKeyHandler) Handle(ctx context.Context, cmd RotateSigningKey, caller Caller) (Result, error) {
	old, err := h.core.loadSigningKey(ctx, cmd.KeyID)
	if err != nil {
		return Result{}, err
	}
	if done, err := old.CheckRotate(caller.Actor, cmd.NewKeyID.String()); err != nil || done {
		return Result{}, err // done: this very rotation, replayed
	}
	ca, err := uuid.Parse(old.CAID())
	if err != nil {
		return Result{}, err
	}
	spec := old.SuccessorSpec(cmd.NewKeyID.String(), events.StreamName(events.CategorySigningKey, cmd.NewKeyID))
	if _, err := h.create.Handle(ctx, CreateSigningKey{CommandID: uuid.NewSHA1(cmd.CommandID, []byte("successor")),
		KeyID: cmd.NewKeyID, CAID: ca, Name: spec.Name, Team: spec.Team, Usage: spec.Usage, KeyType: spec.KeyType,
		CommonName: spec.CommonName, ValidityDays: spec.ValidityDays, Policy: spec.Policy}, caller); err != nil {
		return Result{}, err
	}
	return h.core.onSigningKey(ctx, SigningKeyDecision{CommandID: uuid.NewSHA1(cmd.CommandID, []byte("rotated")), KeyID: cmd.KeyID},
		caller, func(k *domain.SigningKey, at time.Time) ([]domain.Event, error) {
			successor, err := h.core.loadSigningKey(ctx, cmd.NewKeyID)
			if err != nil {
				return nil, err
			}
			return k.Rotate(successor, cmd.Reason, caller.Actor, at)
		})
}
