package client

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// NewCA is the body of CreateCA.
type NewCA struct {
	Name         string `json:"name"`
	CommonName   string `json:"common_name"`
	KeyAlgorithm string `json:"key_algorithm"` // ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096, ed25519
	// ParentID makes an intermediate CA signed by that CA; empty makes a root.
	ParentID string `json:"parent_id,omitempty"`
	// ValidityDays defaults to 3650 for a root and 1825 for an intermediate.
	ValidityDays int  `json:"validity_days,omitempty"`
	PathLen      *int `json:"path_len,omitempty"`
	// CRLPartitions (2–256) splits the CA's CRL into partitions; 0 means one CRL.
	CRLPartitions int `json:"crl_partitions,omitempty"`
}

// CA is a CA as its event stream has it (create, show, revoke).
type CA struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	CommonName   string    `json:"common_name"`
	KeyAlgorithm string    `json:"key_algorithm"`
	ParentID     string    `json:"parent_id,omitempty"`
	Status       string    `json:"status"`
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	// KeyLabel names the CA's key pair in the HSM; shown to SEC_OPS and ADMIN only.
	KeyLabel      string `json:"key_label,omitempty"`
	CRLPartitions int    `json:"crl_partitions,omitempty"`
	Certificate   string `json:"certificate"` // PEM
	// Revision is the revision of the CA's stream, the value for IfMatch.
	Revision uint64 `json:"revision"`
}

// CAEntry is a CA as the inventory (the PKI read model) lists it.
type CAEntry struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	CommonName        string     `json:"common_name"`
	KeyType           string     `json:"key_type"`
	KeyLabel          string     `json:"key_label,omitempty"`
	ParentID          string     `json:"parent_id,omitempty"`
	Status            string     `json:"status"`
	Serial            string     `json:"serial"`
	NotBefore         time.Time  `json:"not_before"`
	NotAfter          time.Time  `json:"not_after"`
	ResponderSerial   string     `json:"responder_serial,omitempty"`
	ResponderNotAfter *time.Time `json:"responder_not_after,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	RevokedAt         *time.Time `json:"revoked_at,omitempty"`
	RevocationReason  *int       `json:"revocation_reason,omitempty"` // RFC 5280 CRLReason code
	CRLPartitions     int        `json:"crl_partitions,omitempty"`
	CRLURL            string     `json:"crl_url"`
	Position          int64      `json:"position"`
}

// Revocation is the body of the revoke routes.
type Revocation struct {
	// Reason is an RFC 5280 reason name, such as keyCompromise or cACompromise.
	Reason string `json:"reason"`
	// InvalidityDate, allowed with keyCompromise, is when the key is known to have been
	// compromised.
	InvalidityDate *time.Time `json:"invalidity_date,omitempty"`
}

// CreateCA creates a root CA, or an intermediate under ca.ParentID; its key is made in the HSM.
func (c *Client) CreateCA(ctx context.Context, ca NewCA, opts ...RequestOption) (CA, error) {
	var out CA
	return out, c.call(ctx, http.MethodPost, "/cas", nil, ca, &out, opts)
}

// ListCAs lists the CAs of the inventory.
func (c *Client) ListCAs(ctx context.Context, opts ...RequestOption) ([]CAEntry, error) {
	var out struct {
		Items []CAEntry `json:"items"`
	}
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
