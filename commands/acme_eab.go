package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// MintACMEEABKey records an External Account Binding key for a provisioner's accounts acting
// for Team. The HMAC key is the caller's to make and hand out; only its SHA-256 is recorded.
type MintACMEEABKey struct {
	CommandID, KeyID  uuid.UUID
	Provisioner, Team string
	KeySHA256         string
}

// MintACMEEABKeyHandler mints EAB keys (SEC_OPS, or an ADMIN override).
type MintACMEEABKeyHandler struct{ core *Core }

// NewMintACMEEABKeyHandler is the EAB key minting handler.
func NewMintACMEEABKeyHandler(core *Core) *MintACMEEABKeyHandler { return &MintACMEEABKeyHandler{core} }

// Handle records the key on its own stream.
func (h *MintACMEEABKeyHandler) Handle(ctx context.Context, cmd MintACMEEABKey, caller Caller) (Result, error) {
	stream := events.StreamName(events.CategoryACMEEAB, cmd.KeyID)
	return h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		k, err := domain.NewACMEEABKeyFromHistory(past)
		if err != nil {
			return nil, err
		}
		return k.Mint(domain.ACMEEABKeyInput{KeyID: cmd.KeyID.String(), Provisioner: cmd.Provisioner, Team: cmd.Team,
			KeySHA256: cmd.KeySHA256}, caller.Actor, at)
	})
}

// bindEABKey binds the key to the account about to be registered and returns the key, whose
// team the account acts for. A key bound to this account already binds again as a no-op, so a
// registration retried after the binding goes through.
func (c *Core) bindEABKey(ctx context.Context, keyID, accountID uuid.UUID, provisioner, keySHA256 string, caller Caller) (*domain.ACMEEABKey, error) {
	stream := events.StreamName(events.CategoryACMEEAB, keyID)
	_, err := c.decide(ctx, uuid.NewSHA1(keyID, []byte("bind\x00"+accountID.String())), stream, caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			k, err := domain.NewACMEEABKeyFromHistory(past)
			if err != nil {
				return nil, err
			}
			return k.Bind(accountID.String(), provisioner, keySHA256, at)
		})
	if err != nil {
		return nil, err
	}
	return c.loadACMEEABKey(ctx, keyID)
}

func (c *Core) loadACMEEABKey(ctx context.Context, id uuid.UUID) (*domain.ACMEEABKey, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryACMEEAB, id))
	if err != nil {
		return nil, fmt.Errorf("load ACME EAB key %s: %w", id, err)
	}
	return domain.NewACMEEABKeyFromHistory(past)
}

// ACMEEABKey folds an EAB key from its stream; one never minted does not Exist.
func (q *Queries) ACMEEABKey(ctx context.Context, id uuid.UUID) (*domain.ACMEEABKey, error) {
	return q.core.loadACMEEABKey(ctx, id)
}
