package commands

import (
	"context"
	"crypto/x509"
	"fmt"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// The loading helpers: each folds one aggregate from its stream, read only, for a command that
// decides on another stream or for a query. An aggregate that does not exist is KindNotFound
// unless said otherwise.

// loadCertificate folds a certificate; it is KindNotFound when it was never requested.
func (c *Core) loadCertificate(ctx context.Context, id uuid.UUID) (*domain.Certificate, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryCertificate, id))
	if err != nil {
		return nil, err
	}
	cert, err := domain.NewCertificateFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !cert.Exists() {
		return nil, certificateNotFound(id)
	}
	return cert, nil
}

// certificateNotFound is the KindNotFound error of a certificate never requested.
func certificateNotFound(id uuid.UUID) error {
	return &domain.Error{Kind: domain.KindNotFound, Message: "certificate " + id.String() + " does not exist"}
}

// loadCA folds the CA with the given id, which must be a UUID.
func (c *Core) loadCA(ctx context.Context, id string) (*domain.CA, error) {
	caID, err := uuid.Parse(id)
	if err != nil {
		return nil, &domain.Error{Kind: domain.KindInvalid, Message: "CA id " + id + " is not a UUID"}
	}
	past, err := c.load(ctx, events.StreamName(events.CategoryCA, caID))
	if err != nil {
		return nil, err
	}
	return existingCA(past, caID)
}

// loadParentCA folds the CA a new intermediate is to be signed by.
func (c *Core) loadParentCA(ctx context.Context, id uuid.UUID) (*domain.CA, error) {
	parent, err := c.loadCA(ctx, id.String())
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: fmt.Sprintf("parent CA %s does not exist", id)}
	}
	return parent, err
}

// existingCA folds a CA's stream; a CA never created is KindNotFound.
func existingCA(past []domain.Event, id uuid.UUID) (*domain.CA, error) {
	ca, err := domain.NewCAFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !ca.Exists() {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: "CA " + id.String() + " does not exist"}
	}
	return ca, nil
}

// loadProfile folds the profile with the given name; it is KindNotFound when never defined.
func (c *Core) loadProfile(ctx context.Context, name string) (*domain.Profile, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryProfile, ProfileID(name)))
	if err != nil {
		return nil, err
	}
	p, err := domain.NewProfileFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !p.Defined() {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: "profile " + name + " does not exist"}
	}
	return p, nil
}

// loadAPIToken folds a token's stream, which may be empty: the token then does not Exist.
func (c *Core) loadAPIToken(ctx context.Context, id uuid.UUID) (*domain.APIToken, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryAPIToken, id))
	if err != nil {
		return nil, fmt.Errorf("load API token %s: %w", id, err)
	}
	return domain.NewAPITokenFromHistory(past)
}

func apiTokenNotFound(id uuid.UUID) error {
	return &domain.Error{Kind: domain.KindNotFound, Message: "API token " + id.String() + " does not exist"}
}

// tailLoader is an event store that can read a stream's newest event alone, such as
// *eventstore.Store. The checkpoint stream grows by one event per checkpoint for ever, so
// SignCheckpoint reads only its tail when it can.
type tailLoader interface {
	LoadLast(ctx context.Context, stream string) ([]events.Envelope, events.Head, error)
}

// loadAuditLog folds the checkpoint stream, which may be empty, and returns its head: from its
// last event when the store can read it alone, else from the whole stream.
func (c *Core) loadAuditLog(ctx context.Context) (*domain.AuditLog, events.Head, error) {
	stream := events.AuditCheckpointStream
	var history []events.Envelope
	var head events.Head
	var err error
	if tail, ok := c.store.(tailLoader); ok {
		history, head, err = tail.LoadLast(ctx, stream)
	} else {
		history, head, err = c.store.Load(ctx, stream)
	}
	if err != nil {
		return nil, head, err
	}
	past, err := decodeHistory(c.registry, history)
	if err != nil {
		return nil, head, err
	}
	log, err := domain.NewAuditLogFromHistory(past)
	if err != nil {
		return nil, head, fmt.Errorf("fold %s: %w", stream, err)
	}
	return log, head, nil
}

// loadSigningKey folds a signing key; it is KindNotFound when it was never created.
func (c *Core) loadSigningKey(ctx context.Context, id uuid.UUID) (*domain.SigningKey, error) {
	past, err := c.load(ctx, events.StreamName(events.CategorySigningKey, id))
	if err != nil {
		return nil, fmt.Errorf("load signing key %s: %w", id, err)
	}
	k, err := domain.NewSigningKeyFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !k.Exists() {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: "signing key " + id.String() + " does not exist"}
	}
	return k, nil
}

// loadSignatureRequest folds a signature request; it is KindNotFound when never made.
func (c *Core) loadSignatureRequest(ctx context.Context, id uuid.UUID) (*domain.SignatureRequest, error) {
	past, err := c.load(ctx, events.StreamName(events.CategorySignature, id))
	if err != nil {
		return nil, fmt.Errorf("load signature request %s: %w", id, err)
	}
	r, err := domain.NewSignatureRequestFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !r.Exists() {
		return nil, signatureRequestNotFound(id)
	}
	return r, nil
}

func signatureRequestNotFound(id uuid.UUID) error {
	return &domain.Error{Kind: domain.KindNotFound, Message: "signature request " + id.String() + " does not exist"}
}

// loadChainAbove returns the certificates above ca: its parent, the parent's parent, up to
// the root, nearest first.
func (c *Core) loadChainAbove(ctx context.Context, ca *domain.CA) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for parent := ca.ParentID(); parent != ""; {
		if len(chain) > 8 {
			return nil, fmt.Errorf("the chain above CA %s is longer than 8", ca.ID())
		}
		p, err := c.loadCA(ctx, parent)
		if err != nil {
			return nil, fmt.Errorf("chain above CA %s: %w", ca.ID(), err)
		}
		chain, parent = append(chain, p.Certificate()), p.ParentID()
	}
	return chain, nil
}

// loadAgent folds an agent's stream, which may be empty: the agent then does not Exist.
func (c *Core) loadAgent(ctx context.Context, id uuid.UUID) (*domain.Agent, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryAgent, id))
	if err != nil {
		return nil, fmt.Errorf("load agent %s: %w", id, err)
	}
	return domain.NewAgentFromHistory(past)
}

// loadDeployment folds a deployment's stream; one never requested is KindNotFound.
func (c *Core) loadDeployment(ctx context.Context, id uuid.UUID) (*domain.Deployment, error) {
	past, err := c.load(ctx, events.StreamName(events.CategoryDeployment, id))
	if err != nil {
		return nil, fmt.Errorf("load deployment %s: %w", id, err)
	}
	d, err := domain.NewDeploymentFromHistory(past)
	if err == nil && !d.Exists() {
		err = &domain.Error{Kind: domain.KindNotFound, Message: "deployment " + id.String() + " does not exist"}
	}
	return d, err
}
