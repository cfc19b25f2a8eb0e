package commands

import "context"

// IssueHandler issues certificates that are approved but not issued yet (a Decision whose
// Reason is unused).
type IssueHandler struct{ caSigner }

// NewIssueHandler is the issue handler; it signs with the CA keys in keys.
func NewIssueHandler(core *Core, keys KeyStore) *IssueHandler {
	return &IssueHandler{caSigner{core, keys}}
}

// Handle signs an approved certificate under the signing rule and records it; a renewal then
// marks the certificate it replaces as superseded.
func (h *IssueHandler) Handle(ctx context.Context, cmd Decision, caller Caller) (Result, error) {
	res, _, err := h.issueCertificate(ctx, issuance{commandID: cmd.CommandID, certificateID: cmd.CertificateID, caller: caller})
	if err != nil {
		return res, err
	}
	return res, h.supersede(ctx, cmd.CommandID, cmd.CertificateID, caller.unconditional())
}
