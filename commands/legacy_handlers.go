package commands

import (
	"context"
	"crypto"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// Handlers is the former one-type-serves-all API, kept only for the tests under projections/,
// which are outside this change.
//
// Deprecated: use the handlers and queries of an Application; remove Handlers once the
// projections tests do.
type Handlers struct{ *Application }

// NewHandlers wires an Application behind the former API.
//
// Deprecated: use NewApplication.
func NewHandlers(store EventStore, keys KeyStore, urls URLs) (*Handlers, error) {
	app, err := NewApplication(store, keys, urls)
	if err != nil {
		return nil, err
	}
	return &Handlers{app}, nil
}

func (h *Handlers) CreateCA(ctx context.Context, cmd CreateCA, caller Caller) (Result, error) {
	return h.Application.CreateCA.Handle(ctx, cmd, caller)
}

func (h *Handlers) DefineProfile(ctx context.Context, cmd DefineProfile, caller Caller) (Result, error) {
	return h.Application.DefineProfile.Handle(ctx, cmd, caller)
}

func (h *Handlers) RequestCertificate(ctx context.Context, cmd RequestCertificate, caller Caller) (Result, error) {
	return h.Application.RequestCertificate.Handle(ctx, cmd, caller)
}

func (h *Handlers) Approve(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	return h.Application.Approve.Handle(ctx, cmd, caller)
}

func (h *Handlers) Reject(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	return h.Application.Reject.Handle(ctx, cmd, caller)
}

func (h *Handlers) Revoke(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	return h.Application.Revoke.Handle(ctx, cmd, caller)
}

func (h *Handlers) RenewCertificate(ctx context.Context, cmd RenewCertificate, caller Caller) (Result, error) {
	return h.Application.RenewCertificate.Handle(ctx, cmd, caller)
}

func (h *Handlers) IssueAPIToken(ctx context.Context, cmd IssueAPIToken, caller Caller) (IssuedAPIToken, error) {
	return h.Application.IssueAPIToken.Handle(ctx, cmd, caller)
}

func (h *Handlers) RevokeAPIToken(ctx context.Context, cmd RevokeAPIToken, caller Caller) (Result, error) {
	return h.Application.RevokeAPIToken.Handle(ctx, cmd, caller)
}

func (h *Handlers) SignCheckpoint(ctx context.Context, size int64, root [32]byte, lastPosition uint64) (Result, error) {
	return h.Application.SignCheckpoint.Handle(ctx, SignCheckpoint{Size: size, Root: root, LastPosition: lastPosition})
}

func (h *Handlers) Certificate(ctx context.Context, id uuid.UUID) (*domain.Certificate, error) {
	return h.Queries.Certificate(ctx, id)
}

func (h *Handlers) CA(ctx context.Context, id uuid.UUID) (*domain.CA, error) {
	return h.Queries.CA(ctx, id)
}

func (h *Handlers) APIToken(ctx context.Context, id uuid.UUID) (*domain.APIToken, error) {
	return h.Queries.APIToken(ctx, id)
}

func (h *Handlers) AuditKey(ctx context.Context) (crypto.PublicKey, error) {
	return h.Queries.AuditKey(ctx)
}
