package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// RefuseSignature refuses a pending signature request, with a reason; it is never signed.
type RefuseSignature struct {
	CommandID uuid.UUID
	RequestID uuid.UUID
	Reason    string
}

// RefuseSignatureHandler refuses signature requests. It signs nothing.
type RefuseSignatureHandler struct{ core *Core }

// NewRefuseSignatureHandler is the handler.
func NewRefuseSignatureHandler(core *Core) *RefuseSignatureHandler {
	return &RefuseSignatureHandler{core}
}

// Handle records the refusal.
func (h *RefuseSignatureHandler) Handle(ctx context.Context, cmd RefuseSignature, caller Caller) (Result, error) {
	stream := events.StreamName(events.CategorySignature, cmd.RequestID)
	return h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		r, err := domain.NewSignatureRequestFromHistory(past)
		if err != nil {
			return nil, err
		}
		if !r.Exists() {
			return nil, signatureRequestNotFound(cmd.RequestID)
		}
		return r.Refuse(cmd.Reason, caller.Actor, at)
	})
}
