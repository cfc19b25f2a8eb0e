package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// CreateACMEOrder places an order of an account with its provisioner's CA and profile.
type CreateACMEOrder struct {
	CommandID, OrderID, AccountID uuid.UUID
	Provisioner, CAID, Profile    string
	Team                          string
	Identifiers                   []domain.ACMEIdentifier
	// Challenges are the challenge types each authorization offers.
	Challenges []string
}

// CreateACMEOrderHandler records new orders, refusing identifiers the profile does not allow
// before anything is appended.
type CreateACMEOrderHandler struct{ core *Core }

// NewCreateACMEOrderHandler is the ACME order handler.
func NewCreateACMEOrderHandler(core *Core) *CreateACMEOrderHandler {
	return &CreateACMEOrderHandler{core}
}

// Handle draws a challenge token per identifier, checks the identifiers against the profile
// and the caller's right to request in it, and records the order.
func (h *CreateACMEOrderHandler) Handle(ctx context.Context, cmd CreateACMEOrder, caller Caller) (*domain.ACMEOrder, error) {
	profile, err := h.core.loadProfile(ctx, cmd.Profile)
	if err != nil {
		return nil, err
	}
	if _, err := h.core.loadCA(ctx, cmd.CAID); err != nil {
		return nil, err
	}
	tokens := make([]string, len(cmd.Identifiers))
	for i := range tokens {
		if tokens[i], err = newChallengeToken(); err != nil {
			return nil, err
		}
	}
	stream := events.StreamName(events.CategoryACMEOrder, cmd.OrderID)
	_, err = h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		o, err := domain.NewACMEOrderFromHistory(past)
		if err != nil {
			return nil, err
		}
		return o.CreateOrder(domain.ACMEOrderInput{OrderID: cmd.OrderID.String(), AccountID: cmd.AccountID.String(),
			Provisioner: cmd.Provisioner, CAID: cmd.CAID, Team: cmd.Team, Profile: profile,
			Identifiers: cmd.Identifiers, Tokens: tokens, Challenges: cmd.Challenges}, caller.Actor, at)
	})
	if err != nil {
		return nil, err
	}
	return h.core.loadACMEOrder(ctx, cmd.OrderID)
}

// newChallengeToken is a challenge token: 32 bytes from crypto/rand, base64url (RFC 8555 §8.3).
func newChallengeToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("ACME challenge token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RecordACMEChallenge records the result of validating one of an order's challenges.
type RecordACMEChallenge struct {
	CommandID, OrderID uuid.UUID
	Result             domain.ChallengeResult
}

// RecordACMEChallengeHandler records challenge results.
type RecordACMEChallengeHandler struct{ core *Core }

// NewRecordACMEChallengeHandler is the challenge result handler.
func NewRecordACMEChallengeHandler(core *Core) *RecordACMEChallengeHandler {
	return &RecordACMEChallengeHandler{core}
}

// Handle appends the result and returns the order as it leaves it.
func (h *RecordACMEChallengeHandler) Handle(ctx context.Context, cmd RecordACMEChallenge, caller Caller) (*domain.ACMEOrder, error) {
	stream := events.StreamName(events.CategoryACMEOrder, cmd.OrderID)
	_, err := h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		o, err := domain.NewACMEOrderFromHistory(past)
		if err != nil {
			return nil, err
		}
		return o.RecordChallenge(cmd.Result, at)
	})
	if err != nil {
		return nil, err
	}
	return h.core.loadACMEOrder(ctx, cmd.OrderID)
}
