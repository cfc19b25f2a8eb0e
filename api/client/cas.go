package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/certledger/certledger/api/wire"
)

// NewCA is the body of CreateCA.
type NewCA = wire.CreateCARequest

// CA is a CA as its event stream has it (create, show, revoke).
type CA = wire.CA

// CAEntry is a CA as the inventory (the PKI read model) lists it.
type CAEntry = wire.CAListItem

// Revocation is the body of the revoke routes and of the other decisions on a certificate.
type Revocation = wire.Decision

// CreateCA creates a root CA, or an intermediate under ca.ParentID; its key is made in the HSM.
func (c *Client) CreateCA(ctx context.Context, ca NewCA, opts ...RequestOption) (CA, error) {
	var out CA
	return out, c.call(ctx, http.MethodPost, "/cas", nil, ca, &out, opts)
}

// ListCAs lists the CAs of the inventory.
func (c *Client) ListCAs(ctx context.Context, opts ...RequestOption) ([]CAEntry, error) {
	var out wire.CAList
	return out.Items, c.call(ctx, http.MethodGet, "/cas", nil, nil, &out, opts)
}

// GetCA shows a CA as its stream has it.
func (c *Client) GetCA(ctx context.Context, id string, opts ...RequestOption) (CA, error) {
	var out CA
	return out, c.call(ctx, http.MethodGet, "/cas/"+segment(id), nil, nil, &out, opts)
}

// CACertificate downloads a CA certificate; format is "pem" (or "") or "der". It needs no token.
func (c *Client) CACertificate(ctx context.Context, id, format string, opts ...RequestOption) ([]byte, error) {
	return c.download(ctx, "/cas/"+segment(id)+"/certificate", format, opts)
}

// CAChain downloads a CA's certificate and its parents' up to the root, as PEM. It needs no
// token.
func (c *Client) CAChain(ctx context.Context, id string, opts ...RequestOption) ([]byte, error) {
	return c.download(ctx, "/cas/"+segment(id)+"/chain", "", opts)
}

// CAHistory returns the events of a CA's stream, their hash chain verified by the server.
func (c *Client) CAHistory(ctx context.Context, id string, opts ...RequestOption) (History, error) {
	var out History
	return out, c.call(ctx, http.MethodGet, "/cas/"+segment(id)+"/history", nil, nil, &out, opts)
}

// RevokeCA revokes a CA: its parent's CRL lists it and it issues nothing more. It honours IfMatch.
func (c *Client) RevokeCA(ctx context.Context, id string, r Revocation, opts ...RequestOption) (CA, error) {
	var out CA
	return out, c.call(ctx, http.MethodPost, "/cas/"+segment(id)+"/revoke", nil, r, &out, opts)
}

// download fetches a certificate file in a format ("" for the server's default).
func (c *Client) download(ctx context.Context, path, format string, opts []RequestOption) ([]byte, error) {
	var q url.Values
	if format != "" {
		q = url.Values{"format": {format}}
	}
	resp, err := c.send(ctx, http.MethodGet, path, q, nil, opts)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}
