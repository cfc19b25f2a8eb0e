package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// ApproveSignature is one approval of a pending signature request; the approval that
// completes the policy's M signs it.
type ApproveSignature struct {
	CommandID uuid.UUID
	RequestID uuid.UUID
}

// ApproveSignatureHandler approves signature requests and signs those it completes.
type ApproveSignatureHandler struct{ caSigner }

// NewApproveSignatureHandler is the handler; keys holds the signing keys.
func NewApproveSignatureHandler(core *Core, keys KeyStore) *ApproveSignatureHandler {
	return &ApproveSignatureHandler{caSigner{core, keys}}
}

// Handle records the approval and, when it is the last one needed, signs under the rule.
func (h *ApproveSignatureHandler) Handle(ctx context.Context, cmd ApproveSignature, caller Caller) (Result, error) {
	res, _, err := h.signArtifact(ctx, artifactSigning{commandID: cmd.CommandID, requestID: cmd.RequestID, caller: caller,
		decide: func(r *domain.SignatureRequest, key *domain.SigningKey, at time.Time) ([]domain.Event, error) {
			return r.Approve(key, caller.Actor, at)
		}})
	return res, err
}
