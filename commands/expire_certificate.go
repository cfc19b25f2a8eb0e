package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// ExpireCertificate records that a certificate has passed its end date. It is housekeeping,
// run as System; its command id derives from the certificate's id, so running it again for the
// same certificate appends nothing.
type ExpireCertificate struct {
	CertificateID uuid.UUID
}

// ExpireCertificateHandler expires certificates. It signs nothing.
type ExpireCertificateHandler struct{ core *Core }

// NewExpireCertificateHandler is the expiry handler.
func NewExpireCertificateHandler(core *Core) *ExpireCertificateHandler {
	return &ExpireCertificateHandler{core}
}

// Handle records the expiry of a certificate past its end date, as System.
func (h *ExpireCertificateHandler) Handle(ctx context.Context, cmd ExpireCertificate) (Result, error) {
	decision := Decision{CommandID: uuid.NewSHA1(cmd.CertificateID, []byte("expire")), CertificateID: cmd.CertificateID}
	return h.core.onCertificate(ctx, decision, System, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.Expire(at)
	})
}
