package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// acmeNamespace derives the ids of ACME accounts, and of the commands and certificates an
// order leads to, so that retries and concurrent requests meet on the same streams.
var acmeNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://certledger.dev/acme"))

// ACMEAccountID is the id of the account of the key with thumbprint at provisioner: one key
// has one account per provisioner.
func ACMEAccountID(provisioner, thumbprint string) uuid.UUID {
	return uuid.NewSHA1(acmeNamespace, []byte("account\x00"+provisioner+"\x00"+thumbprint))
}

// RegisterACMEAccount registers the ACME account of a key with a provisioner, bound to its team.
type RegisterACMEAccount struct {
	Provisioner, Team string
	Thumbprint        string
	KeyJWK            []byte
	Contact           []string
	// EABKeyID, when not uuid.Nil, is the External Account Binding key the client bound the
	// account with (its HMAC verified by the caller), EABKeySHA256 the SHA-256 of that HMAC
	// key; the account then acts for the key's team rather than Team.
	EABKeyID     uuid.UUID
	EABKeySHA256 string
}

// RegisteredACMEAccount is the account a registration leads to; Existed tells that the key
// already had one, which is answered unchanged (RFC 8555 §7.3.1).
type RegisteredACMEAccount struct {
	Account *domain.ACMEAccount
	Existed bool
}

// RegisterACMEAccountHandler registers ACME accounts.
type RegisterACMEAccountHandler struct{ core *Core }

// NewRegisterACMEAccountHandler is the ACME account registration handler.
func NewRegisterACMEAccountHandler(core *Core) *RegisterACMEAccountHandler {
	return &RegisterACMEAccountHandler{core}
}

// Handle registers the account unless the key has one with the provisioner already. Its
// command id is derived from the account's id, so two concurrent registrations append once.
func (h *RegisterACMEAccountHandler) Handle(ctx context.Context, cmd RegisterACMEAccount, caller Caller) (RegisteredACMEAccount, error) {
	id := ACMEAccountID(cmd.Provisioner, cmd.Thumbprint)
	existing, err := h.core.loadACMEAccount(ctx, id)
	if err != nil {
		return RegisteredACMEAccount{}, err
	}
	if existing.Exists() {
		return RegisteredACMEAccount{Account: existing, Existed: true}, nil
	}
	team := cmd.Team
	if cmd.EABKeyID != uuid.Nil {
		key, err := h.core.bindEABKey(ctx, cmd.EABKeyID, id, cmd.Provisioner, cmd.EABKeySHA256, caller)
		if err != nil {
			return RegisteredACMEAccount{}, err
		}
		team = key.Team()
	}
	stream := events.StreamName(events.CategoryACMEAccount, id)
	res, err := h.core.decide(ctx, uuid.NewSHA1(id, []byte("register")), stream, caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			a, err := domain.NewACMEAccountFromHistory(past)
			if err != nil {
				return nil, err
			}
			return a.Register(domain.ACMEAccountInput{AccountID: id.String(), Provisioner: cmd.Provisioner,
				Team: team, Thumbprint: cmd.Thumbprint, KeyJWK: cmd.KeyJWK, Contact: cmd.Contact,
				EABKeyID: eabKeyID(cmd.EABKeyID)}, withTeam(caller.Actor, team), at)
		})
	if err != nil {
		return RegisteredACMEAccount{}, err
	}
	a, err := h.core.loadACMEAccount(ctx, id)
	return RegisteredACMEAccount{Account: a, Existed: res.Replayed}, err
}

func eabKeyID(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}

// withTeam is the account's actor acting for team (its EAB key's).
func withTeam(a domain.Actor, team string) domain.Actor {
	a.Team = team
	return a
}

// loadACMEAccount folds an account's stream, which may be empty: the account then does not
// Exist. The stream a rolled-over key derives leads to the account that adopted the key.
func (c *Core) loadACMEAccount(ctx context.Context, id uuid.UUID) (*domain.ACMEAccount, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryACMEAccount, id))
	if err != nil {
		return nil, fmt.Errorf("load ACME account %s: %w", id, err)
	}
	a, err := domain.NewACMEAccountFromHistory(past)
	if err != nil || a.AliasOf() == "" {
		return a, err
	}
	target, err := uuid.Parse(a.AliasOf())
	if err != nil {
		return nil, fmt.Errorf("ACME account stream %s adopted by %q: %w", id, a.AliasOf(), err)
	}
	past, err = c.load(ctx, events.StreamName(events.CategoryACMEAccount, target))
	if err != nil {
		return nil, fmt.Errorf("load ACME account %s: %w", target, err)
	}
	return domain.NewACMEAccountFromHistory(past)
}

// loadACMEOrder folds an order's stream; an order never created is KindNotFound.
func (c *Core) loadACMEOrder(ctx context.Context, id uuid.UUID) (*domain.ACMEOrder, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryACMEOrder, id))
	if err != nil {
		return nil, fmt.Errorf("load ACME order %s: %w", id, err)
	}
	o, err := domain.NewACMEOrderFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !o.Exists() {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: "ACME order " + id.String() + " does not exist"}
	}
	return o, nil
}

// ACMEHandlers are the ACME protocol's commands; FinalizeACMEOrder issues through the
// application's one RequestCertificate handler.
type ACMEHandlers struct {
	RegisterAccount *RegisterACMEAccountHandler
	CreateOrder     *CreateACMEOrderHandler
	RecordChallenge *RecordACMEChallengeHandler
	FinalizeOrder   *FinalizeACMEOrderHandler
	MintEABKey      *MintACMEEABKeyHandler
	ChangeAccount   *ACMEAccountChangeHandler
}

func newACMEHandlers(core *Core, request *RequestCertificateHandler) ACMEHandlers {
	return ACMEHandlers{RegisterAccount: NewRegisterACMEAccountHandler(core), CreateOrder: NewCreateACMEOrderHandler(core),
		RecordChallenge: NewRecordACMEChallengeHandler(core), FinalizeOrder: NewFinalizeACMEOrderHandler(core, request),
		MintEABKey: NewMintACMEEABKeyHandler(core), ChangeAccount: NewACMEAccountChangeHandler(core)}
}
