package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// RenewCertificate requests a new certificate to replace an issued one, under the same CA,
// profile and team. Once the new one is issued, the old one is marked superseded.
type RenewCertificate struct {
	CommandID        uuid.UUID
	CertificateID    uuid.UUID // the certificate to replace
	NewCertificateID uuid.UUID
	CSRPEM           []byte
	ValidityDays     int // 0 keeps the old certificate's requested validity
}

// RenewCertificateHandler renews certificates: a new request, issued under the signing rule,
// and the old certificate superseded.
type RenewCertificateHandler struct{ caSigner }

// NewRenewCertificateHandler is the renewal handler; it signs with the CA keys in keys.
func NewRenewCertificateHandler(core *Core, keys KeyStore) *RenewCertificateHandler {
	return &RenewCertificateHandler{caSigner{core, keys}}
}

// Handle records the new request (issuing it at once when no approval is needed) and, when it
// is issued, links the old certificate to it. Both steps are idempotent per command, so a
// retry after a failure between them completes the renewal.
func (h *RenewCertificateHandler) Handle(ctx context.Context, cmd RenewCertificate, caller Caller) (Result, error) {
	old, err := h.loadCertificate(ctx, cmd.CertificateID)
	if err != nil {
		return Result{}, err
	}
	if err := h.checkRenewalRevision(ctx, cmd, old, caller.IfRevision); err != nil {
		return Result{}, err
	}
	caller = caller.unconditional() // the precondition is on the renewed certificate, checked above
	csr, err := domain.ParseCSR(cmd.CSRPEM)
	if err != nil {
		return Result{}, err
	}
	profile, err := h.loadProfile(ctx, old.ProfileName())
	if err != nil {
		return Result{}, err
	}
	ca, err := h.loadCA(ctx, old.CAID())
	if err != nil {
		return Result{}, err
	}
	validity := cmd.ValidityDays
	if validity == 0 {
		validity = old.ValidityDays()
	}
	res, issued, err := h.issueCertificate(ctx, issuance{commandID: cmd.CommandID, certificateID: cmd.NewCertificateID,
		caller: caller, profile: profile, ca: ca, requests: true,
		decide: func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
			return cert.Request(domain.RequestInput{CertificateID: cmd.NewCertificateID.String(), CSR: csr, Profile: profile,
				CA: ca, Team: old.Team(), Owner: old.Owner(), ValidityDays: validity, Renews: old}, caller.Actor, at)
		}})
	if err != nil {
		return res, err
	}
	if issued || res.Replayed {
		return res, h.supersede(ctx, cmd.CommandID, cmd.NewCertificateID, caller)
	}
	return res, nil
}

// checkRenewalRevision applies a renewal's If-Match to the certificate it renews. A retry of a
// renewal that already ran answers as the first run did, although the old certificate has moved
// on since (it is superseded), so the check is skipped once the new certificate exists.
func (h *RenewCertificateHandler) checkRenewalRevision(ctx context.Context, cmd RenewCertificate, old *domain.Certificate, want *uint64) error {
	if want == nil || uint64(old.Version()-1) == *want {
		return nil
	}
	renewal, err := h.load(ctx, events.StreamName(events.CategoryCertificate, cmd.NewCertificateID))
	if err != nil || len(renewal) > 0 {
		return err
	}
	return fmt.Errorf("certificate %s: expected revision %d: %w", cmd.CertificateID, *want, ErrPreconditionFailed)
}
