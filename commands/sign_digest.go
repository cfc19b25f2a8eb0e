package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// SignDigest asks a signing key to sign an artifact's digest. The artifact never reaches the
// ledger. Kind authenticode signs a Windows PE: Content is its SpcIndirectDataContent (from
// `osslsigncode extract-data`) and Digest the PE image hash in it. When the key's policy needs no approval the signature is made in this command;
// otherwise the request waits for its approvals (ApproveSignature).
type SignDigest struct {
	CommandID       uuid.UUID
	RequestID       uuid.UUID
	KeyID           uuid.UUID
	Digest          []byte
	DigestAlgorithm string
	Kind            string
	Content         []byte
	Artifact        string
	Metadata        map[string]string
}

// SignDigestHandler records signature requests and signs those that need no approval.
type SignDigestHandler struct{ caSigner }

// NewSignDigestHandler is the handler; keys holds the signing keys.
func NewSignDigestHandler(core *Core, keys KeyStore) *SignDigestHandler {
	return &SignDigestHandler{caSigner{core, keys}}
}

// Handle checks the request against the key and its policy, records it and, when it needs no
// approval, signs it under the signing rule. A refused request appends nothing.
func (h *SignDigestHandler) Handle(ctx context.Context, cmd SignDigest, caller Caller) (Result, error) {
	in := domain.SignatureInput{RequestID: cmd.RequestID.String(), Digest: cmd.Digest,
		DigestAlgorithm: cmd.DigestAlgorithm, Kind: cmd.Kind, Content: cmd.Content, Artifact: cmd.Artifact, Metadata: cmd.Metadata}
	res, _, err := h.signArtifact(ctx, artifactSigning{commandID: cmd.CommandID, requestID: cmd.RequestID,
		caller: caller, keyID: cmd.KeyID,
		decide: func(r *domain.SignatureRequest, key *domain.SigningKey, at time.Time) ([]domain.Event, error) {
			return r.Request(in, key, caller.Actor, at)
		}})
	return res, err
}
