package commands

import (
	"context"
	"fmt"

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

// CertifyResponderHandler certifies CAs' OCSP responders: it makes the responder keys in the
// HSM and signs their certificates with the CAs' keys.
type CertifyResponderHandler struct{ caSigner }

// NewCertifyResponderHandler is the responder certification handler; the keys are in keys.
func NewCertifyResponderHandler(core *Core, keys KeyStore) *CertifyResponderHandler {
	return &CertifyResponderHandler{caSigner{core, keys}}
}

// Handle makes sure the responder key exists, then signs the responder certificate with the
// CA's key under the signing rule and records it.
func (h *CertifyResponderHandler) Handle(ctx context.Context, cmd CertifyResponder, caller Caller) (Result, error) {
	ca, err := h.loadCA(ctx, cmd.CAID.String())
	if err != nil {
		return Result{}, err
	}
	stream := events.StreamName(events.CategoryCA, cmd.CAID)
	label := stream + "-ocsp"
	pub, err := h.keys.EnsureKey(ctx, label, ca.KeyType())
	if err != nil {
		return Result{}, fmt.Errorf("OCSP responder key in the HSM: %w", err)
	}
	return h.certifyDelegate(ctx, cmd.CommandID, cmd.CAID, caller, pub, label, (*domain.CA).PrepareResponder, (*domain.CA).CertifyResponder)
}
