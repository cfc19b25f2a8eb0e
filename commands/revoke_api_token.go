package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// RevokeAPIToken revokes a token; from the next request on it authenticates nobody.
type RevokeAPIToken struct {
	CommandID uuid.UUID
	TokenID   uuid.UUID
	Reason    string
}

// RevokeAPITokenHandler revokes API tokens.
type RevokeAPITokenHandler struct{ core *Core }

// NewRevokeAPITokenHandler is the token revocation handler.
func NewRevokeAPITokenHandler(core *Core) *RevokeAPITokenHandler { return &RevokeAPITokenHandler{core} }

// Handle records a token's revocation; a token never issued is KindNotFound.
func (h *RevokeAPITokenHandler) Handle(ctx context.Context, cmd RevokeAPIToken, caller Caller) (Result, error) {
	stream := events.StreamName(events.CategoryAPIToken, cmd.TokenID)
	return h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		t, err := domain.NewAPITokenFromHistory(past)
		if err != nil {
			return nil, err
		}
		if !t.Exists() {
			return nil, apiTokenNotFound(cmd.TokenID)
		}
		return t.Revoke(caller.Actor, at, cmd.Reason)
	})
}
