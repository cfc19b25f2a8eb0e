package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/certledger/certledger/domain"
)

// OIDCConfig says which issuer's tokens OIDC accepts, and for which audience.
type OIDCConfig struct {
	// Issuer is the issuer URL; a token's "iss" must equal it exactly. Required.
	Issuer string
	// Audience must be one of a token's "aud" values. Required.
	Audience string
	// JWKSURL is where the issuer publishes its signing keys. When empty it is discovered from
	// Issuer + "/.well-known/openid-configuration".
	JWKSURL string
	// ClockSkew is the leeway for "exp", "nbf" and "iat". Zero means 60 s.
	ClockSkew time.Duration
	// RolesClaim names the claim holding the roles. Empty means "roles".
	RolesClaim string
	// TeamClaim names the claim holding the team. Empty means "team".
	TeamClaim string
	// HTTPClient fetches the discovery document and the JWKS. Nil means a client with a 10 s
	// timeout; a client given here should have a timeout too, since a refresh does not end when
	// the request that triggered it is cancelled.
	HTTPClient *http.Client
	// Now is the clock for token times and JWKS refreshes. Nil means time.Now.
	Now func() time.Time
}

// The defaults of OIDCConfig.
const (
	DefaultClockSkew   = 60 * time.Second
	DefaultRolesClaim  = "roles"
	DefaultTeamClaim   = "team"
	DefaultHTTPTimeout = 10 * time.Second
)

// allowedAlgorithms are the only signature algorithms OIDC accepts: asymmetric ones, so neither
// "none" nor an HMAC keyed with a public key can ever verify.
var allowedAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256, jose.ES384, jose.EdDSA,
}

// OIDC authenticates JWTs signed by one OpenID Connect issuer. It is safe for concurrent use.
type OIDC struct {
	config OIDCConfig
	keys   *keySet
}

// NewOIDC checks the configuration, discovers the JWKS URL when none is given and fetches the
// issuer's signing keys. It fails when the issuer cannot be reached or publishes no usable key.
func NewOIDC(ctx context.Context, config OIDCConfig) (*OIDC, error) {
	config, err := withDefaults(config)
	if err != nil {
		return nil, fmt.Errorf("OIDC configuration: %w", err)
	}
	if config.JWKSURL == "" {
		config.JWKSURL, err = discoverJWKSURL(ctx, config.HTTPClient, config.Issuer)
		if err != nil {
			return nil, fmt.Errorf("OIDC issuer %s: %w", config.Issuer, err)
		}
	}
	keys := newKeySet(config.JWKSURL, config.HTTPClient, config.Now)
	if err := keys.load(ctx); err != nil {
		return nil, fmt.Errorf("OIDC issuer %s: %w", config.Issuer, err)
	}
	return &OIDC{config: config, keys: keys}, nil
}

// withDefaults fills in the defaults and rejects what cannot work.
func withDefaults(c OIDCConfig) (OIDCConfig, error) {
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c, fmt.Errorf("issuer %q is not an http(s) URL", c.Issuer)
	}
	if c.Audience == "" {
		return c, errors.New("an audience is required: without one, tokens for any client would pass")
	}
	if c.ClockSkew < 0 {
		return c, fmt.Errorf("clock skew %s is negative", c.ClockSkew)
	}
	if c.ClockSkew == 0 {
		c.ClockSkew = DefaultClockSkew
	}
	if c.RolesClaim == "" {
		c.RolesClaim = DefaultRolesClaim
	}
	if c.TeamClaim == "" {
		c.TeamClaim = DefaultTeamClaim
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// Authenticate verifies a compact JWS JWT and returns the actor it names. Every refusal wraps
// ErrInvalidToken with the reason.
func (o *OIDC) Authenticate(ctx context.Context, token string) (domain.Actor, error) {
	parsed, err := jwt.ParseSigned(token, allowedAlgorithms)
	if err != nil {
		var unexpected *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &unexpected) {
			return domain.Actor{}, invalidf("algorithm not allowed: %q", unexpected.Got)
		}
		return domain.Actor{}, invalidf("malformed token: %w", err)
	}
	header := parsed.Headers[0] // a compact JWS has exactly one signature
	key, err := o.keys.find(ctx, header.KeyID, jose.SignatureAlgorithm(header.Algorithm))
	if err != nil {
		return domain.Actor{}, err
	}
	// Claims without destinations only verifies the signature.
	if err := parsed.Claims(key); err != nil {
		return domain.Actor{}, invalidf("signature invalid: %w", err)
	}
	// The payload was verified just above; decode it now.
	var registered jwt.Claims
	var all map[string]any
	if err := parsed.UnsafeClaimsWithoutVerification(&registered, &all); err != nil {
		return domain.Actor{}, invalidf("malformed claims: %w", err)
	}
	return o.actorFrom(registered, all)
}
