package commands

import (
	"context"
	"time"

	"github.com/certledger/certledger/domain"
)

// DisableSigningKeyHandler disables signing keys (a SigningKeyDecision): they sign nothing
// until enabled.
type DisableSigningKeyHandler struct{ core *Core }

// NewDisableSigningKeyHandler is the handler.
func NewDisableSigningKeyHandler(core *Core) *DisableSigningKeyHandler {
	return &DisableSigningKeyHandler{core}
}

// Handle records the disabling.
func (h *DisableSigningKeyHandler) Handle(ctx context.Context, cmd SigningKeyDecision, caller Caller) (Result, error) {
	return h.core.onSigningKey(ctx, cmd, caller, func(k *domain.SigningKey, at time.Time) ([]domain.Event, error) {
		return k.Disable(cmd.Reason, caller.Actor, at)
	})
}
