package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/certledger/certledger/api/wire"
)

// NewSigningKey is the body of CreateSigningKey; SigningPolicy its policy.
type (
	NewSigningKey = wire.CreateSigningKeyRequest
	SigningPolicy = wire.SigningPolicy
	// SigningKey is a signing key as its stream has it.
	SigningKey = wire.SigningKey
	// DigestToSign is the body of SignDigest: an artifact's digest, never the artifact.
	DigestToSign = wire.SignDigestRequest
	// SignatureRequest is a signature request; its Signature and CMS are set once signed.
	SignatureRequest = wire.SignatureRequest
	// PendingSignatures is the list of ListPendingSignatures.
	PendingSignatures = wire.PendingSignatures
)

// CreateSigningKey creates a code-signing key in the HSM with its certificate from a ledger CA.
func (c *Client) CreateSigningKey(ctx context.Context, k NewSigningKey, opts ...RequestOption) (SigningKey, error) {
	var out SigningKey
	return out, c.call(ctx, http.MethodPost, "/signing-keys", nil, k, &out, opts)
}

// GetSigningKey shows a signing key, its certificate, chain and policy.
func (c *Client) GetSigningKey(ctx context.Context, id string, opts ...RequestOption) (SigningKey, error) {
	var out SigningKey
	return out, c.call(ctx, http.MethodGet, "/signing-keys/"+segment(id), nil, nil, &out, opts)
}

// DisableSigningKey disables a key until EnableSigningKey; reason is a note.
func (c *Client) DisableSigningKey(ctx context.Context, id, reason string, opts ...RequestOption) (SigningKey, error) {
	return c.onSigningKey(ctx, id, "disable", wire.Decision{Reason: reason}, opts)
}

// EnableSigningKey enables a disabled key.
func (c *Client) EnableSigningKey(ctx context.Context, id string, opts ...RequestOption) (SigningKey, error) {
	return c.onSigningKey(ctx, id, "enable", wire.Decision{}, opts)
}

// RevokeSigningKey revokes a key's certificate (r.Reason an RFC 5280 reason name); it signs
// nothing more.
func (c *Client) RevokeSigningKey(ctx context.Context, id string, r Revocation, opts ...RequestOption) (SigningKey, error) {
	return c.onSigningKey(ctx, id, "revoke", r, opts)
}

func (c *Client) onSigningKey(ctx context.Context, id, verb string, body wire.Decision, opts []RequestOption) (SigningKey, error) {
	var out SigningKey
	return out, c.call(ctx, http.MethodPost, "/signing-keys/"+segment(id)+"/"+verb, nil, body, &out, opts)
}

// SignDigest asks a key to sign a digest: the answer is signed, or pending_approval (then
// poll GetSignature). Refusals are *Error problems (400, 403, 404, 409, 422).
func (c *Client) SignDigest(ctx context.Context, keyID string, d DigestToSign, opts ...RequestOption) (SignatureRequest, error) {
	var out SignatureRequest
	return out, c.call(ctx, http.MethodPost, "/signing-keys/"+segment(keyID)+"/signatures", nil, d, &out, opts)
}

// GetSignature shows a signature request of a key.
func (c *Client) GetSignature(ctx context.Context, keyID, requestID string, opts ...RequestOption) (SignatureRequest, error) {
	var out SignatureRequest
	return out, c.call(ctx, http.MethodGet, signaturePath(keyID, requestID), nil, nil, &out, opts)
}

// ApproveSignature approves a pending request; the last approval needed signs it.
func (c *Client) ApproveSignature(ctx context.Context, keyID, requestID string, opts ...RequestOption) (SignatureRequest, error) {
	var out SignatureRequest
	return out, c.call(ctx, http.MethodPost, signaturePath(keyID, requestID)+"/approve", nil, wire.Decision{}, &out, opts)
}

// RefuseSignature refuses a pending request, with a reason.
func (c *Client) RefuseSignature(ctx context.Context, keyID, requestID, reason string, opts ...RequestOption) (SignatureRequest, error) {
	var out SignatureRequest
	return out, c.call(ctx, http.MethodPost, signaturePath(keyID, requestID)+"/refuse", nil, wire.Decision{Reason: reason}, &out, opts)
}

func signaturePath(keyID, requestID string) string {
	return "/signing-keys/" + segment(keyID) + "/signatures/" + segment(requestID)
}

// ListPendingSignatures lists the signature requests waiting for approval that the caller may
// read, oldest first, those of keyID alone unless it is "". It reads the read model, which
// may lag a command by a moment.
func (c *Client) ListPendingSignatures(ctx context.Context, keyID string, opts ...RequestOption) (PendingSignatures, error) {
	var q url.Values
	if keyID != "" {
		q = url.Values{"key_id": {keyID}}
	}
	var out PendingSignatures
	return out, c.call(ctx, http.MethodGet, "/pending-signatures", q, nil, &out, opts)
}

// RotateSigningKey replaces a signing key by a new one (a new key in the HSM, a new
// certificate, the same policy) and returns the successor; the old key signs nothing more.
func (c *Client) RotateSigningKey(ctx context.Context, keyID, reason string, opts ...RequestOption) (SigningKey, error) {
	var out SigningKey
	return out, c.call(ctx, http.MethodPost, "/signing-keys/"+segment(keyID)+"/rotate", nil, wire.Decision{Reason: reason}, &out, opts)
}
