package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// RevokeCA revokes a CA's certificate; its parent's CRL then lists it. The certificates the CA
// issued keep their own status.
type RevokeCA struct {
	CommandID      uuid.UUID
	CAID           uuid.UUID
	Reason         string // an RFC 5280 reason name
	InvalidityDate *time.Time
}

// RevokeCAHandler revokes CAs. It signs nothing.
type RevokeCAHandler struct{ core *Core }

// NewRevokeCAHandler is the CA revocation handler.
func NewRevokeCAHandler(core *Core) *RevokeCAHandler { return &RevokeCAHandler{core} }

// Handle records the revocation of a CA.
func (h *RevokeCAHandler) Handle(ctx context.Context, cmd RevokeCA, caller Caller) (Result, error) {
	reason, err := domain.ParseRevocationReason(cmd.Reason)
	if err != nil {
		return Result{}, err
	}
	stream := events.StreamName(events.CategoryCA, cmd.CAID)
	return h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		ca, err := domain.NewCAFromHistory(past)
		if err != nil {
			return nil, err
		}
		return ca.Revoke(reason, cmd.InvalidityDate, caller.Actor, at)
	})
}
