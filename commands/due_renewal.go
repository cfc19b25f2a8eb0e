package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// DueRenewal records that an issued certificate's renewal is due under its profile's renewal
// policy. It is housekeeping, run as System; its command id derives from the certificate, so a
// RenewalDue is appended once however often the scheduler asks, across restarts.
type DueRenewal struct {
	CertificateID uuid.UUID
}

// DueRenewalHandler records due renewals. It signs nothing.
type DueRenewalHandler struct{ core *Core }

// NewDueRenewalHandler is the due renewal handler.
func NewDueRenewalHandler(core *Core) *DueRenewalHandler { return &DueRenewalHandler{core} }

// Handle appends the RenewalDue when the certificate is issued, its profile's policy makes its
// renewal due by now and none is recorded yet; otherwise it appends nothing.
func (h *DueRenewalHandler) Handle(ctx context.Context, cmd DueRenewal) (Result, error) {
	cert, err := h.core.loadCertificate(ctx, cmd.CertificateID)
	if err != nil {
		return Result{}, err
	}
	profile, err := h.core.loadProfile(ctx, cert.ProfileName())
	if err != nil {
		return Result{}, err
	}
	decision := Decision{CommandID: RenewalDueCommandID(cmd.CertificateID), CertificateID: cmd.CertificateID}
	return h.core.onCertificate(ctx, decision, System, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		if cert.Status() != domain.StatusIssued {
			return nil, nil // superseded, revoked or expired since the scheduler listed it
		}
		return cert.DueRenewal(profile.Renewal(), at)
	})
}

// RenewalDueCommandID is the id of the command that records a certificate's RenewalDue, and
// so of that event: one per certificate.
func RenewalDueCommandID(certificateID uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(certificateID, []byte("renewal-due"))
}
