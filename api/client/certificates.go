package client

import (
	"context"
	"net/http"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// CertificateRequest is the body of RequestCertificate.
type CertificateRequest = wire.CertificateRequest

// Certificate is a certificate as its event stream has it. Serial, NotBefore, NotAfter and
// Certificate are empty until it is issued.
type Certificate = wire.Certificate

// RequestCertificate requests a certificate from a CSR. It is issued at once (Status "issued")
// unless the profile needs approval (Status "pending_approval"); a CSR that breaks the profile
// is a 422 *Error listing every violation.
func (c *Client) RequestCertificate(ctx context.Context, r CertificateRequest, opts ...RequestOption) (Certificate, error) {
	var out Certificate
	return out, c.call(ctx, http.MethodPost, "/certificates", nil, r, &out, opts)
}

// GetCertificate shows a certificate as its stream has it.
func (c *Client) GetCertificate(ctx context.Context, id string, opts ...RequestOption) (Certificate, error) {
	var out Certificate
	return out, c.call(ctx, http.MethodGet, "/certificates/"+segment(id), nil, nil, &out, opts)
}

// DownloadCertificate downloads an issued certificate; format is "pem" (or ""), "der", or
// "chain" (PEM: the certificate, then its CA's chain up to the root).
func (c *Client) DownloadCertificate(ctx context.Context, id, format string, opts ...RequestOption) ([]byte, error) {
	return c.download(ctx, "/certificates/"+segment(id)+"/certificate", format, opts)
}

// CertificateHistory returns the events of a certificate's stream, their hash chain verified
// by the server.
func (c *Client) CertificateHistory(ctx context.Context, id string, opts ...RequestOption) (History, error) {
	var out History
	return out, c.call(ctx, http.MethodGet, "/certificates/"+segment(id)+"/history", nil, nil, &out, opts)
}

// Approve approves a pending request, which issues it. It honours IfMatch.
func (c *Client) Approve(ctx context.Context, id, reason string, opts ...RequestOption) (Certificate, error) {
	return c.decide(ctx, id, "approve", Revocation{Reason: reason}, opts)
}

// Reject rejects a pending request. It honours IfMatch.
func (c *Client) Reject(ctx context.Context, id, reason string, opts ...RequestOption) (Certificate, error) {
	return c.decide(ctx, id, "reject", Revocation{Reason: reason}, opts)
}

// Issue issues an approved certificate. It honours IfMatch.
func (c *Client) Issue(ctx context.Context, id string, opts ...RequestOption) (Certificate, error) {
	return c.decide(ctx, id, "issue", Revocation{}, opts)
}

// Revoke revokes a certificate for an RFC 5280 reason (keyCompromise, superseded, …), with an
// invalidity date for keyCompromise when known (nil: none). It honours IfMatch.
func (c *Client) Revoke(ctx context.Context, id, reason string, invalidityDate *time.Time, opts ...RequestOption) (Certificate, error) {
	return c.decide(ctx, id, "revoke", Revocation{Reason: reason, InvalidityDate: invalidityDate}, opts)
}

// decide posts a decision on a certificate and returns the certificate after it.
func (c *Client) decide(ctx context.Context, id, action string, body Revocation, opts []RequestOption) (Certificate, error) {
	var out Certificate
	return out, c.call(ctx, http.MethodPost, "/certificates/"+segment(id)+"/"+action, nil, body, &out, opts)
}

// Renew issues a new certificate from a new PEM CSR in place of the certificate id, which
// becomes superseded, and returns the new one. validityDays 0 leaves it to the server. It
// honours IfMatch (on the old certificate).
func (c *Client) Renew(ctx context.Context, id string, csrPEM []byte, validityDays int, opts ...RequestOption) (Certificate, error) {
	body := wire.RenewalRequest{CSR: string(csrPEM), ValidityDays: validityDays}
	var out Certificate
	return out, c.call(ctx, http.MethodPost, "/certificates/"+segment(id)+"/renew", nil, body, &out, opts)
}
