package commands

import (
	"context"
	"time"

	"github.com/certledger/certledger/domain"
)

// RejectHandler rejects pending requests (a Decision, Reason its note). It signs nothing.
type RejectHandler struct{ core *Core }

// NewRejectHandler is the rejection handler.
func NewRejectHandler(core *Core) *RejectHandler { return &RejectHandler{core} }

// Handle records the rejection of a pending request.
func (h *RejectHandler) Handle(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	return h.core.onCertificate(ctx, cmd, caller, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.Reject(caller.Actor, at, cmd.Reason)
	})
}
