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

// CertifyResponder gives a CA a new delegated OCSP responder certificate, with its key in the
// HSM under "ca-<id>-ocsp". CreateCA runs it for every new CA; it is run again before the
// responder certificate expires.
type CertifyResponder struct {
	CommandID uuid.UUID
	CAID      uuid.UUID
}

// CertifyResponder signs the responder certificate with the CA's key and records it.
func (h *Handlers) CertifyResponder(ctx context.Context, cmd CertifyResponder, caller Caller) (Result, error) {
	stream := events.StreamName(events.CategoryCA, cmd.CAID)
	label := stream + "-ocsp"
	return h.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		ca, err := domain.NewCAFromHistory(past)
		if err != nil {
			return nil, err
		}
		if !ca.Exists() {
			return nil, &domain.Error{Kind: domain.KindNotFound, Message: "CA " + cmd.CAID.String() + " does not exist"}
		}
		pub, err := h.keys.EnsureKey(ctx, label, ca.KeyType())
		if err != nil {
			return nil, fmt.Errorf("OCSP responder key in the HSM: %w", err)
		}
		serial, err := domain.NewSerial(rand.Reader)
		if err != nil {
			return nil, err
		}
		tmpl, err := domain.ResponderTemplate(ca, serial, pub, at)
		if err != nil {
			return nil, err
		}
		signer, err := h.keys.Signer(ca.HSMKeyLabel())
		if err != nil {
			return nil, fmt.Errorf("CA signing key %s: %w", ca.HSMKeyLabel(), err)
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Certificate(), pub, signer)
		if err != nil {
			return nil, fmt.Errorf("sign the OCSP responder certificate in the HSM: %w", err)
		}
		return ca.CertifyResponder(der, label, at)
	})
}
