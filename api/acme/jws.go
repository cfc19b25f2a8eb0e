package acme

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
)

// allowedAlgs are the JWS algorithms accounts may sign with (RFC 8555 §6.2 asks for ES256 and
// EdDSA; RS256 for RSA keys). "none" and MACs are never accepted.
var allowedAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.EdDSA}

// maxBody bounds a request's JWS.
const maxBody = 64 << 10

// request is a verified ACME POST: its payload (empty for POST-as-GET) and the key that
// signed it, with the account it belongs to when it came by kid.
type request struct {
	payload []byte
	// body is the whole JWS as received.
	body    []byte
	jwk     *jose.JSONWebKey
	account *accountView // nil for a request signed with a jwk (newAccount)
}

// accountView is what the JWS check needs of an account, and the team it acts for.
type accountView struct {
	id, thumbprint, team string
	key                  *jose.JSONWebKey
}

// caller is the actor of the account that signed the request.
func (r *request) caller(c echo.Context, p Provisioner) commands.Caller {
	return caller(c, p, r.account.id, r.account.team)
}

// signedBy is which key an endpoint takes a JWS from.
type signedBy int

const (
	byKID    signedBy = iota // an account's, named by "kid"
	byJWK                    // a "jwk" in the header (newAccount)
	byEither                 // either (revokeCert: the account's or the certificate's key)
)

// verify checks an ACME POST body in the order RFC 8555 §6.2-6.5 asks for, and consumes its
// nonce. mode says whether the endpoint takes a "kid", a "jwk" or either. lookup finds the
// account a kid URL names, nil when there is none.
func (s *Server) verify(ctx context.Context, r *http.Request, url string, mode signedBy,
	lookup func(ctx context.Context, kid string) (*accountView, error)) (*request, error) {
	if ct := r.Header.Get("Content-Type"); ct != "application/jose+json" {
		return nil, malformed("Content-Type must be application/jose+json, not %q", ct)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return nil, malformed("the request body could not be read or is larger than %d bytes", maxBody)
	}
	jws, err := jose.ParseSigned(string(body), allowedAlgs)
	if err != nil {
		return nil, malformed("the body is not a JWS with ES256, RS256 or EdDSA: %v", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, malformed("the JWS must have exactly one signature")
	}
	h := jws.Signatures[0].Protected
	if got, _ := h.ExtraHeaders["url"].(string); got != url {
		return nil, problem(http.StatusUnauthorized, "unauthorized", "the JWS url %q is not the URL requested, %q", got, url)
	}
	ok, err := s.nonces.Consume(ctx, h.Nonce)
	if err != nil {
		return nil, fmt.Errorf("ACME nonce: %w", err)
	}
	if !ok {
		return nil, problem(http.StatusBadRequest, "badNonce", "the nonce was not issued here, was used before or expired")
	}
	req := &request{}
	byJWK := mode == byJWK || (mode == byEither && h.JSONWebKey != nil)
	switch {
	case (h.JSONWebKey == nil) == (h.KeyID == ""):
		return nil, malformed("the JWS must name either a jwk or a kid, not both or neither")
	case byJWK && h.JSONWebKey == nil:
		return nil, malformed("this request must be signed with a jwk and no kid")
	case byJWK:
		if !h.JSONWebKey.Valid() || !h.JSONWebKey.IsPublic() {
			return nil, problem(http.StatusBadRequest, "badPublicKey", "the jwk is not a valid public key")
		}
		req.jwk = h.JSONWebKey
	case h.JSONWebKey != nil:
		return nil, malformed("this request must be signed with the kid of an account and no jwk")
	default:
		acct, err := lookup(ctx, h.KeyID)
		if err != nil {
			return nil, err
		}
		if acct == nil {
			return nil, problem(http.StatusBadRequest, "accountDoesNotExist", "no account %q at this provisioner", h.KeyID)
		}
		req.jwk, req.account = acct.key, acct
	}
	payload, err := jws.Verify(req.jwk)
	if err != nil {
		return nil, malformed("the JWS signature does not verify with the account's key")
	}
	req.payload, req.body = payload, body
	return req, nil
}

// thumbprint is the base64url RFC 7638 SHA-256 thumbprint of a key.
func thumbprint(k *jose.JSONWebKey) (string, error) {
	tp, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("JWK thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// decodePayload decodes a JWS payload into v; an empty payload is malformed here.
func decodePayload(payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return malformed("the JWS payload is not the JSON this request takes: %v", err)
	}
	return nil
}
