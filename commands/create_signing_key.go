package commands

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// CreateSigningKey generates a code-signing (or time-stamping) key in the HSM, under the label
// "signingkey-<id>", non-extractable and sign-only, and has a ledger CA certify it.
type CreateSigningKey struct {
	CommandID    uuid.UUID
	KeyID        uuid.UUID
	CAID         uuid.UUID
	Name, Team   string
	Usage        domain.KeyUsageKind
	KeyType      domain.KeyType
	CommonName   string
	ValidityDays int
	Policy       domain.SigningPolicy
}

// CreateSigningKeyHandler creates signing keys: the key in the HSM, its certificate signed by
// the CA's key under the signing rule.
type CreateSigningKeyHandler struct{ caSigner }

// NewCreateSigningKeyHandler is the handler; keys holds the CA keys and the new signing keys.
func NewCreateSigningKeyHandler(core *Core, keys KeyStore) *CreateSigningKeyHandler {
	return &CreateSigningKeyHandler{caSigner{core, keys}}
}

// Handle checks the caller and the spec, generates the key, signs its certificate with the
// CA's key (intent first) and records the key with its certificate and chain.
func (h *CreateSigningKeyHandler) Handle(ctx context.Context, cmd CreateSigningKey, caller Caller) (Result, error) {
	label := events.StreamName(events.CategorySigningKey, cmd.KeyID)
	spec, _, err := domain.CheckSigningKeyCreation(domain.SigningKeySpec{ID: cmd.KeyID.String(), Name: cmd.Name,
		Team: cmd.Team, Usage: cmd.Usage, KeyType: cmd.KeyType, HSMKeyLabel: label, CommonName: cmd.CommonName,
		ValidityDays: cmd.ValidityDays, Policy: cmd.Policy}, caller.Actor)
	if err != nil {
		return Result{}, err
	}
	ca, err := h.loadCA(ctx, cmd.CAID.String())
	if err != nil {
		return Result{}, err
	}
	if err := ca.CheckCanIssue(h.now()); err != nil {
		return Result{}, err
	}
	chain, err := h.loadChainAbove(ctx, ca)
	if err != nil {
		return Result{}, err
	}
	pub, err := h.keys.EnsureKey(ctx, label, spec.KeyType)
	if err != nil {
		return Result{}, fmt.Errorf("signing key in the HSM: %w", err)
	}
	res, _, err := h.sign(ctx, signing{commandID: cmd.CommandID, stream: label, caller: caller,
		prepare: func(past []domain.Event, at time.Time) (domain.Prepared, error) {
			k, err := domain.NewSigningKeyFromHistory(past)
			if err != nil {
				return domain.Prepared{}, err
			}
			serial, err := domain.NewSerial(rand.Reader)
			if err != nil {
				return domain.Prepared{}, err
			}
			return k.PrepareCreate(spec, ca, pub, serial, caller.Actor, at)
		},
		record: func(past []domain.Event, der []byte, at time.Time) ([]domain.Event, error) {
			k, err := domain.NewSigningKeyFromHistory(past)
			if err != nil {
				return nil, err
			}
			return k.Create(spec, ca, chain, pub, der, caller.Actor, at)
		},
	})
	return res, err
}
