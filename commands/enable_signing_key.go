package commands

import (
	"context"
	"time"

	"github.com/certledger/certledger/domain"
)

// EnableSigningKeyHandler enables disabled signing keys (a SigningKeyDecision).
type EnableSigningKeyHandler struct{ core *Core }

// NewEnableSigningKeyHandler is the handler.
func NewEnableSigningKeyHandler(core *Core) *EnableSigningKeyHandler {
	return &EnableSigningKeyHandler{core}
}

// Handle records the enabling.
func (h *EnableSigningKeyHandler) Handle(ctx context.Context, cmd SigningKeyDecision, caller Caller) (Result, error) {
	return h.core.onSigningKey(ctx, cmd, caller, func(k *domain.SigningKey, at time.Time) ([]domain.Event, error) {
		return k.Enable(caller.Actor, at)
	})
}
