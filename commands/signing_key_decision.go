package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// SigningKeyDecision is a lifecycle command on one signing key: disable, enable or revoke,
// each run by its own handler (disable_signing_key.go, enable_signing_key.go,
// revoke_signing_key.go). None signs anything.
type SigningKeyDecision struct {
	CommandID uuid.UUID
	KeyID     uuid.UUID
	// Reason is the disabling note, or the revocation reason's RFC 5280 name.
	Reason string
	// InvalidityDate, for a keyCompromise revocation, is when the key is known to have been
	// compromised.
	InvalidityDate *time.Time
}

// onSigningKey decides on an existing signing key; one never created is KindNotFound.
func (c *Core) onSigningKey(ctx context.Context, cmd SigningKeyDecision, caller Caller,
	f func(k *domain.SigningKey, at time.Time) ([]domain.Event, error)) (Result, error) {
	stream := events.StreamName(events.CategorySigningKey, cmd.KeyID)
	return c.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		k, err := domain.NewSigningKeyFromHistory(past)
		if err != nil {
			return nil, err
		}
		if !k.Exists() {
			return nil, &domain.Error{Kind: domain.KindNotFound, Message: "signing key " + cmd.KeyID.String() + " does not exist"}
		}
		return f(k, at)
	})
}
