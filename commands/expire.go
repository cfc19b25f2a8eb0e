package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// ExpireCertificate records that a certificate has passed its end date. Its command id derives
// from the certificate's id, so running it again for the same certificate appends nothing.
func (h *Handlers) ExpireCertificate(ctx context.Context, certificateID uuid.UUID) (Result, error) {
	cmd := Decision{CommandID: uuid.NewSHA1(certificateID, []byte("expire")), CertificateID: certificateID}
	return h.onCertificate(ctx, cmd, System, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.Expire(at)
	})
}
