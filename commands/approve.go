package commands

import (
	"context"
	"time"

	"github.com/certledger/certledger/domain"
)

// ApproveHandler approves pending requests (a Decision); the approval issues the certificate.
type ApproveHandler struct{ caSigner }

// NewApproveHandler is the approval handler; it signs with the CA keys in keys.
func NewApproveHandler(core *Core, keys KeyStore) *ApproveHandler {
	return &ApproveHandler{caSigner{core, keys}}
}

// Handle approves a pending request and issues the certificate at once, under the signing
// rule; a renewal then marks the certificate it replaces as superseded.
func (h *ApproveHandler) Handle(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	res, _, err := h.issueCertificate(ctx, issuance{commandID: cmd.CommandID, certificateID: cmd.CertificateID, caller: caller,
		decide: func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
			return cert.Approve(caller.Actor, at, cmd.Reason)
		}})
	if err != nil {
		return res, err
	}
	return res, h.supersede(ctx, cmd.CommandID, cmd.CertificateID, caller.unconditional())
}
