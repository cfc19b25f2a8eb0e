package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// CertifySCEPRA gives a CA a SCEP RA certificate (RFC 8894 §2.1), with its RSA key in the HSM
// under "ca-<id>-scep-ra": SCEP clients encrypt their requests to it, and it signs the answers.
type CertifySCEPRA struct {
	CommandID uuid.UUID
	CAID      uuid.UUID
}

// CertifySCEPRAHandler certifies CAs' SCEP RAs: it makes the RA keys in the HSM (RSA keys that
// decrypt, unlike every other key of the ledger) and signs their certificates with the CAs' keys.
type CertifySCEPRAHandler struct{ caSigner }

// NewCertifySCEPRAHandler is the SCEP RA certification handler; the keys are in keys.
func NewCertifySCEPRAHandler(core *Core, keys KeyStore) *CertifySCEPRAHandler {
	return &CertifySCEPRAHandler{caSigner{core, keys}}
}

// Handle makes sure the RA key exists, then signs the RA certificate with the CA's key under
// the signing rule and records it.
func (h *CertifySCEPRAHandler) Handle(ctx context.Context, cmd CertifySCEPRA, caller Caller) (Result, error) {
	stream := events.StreamName(events.CategoryCA, cmd.CAID)
	label := stream + "-scep-ra"
	pub, err := h.keys.EnsureTransportKey(ctx, label)
	if err != nil {
		return Result{}, fmt.Errorf("SCEP RA key in the HSM: %w", err)
	}
	return h.certifyDelegate(ctx, cmd.CommandID, cmd.CAID, caller, pub, label, (*domain.CA).PrepareSCEPRA, (*domain.CA).CertifySCEPRA)
}

// SCEPRA is a CA's SCEP RA: its certificate and the HSM label of its key.
type SCEPRA struct {
	CertificateDER []byte
	KeyLabel       string
}

// Ensure returns the CA's SCEP RA, certifying one first when it has none or less than
// domain.SCEPRARenewBefore of it is left. Concurrent calls on one state run one command.
func (h *CertifySCEPRAHandler) Ensure(ctx context.Context, caID uuid.UUID, caller Caller) (SCEPRA, error) {
	for range 2 {
		ca, err := h.loadCA(ctx, caID.String())
		if err != nil {
			return SCEPRA{}, err
		}
		der, label, notAfter, ok := ca.SCEPRA()
		if ok && time.Until(notAfter) > domain.SCEPRARenewBefore {
			return SCEPRA{CertificateDER: der, KeyLabel: label}, nil
		}
		if _, err := h.Handle(ctx, CertifySCEPRA{CommandID: uuid.NewSHA1(caID, fmt.Appendf(nil, "scep-ra after %x", der)), CAID: caID}, caller); err != nil {
			return SCEPRA{}, fmt.Errorf("certify the SCEP RA of CA %s: %w", caID, err)
		}
	}
	return SCEPRA{}, fmt.Errorf("CA %s: the SCEP RA certified just now is not valid for %s", caID, domain.SCEPRARenewBefore)
}
