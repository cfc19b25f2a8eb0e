package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// Decision is a command on one existing certificate: approve, reject, issue or revoke.
type Decision struct {
	CommandID     uuid.UUID
	CertificateID uuid.UUID
	// Reason is the approval or rejection note, or the revocation reason's name.
	Reason string
	// InvalidityDate, for a keyCompromise revocation, is when the key is known to have been
	// compromised.
	InvalidityDate *time.Time
}

// Approve approves a pending request and issues the certificate at once; a renewal then marks
// the certificate it replaces as superseded.
func (h *Handlers) Approve(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	res, _, err := h.issueCertificate(ctx, issuance{commandID: cmd.CommandID, certificateID: cmd.CertificateID, caller: caller,
		decide: func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
			return cert.Approve(caller.Actor, at, cmd.Reason)
		}})
	if err != nil {
		return res, err
	}
	return res, h.supersede(ctx, cmd.CommandID, cmd.CertificateID, caller.unconditional())
}

// Reject rejects a pending request.
func (h *Handlers) Reject(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	return h.onCertificate(ctx, cmd, caller, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.Reject(caller.Actor, at, cmd.Reason)
	})
}

// Revoke revokes an issued certificate with an RFC 5280 reason.
func (h *Handlers) Revoke(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	reason, err := domain.ParseRevocationReason(cmd.Reason)
	if err != nil {
		return Result{}, err
	}
	return h.onCertificate(ctx, cmd, caller, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.Revoke(reason, cmd.InvalidityDate, caller.Actor, at)
	})
}

// onCertificate decides on an existing certificate; a certificate never requested is KindNotFound.
func (h *Handlers) onCertificate(ctx context.Context, cmd Decision, caller Caller,
	f func(cert *domain.Certificate, at time.Time) ([]domain.Event, error)) (Result, error) {
	stream := events.StreamName(events.CategoryCertificate, cmd.CertificateID)
	return h.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		cert, err := domain.NewCertificateFromHistory(past)
		if err != nil {
			return nil, err
		}
		if !cert.Exists() {
			return nil, certificateNotFound(cmd.CertificateID)
		}
		return f(cert, at)
	})
}

// Issue issues a certificate that is approved but not issued yet.
func (h *Handlers) Issue(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	res, _, err := h.issueCertificate(ctx, issuance{commandID: cmd.CommandID, certificateID: cmd.CertificateID, caller: caller})
	if err != nil {
		return res, err
	}
	return res, h.supersede(ctx, cmd.CommandID, cmd.CertificateID, caller.unconditional())
}
