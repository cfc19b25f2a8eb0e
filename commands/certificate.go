package commands

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
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

// RequestCertificate checks the CSR against the profile, records the request and, when it is
// approved at once, signs the certificate in the HSM and records the issuance.
func (h *Handlers) RequestCertificate(ctx context.Context, cmd RequestCertificate, caller Caller) (Result, error) {
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
	stream := events.StreamName(events.CategoryCertificate, cmd.CertificateID)
	return h.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		cert, err := domain.NewCertificateFromHistory(past)
		if err != nil {
			return nil, err
		}
		requested, err := cert.Request(domain.RequestInput{CertificateID: cmd.CertificateID.String(), CSR: csr,
			Profile: profile, CA: ca, Team: cmd.Team, Owner: cmd.Owner, ValidityDays: cmd.ValidityDays,
			Override: cmd.Override}, caller.Actor, at)
		if err != nil {
			return nil, err
		}
		if err := applyAll(cert, requested); err != nil {
			return nil, err
		}
		if cert.Status() != domain.StatusApproved {
			return requested, nil
		}
		issued, err := h.issue(cert, csr, profile, ca, at)
		return append(requested, issued...), err
	})
}

// issue signs an approved certificate with its CA's HSM key and decides its issuance.
func (h *Handlers) issue(cert *domain.Certificate, csr *domain.CSR, profile *domain.Profile, ca *domain.CA, at time.Time) ([]domain.Event, error) {
	serial, err := domain.NewSerial(rand.Reader)
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := domain.ValidityWindow(at, cert.ValidityDays())
	tmpl, err := domain.IssuanceTemplate(domain.IssuanceInput{Serial: serial, CSR: csr, Profile: profile, Issuer: ca,
		NotBefore: notBefore, NotAfter: notAfter})
	if err != nil {
		return nil, err
	}
	signer, err := h.keys.Signer(ca.HSMKeyLabel())
	if err != nil {
		return nil, fmt.Errorf("CA signing key %s: %w", ca.HSMKeyLabel(), err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Certificate(), csr.PublicKey(), signer)
	if err != nil {
		return nil, fmt.Errorf("sign the certificate in the HSM: %w", err)
	}
	return cert.Issue(der, ca, at)
}

// applyAll folds freshly decided events into the aggregate, for a decision that follows them.
func applyAll(cert *domain.Certificate, decided []domain.Event) error {
	for _, e := range decided {
		if err := cert.Apply(e); err != nil {
			return err
		}
	}
	return nil
}
