package commands

import (
	"context"
	"time"

	"github.com/certledger/certledger/domain"
)

// RevokeSigningKeyHandler revokes signing keys (a SigningKeyDecision): the key's certificate
// is revoked (its CA's CRL and OCSP say so once the read model has it) and the key signs
// nothing from the revocation on.
type RevokeSigningKeyHandler struct{ core *Core }

// NewRevokeSigningKeyHandler is the handler.
func NewRevokeSigningKeyHandler(core *Core) *RevokeSigningKeyHandler {
	return &RevokeSigningKeyHandler{core}
}

// Handle records the revocation.
func (h *RevokeSigningKeyHandler) Handle(ctx context.Context, cmd SigningKeyDecision, caller Caller) (Result, error) {
	reason, err := domain.ParseRevocationReason(cmd.Reason)
	if err != nil {
		return Result{}, err
	}
	return h.core.onSigningKey(ctx, cmd, caller, func(k *domain.SigningKey, at time.Time) ([]domain.Event, error) {
		return k.Revoke(reason, cmd.InvalidityDate, caller.Actor, at)
	})
}
