package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// RequestCertificate asks a CA for a certificate under a profile. When the profile needs no
// approval (or the requester may approve automatically) the certificate is issued in the same
// command.
type RequestCertificate struct {
	CommandID     uuid.UUID
	CertificateID uuid.UUID
	CAID          string
	Profile       string
	CSRPEM        []byte
	Team, Owner   string
	ValidityDays  int
	Override      bool
}

// RequestCertificateHandler records certificate requests and issues those approved at once.
type RequestCertificateHandler struct{ caSigner }

// NewRequestCertificateHandler is the request handler; it signs with the CA keys in keys.
func NewRequestCertificateHandler(core *Core, keys KeyStore) *RequestCertificateHandler {
	return &RequestCertificateHandler{caSigner{core, keys}}
}

// Handle checks the CSR against the profile, records the request and, when it is approved at
// once, signs the certificate in the HSM under the signing rule and records the issuance.
func (h *RequestCertificateHandler) Handle(ctx context.Context, cmd RequestCertificate, caller Caller) (Result, error) {
	csr, err := domain.ParseCSR(cmd.CSRPEM)
	if err != nil {
		return Result{}, err
	}
	profile, err := h.loadProfile(ctx, cmd.Profile)
	if err != nil {
		return Result{}, err
	}
	ca, err := h.loadCA(ctx, cmd.CAID)
	if err != nil {
		return Result{}, err
	}
	res, _, err := h.issueCertificate(ctx, issuance{commandID: cmd.CommandID, certificateID: cmd.CertificateID,
		caller: caller, profile: profile, ca: ca, requests: true,
		decide: func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
			return cert.Request(domain.RequestInput{CertificateID: cmd.CertificateID.String(), CSR: csr,
				Profile: profile, CA: ca, Team: cmd.Team, Owner: cmd.Owner, ValidityDays: cmd.ValidityDays,
				Override: cmd.Override}, caller.Actor, at)
		}})
	return res, err
}
