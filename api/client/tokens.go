package client

import (
	"context"
	"net/http"

	"github.com/certledger/certledger/api/wire"
)

// Identity is who a request authenticates as.
type Identity = wire.Me

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
type NewToken = wire.TokenRequest

// Token is an API token as its stream has it. Secret holds the token itself only in
// IssueToken's answer: the ledger keeps a hash of it and cannot show it again.
type Token = wire.Token

// TokenEntry is an API token as the access read model lists it: no secret, revision or
// revocation reason.
type TokenEntry = wire.TokenListItem

// IssueToken mints an API token. A retry with the same IdempotencyKey is a 409: the first
// secret cannot be shown again.
func (c *Client) IssueToken(ctx context.Context, t NewToken, opts ...RequestOption) (Token, error) {
	var out Token
	return out, c.call(ctx, http.MethodPost, "/tokens", nil, t, &out, opts)
}

// ListTokens lists the API tokens the caller may see, newest first: those it issued, and for
// SEC_OPS and ADMIN every token.
func (c *Client) ListTokens(ctx context.Context, opts ...RequestOption) ([]TokenEntry, error) {
	var out wire.TokenList
	return out.Items, c.call(ctx, http.MethodGet, "/tokens", nil, nil, &out, opts)
}

// GetToken shows an API token, without its secret.
func (c *Client) GetToken(ctx context.Context, id string, opts ...RequestOption) (Token, error) {
	var out Token
	return out, c.call(ctx, http.MethodGet, "/tokens/"+segment(id), nil, nil, &out, opts)
}

// RevokeToken revokes an API token: it authenticates nobody from then on. It honours IfMatch.
func (c *Client) RevokeToken(ctx context.Context, id, reason string, opts ...RequestOption) (Token, error) {
	body := wire.TokenRevocationRequest{Reason: reason}
	var out Token
	return out, c.call(ctx, http.MethodPost, "/tokens/"+segment(id)+"/revoke", nil, body, &out, opts)
}
