package client

import (
	"context"
	"net/http"
	"time"
)

// Identity is who a request authenticates as.
type Identity struct {
	Subject string   `json:"subject"`
	Roles   []string `json:"roles"`
	Team    string   `json:"team,omitempty"`
}

// Me returns who the client's token authenticates as.
func (c *Client) Me(ctx context.Context, opts ...RequestOption) (Identity, error) {
	var out Identity
	return out, c.call(ctx, http.MethodGet, "/me", nil, nil, &out, opts)
}

// OpenAPI returns the API's OpenAPI 3.1 document.
func (c *Client) OpenAPI(ctx context.Context, opts ...RequestOption) ([]byte, error) {
	resp, err := c.send(ctx, http.MethodGet, "/openapi.json", nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// NewToken is the body of IssueToken. Nobody mints a token above their own role.
type NewToken struct {
	Role string `json:"role"` // VIEWER, DEVOPS, SEC_OPS or ADMIN
	Team string `json:"team,omitempty"`
	// TTL is how long the token lives: a Go duration such as "720h" or a number of days such
	// as "30d"; empty is the server's default (90 days).
	TTL         string `json:"ttl,omitempty"`
	Description string `json:"description,omitempty"`
}

// Token is an API token. Secret holds the token itself only in IssueToken's answer: the ledger
// keeps a hash of it and cannot show it again. ListTokens reads the access read model, whose
// entries carry no revision and no revocation reason.
type Token struct {
	ID               string     `json:"id"`
	Secret           string     `json:"token,omitempty"`
	Role             string     `json:"role"`
	Team             string     `json:"team,omitempty"`
	Description      string     `json:"description,omitempty"`
	IssuedBy         string     `json:"issued_by"`
	IssuedAt         time.Time  `json:"issued_at"`
	ExpiresAt        time.Time  `json:"expires_at"`
	Status           string     `json:"status"` // active, revoked or expired
	RevokedBy        string     `json:"revoked_by,omitempty"`
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevocationReason string     `json:"revocation_reason,omitempty"`
	// Revision is the revision of the token's stream, the value for IfMatch.
	Revision uint64 `json:"revision"`
}

// IssueToken mints an API token. A retry with the same IdempotencyKey is a 409: the first
// secret cannot be shown again.
func (c *Client) IssueToken(ctx context.Context, t NewToken, opts ...RequestOption) (Token, error) {
	var out Token
	return out, c.call(ctx, http.MethodPost, "/tokens", nil, t, &out, opts)
}

// ListTokens lists the API tokens the caller may see, newest first: those it issued, and for
// SEC_OPS and ADMIN every token.
func (c *Client) ListTokens(ctx context.Context, opts ...RequestOption) ([]Token, error) {
	var out struct {
		Items []Token `json:"items"`
	}
	return out.Items, c.call(ctx, http.MethodGet, "/tokens", nil, nil, &out, opts)
}

// GetToken shows an API token, without its secret.
func (c *Client) GetToken(ctx context.Context, id string, opts ...RequestOption) (Token, error) {
	var out Token
	return out, c.call(ctx, http.MethodGet, "/tokens/"+segment(id), nil, nil, &out, opts)
}

// RevokeToken revokes an API token: it authenticates nobody from then on. It honours IfMatch.
func (c *Client) RevokeToken(ctx context.Context, id, reason string, opts ...RequestOption) (Token, error) {
	body := struct {
		Reason string `json:"reason,omitempty"`
	}{reason}
	var out Token
	return out, c.call(ctx, http.MethodPost, "/tokens/"+segment(id)+"/revoke", nil, body, &out, opts)
}
