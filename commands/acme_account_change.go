package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// ChangeACMEAccountKey rolls an account over to a new key (RFC 8555 §7.3.5).
type ChangeACMEAccountKey struct {
	AccountID   uuid.UUID
	Provisioner string
	Thumbprint  string
	KeyJWK      []byte
}

// DeactivateACMEAccount deactivates an account (RFC 8555 §7.3.6).
type DeactivateACMEAccount struct{ AccountID uuid.UUID }

// ACMEAccountChangeHandler rolls keys over and deactivates accounts.
type ACMEAccountChangeHandler struct{ core *Core }

// NewACMEAccountChangeHandler is the account change handler.
func NewACMEAccountChangeHandler(core *Core) *ACMEAccountChangeHandler {
	return &ACMEAccountChangeHandler{core}
}

// ChangeKey first claims the stream the new key's thumbprint derives for the account (a key
// that has an account already is KindConflict, and nothing is appended), then records the
// new key on the account. Both command ids derive from the account and the new key, so a
// retried rollover appends nothing twice.
func (h *ACMEAccountChangeHandler) ChangeKey(ctx context.Context, cmd ChangeACMEAccountKey, caller Caller) (*domain.ACMEAccount, error) {
	keyStream := ACMEAccountID(cmd.Provisioner, cmd.Thumbprint)
	seed := []byte("keychange\x00" + cmd.Thumbprint)
	_, err := h.core.decide(ctx, uuid.NewSHA1(cmd.AccountID, append(seed, "\x00adopt"...)),
		events.StreamName(events.CategoryACMEAccount, keyStream), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			a, err := domain.NewACMEAccountFromHistory(past)
			if err != nil {
				return nil, err
			}
			return a.AdoptKey(keyStream.String(), cmd.AccountID.String(), cmd.Thumbprint, at)
		})
	if err != nil {
		return nil, fmt.Errorf("ACME key rollover of %s: %w", cmd.AccountID, err)
	}
	return h.decideOn(ctx, cmd.AccountID, uuid.NewSHA1(cmd.AccountID, seed), caller,
		func(a *domain.ACMEAccount, at time.Time) ([]domain.Event, error) {
			return a.ChangeKey(cmd.Thumbprint, cmd.KeyJWK, at)
		})
}

// Deactivate deactivates the account.
func (h *ACMEAccountChangeHandler) Deactivate(ctx context.Context, cmd DeactivateACMEAccount, caller Caller) (*domain.ACMEAccount, error) {
	return h.decideOn(ctx, cmd.AccountID, uuid.NewSHA1(cmd.AccountID, []byte("deactivate")), caller,
		func(a *domain.ACMEAccount, at time.Time) ([]domain.Event, error) { return a.Deactivate(at) })
}

func (h *ACMEAccountChangeHandler) decideOn(ctx context.Context, id, commandID uuid.UUID, caller Caller,
	decide func(*domain.ACMEAccount, time.Time) ([]domain.Event, error)) (*domain.ACMEAccount, error) {
	_, err := h.core.decide(ctx, commandID, events.StreamName(events.CategoryACMEAccount, id), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			a, err := domain.NewACMEAccountFromHistory(past)
			if err != nil {
				return nil, err
			}
			return decide(a, at)
		})
	if err != nil {
		return nil, fmt.Errorf("ACME account %s: %w", id, err)
	}
	return h.core.loadACMEAccount(ctx, id)
}
