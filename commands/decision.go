package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// Decision is a command on one existing certificate: approve, reject, issue or revoke, each
// run by its own handler (approve.go, reject.go, issue.go, revoke.go).
type Decision struct {
	CommandID     uuid.UUID
	CertificateID uuid.UUID
	// Reason is the approval or rejection note, or the revocation reason's name.
	Reason string
	// InvalidityDate, for a keyCompromise revocation, is when the key is known to have been
	// compromised.
	InvalidityDate *time.Time
}

// onCertificate decides on an existing certificate; a certificate never requested is KindNotFound.
func (c *Core) onCertificate(ctx context.Context, cmd Decision, caller Caller,
	f func(cert *domain.Certificate, at time.Time) ([]domain.Event, error)) (Result, error) {
	stream := events.StreamName(events.CategoryCertificate, cmd.CertificateID)
	return c.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
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
