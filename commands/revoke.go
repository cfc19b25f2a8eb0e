package commands

import (
	"context"
	"time"

	"github.com/certledger/certledger/domain"
)

// RevokeHandler revokes issued certificates (a Decision, Reason an RFC 5280 reason name). It
// signs nothing.
type RevokeHandler struct{ core *Core }

// NewRevokeHandler is the revocation handler.
func NewRevokeHandler(core *Core) *RevokeHandler { return &RevokeHandler{core} }

// Handle records the revocation of an issued certificate.
func (h *RevokeHandler) Handle(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	reason, err := domain.ParseRevocationReason(cmd.Reason)
	if err != nil {
		return Result{}, err
	}
	return h.core.onCertificate(ctx, cmd, caller, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.Revoke(reason, cmd.InvalidityDate, caller.Actor, at)
	})
}
