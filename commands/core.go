package commands

import (
	"context"
	"crypto"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// KeyStore is what the commands that sign or make keys need of the HSM.
type KeyStore interface {
	// EnsureKey generates a non-extractable key pair under label, or, when a retried command
	// already made it, returns the public key of the pair that is there.
	EnsureKey(ctx context.Context, label string, kt domain.KeyType) (crypto.PublicKey, error)
	// EnsureTransportKey is EnsureKey for an RSA key that may also decrypt, for a key others
	// encrypt to (a SCEP RA's); its Signer is then also a crypto.Decrypter.
	EnsureTransportKey(ctx context.Context, label string) (crypto.PublicKey, error)
	// Signer returns the signer of the key pair under label.
	Signer(label string) (crypto.Signer, error)
}

// URLs are where the ledger publishes what issued certificates point to.
type URLs struct {
	// Base is the ledger's public HTTP base, such as "http://127.0.0.1:8080".
	Base string
}

// CRL is the distribution point of a CA's CRL.
func (u URLs) CRL(caID uuid.UUID) string { return fmt.Sprintf("%s/crl/%s.crl", u.Base, caID) }

// OCSP is the ledger's OCSP responder.
func (u URLs) OCSP() string { return u.Base + "/ocsp" }

// Issuer is where a CA's certificate can be downloaded.
func (u URLs) Issuer(caID uuid.UUID) string {
	return fmt.Sprintf("%s/api/v1/cas/%s/certificate", u.Base, caID)
}

// Core is what every command handler and query decides or reads with: the event store, the
// registry of the domain's events, and the clock. Build one with NewCore and share it between
// the handlers of one ledger.
type Core struct {
	store    EventStore
	registry *events.Registry
	now      func() time.Time
}

// NewCore is the core of the handlers on store, on the wall clock.
func NewCore(store EventStore) (*Core, error) {
	registry, err := NewRegistry()
	if err != nil {
		return nil, fmt.Errorf("event registry: %w", err)
	}
	return &Core{store: store, registry: registry, now: time.Now}, nil
}

// load folds another aggregate's stream, read only, for a decision that needs it.
func (c *Core) load(ctx context.Context, stream string) ([]domain.Event, error) {
	history, _, err := c.store.Load(ctx, stream)
	if err != nil {
		return nil, err
	}
	return decodeHistory(c.registry, history)
}

// decide runs one command on one stream: load, decide with the domain, append, retrying on
// conflicts; the events record the caller and the decision time.
func (c *Core) decide(ctx context.Context, commandID uuid.UUID, stream string, caller Caller,
	f func(past []domain.Event, at time.Time) ([]domain.Event, error)) (Result, error) {
	res, _, err := c.decideOn(ctx, commandID, stream, caller, nil, f)
	return res, err
}

// decideOn is decide that, given seen, decides first on the stream as an earlier step of the
// command left it, and returns the stream as this step leaves it.
func (c *Core) decideOn(ctx context.Context, commandID uuid.UUID, stream string, caller Caller, seen *Seen,
	f func(past []domain.Event, at time.Time) ([]domain.Event, error)) (Result, Seen, error) {
	return execute(ctx, c.store, commandID, stream, caller.IfRevision, seen, func(history []events.Envelope) ([]events.Proposed, error) {
		past, err := decodeHistory(c.registry, history)
		if err != nil {
			return nil, err
		}
		at := c.now()
		decided, err := f(past, at)
		if err != nil {
			return nil, err
		}
		return propose(decided, caller.metadata(at))
	})
}
