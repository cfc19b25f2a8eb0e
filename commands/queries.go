package commands

import (
	"context"
	"crypto"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// Queries are the reads of the command side: aggregates folded from their event streams, for
// answers that must not wait for the read models (the state a command just left, a token's
// revocation from the very next request), and the audit public key. They append nothing.
type Queries struct {
	core *Core
	keys KeyStore // for AuditKey alone; nil when there is no HSM
}

// NewQueries is the queries on core; keys holds the audit key, and may be nil.
func NewQueries(core *Core, keys KeyStore) *Queries { return &Queries{core: core, keys: keys} }

// Certificate folds a certificate from its stream; a certificate never requested is
// KindNotFound.
func (q *Queries) Certificate(ctx context.Context, id uuid.UUID) (*domain.Certificate, error) {
	return q.core.loadCertificate(ctx, id)
}

// CA folds a CA from its stream; a CA never created is KindNotFound.
func (q *Queries) CA(ctx context.Context, id uuid.UUID) (*domain.CA, error) {
	return q.core.loadCA(ctx, id.String())
}

// APIToken folds a token from its stream; a token never issued is KindNotFound.
func (q *Queries) APIToken(ctx context.Context, id uuid.UUID) (*domain.APIToken, error) {
	t, err := q.core.loadAPIToken(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.Exists() {
		return nil, apiTokenNotFound(id)
	}
	return t, nil
}

// AuditKey returns the audit public key, generating the key pair in the HSM on first use.
func (q *Queries) AuditKey(ctx context.Context) (crypto.PublicKey, error) {
	return auditKey(ctx, q.keys)
}

// SigningKey folds a signing key from its stream; one never created is KindNotFound.
func (q *Queries) SigningKey(ctx context.Context, id uuid.UUID) (*domain.SigningKey, error) {
	return q.core.loadSigningKey(ctx, id)
}

// SignatureRequest folds a signature request from its stream; one never made is KindNotFound.
func (q *Queries) SignatureRequest(ctx context.Context, id uuid.UUID) (*domain.SignatureRequest, error) {
	return q.core.loadSignatureRequest(ctx, id)
}
