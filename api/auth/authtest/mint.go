package authtest

import (
	"crypto/ecdsa"
	"maps"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// DefaultExpiresIn is the lifetime of a minted token when Claims.ExpiresIn is zero.
const DefaultExpiresIn = 5 * time.Minute

// Claims describe a token to mint. "iss" is always the issuer's URL and "iat" the current
// time, unless Extra overrides them.
type Claims struct {
	Subject  string   // "sub"; omitted when empty
	Audience []string // "aud"; omitted when empty
	Roles    []string // "roles" as a JSON array; omitted when nil
	Team     string   // "team"; omitted when empty
	// ExpiresIn sets "exp" relative to now: zero means DefaultExpiresIn, a negative value gives
	// a token that has already expired.
	ExpiresIn time.Duration
	NotBefore time.Time // "nbf"; omitted when zero
	// Extra claims are set last and override the others; a nil value removes a claim.
	Extra map[string]any
}

// Mint returns a compact JWS signed with the issuer's current key, with its key id.
func (i *Issuer) Mint(t testing.TB, c Claims) string {
	t.Helper()
	i.mu.Lock()
	key, kid := i.key, i.keyID()
	i.mu.Unlock()
	return sign(t, key, kid, i.claimsSet(c))
}

// MintWithoutKeyID is Mint without a "kid" header.
func (i *Issuer) MintWithoutKeyID(t testing.TB, c Claims) string {
	t.Helper()
	i.mu.Lock()
	key := i.key
	i.mu.Unlock()
	return sign(t, key, "", i.claimsSet(c))
}

// Forge returns a token that claims the issuer's current key id but is signed with another
// key: a verifier must refuse its signature.
func (i *Issuer) Forge(t testing.TB, c Claims) string {
	t.Helper()
	i.mu.Lock()
	kid := i.keyID()
	i.mu.Unlock()
	return sign(t, newKey(t), kid, i.claimsSet(c))
}

// claimsSet turns c into the JSON claims of a token.
func (i *Issuer) claimsSet(c Claims) map[string]any {
	now := time.Now()
	expiresIn := c.ExpiresIn
	if expiresIn == 0 {
		expiresIn = DefaultExpiresIn
	}
	set := map[string]any{
		"iss": i.URL(),
		"iat": now.Unix(),
		"exp": now.Add(expiresIn).Unix(),
	}
	if c.Subject != "" {
		set["sub"] = c.Subject
	}
	if len(c.Audience) > 0 {
		set["aud"] = c.Audience
	}
	if c.Roles != nil {
		set["roles"] = c.Roles
	}
	if c.Team != "" {
		set["team"] = c.Team
	}
	if !c.NotBefore.IsZero() {
		set["nbf"] = c.NotBefore.Unix()
	}
	maps.Copy(set, c.Extra)
	maps.DeleteFunc(set, func(_ string, v any) bool { return v == nil })
	return set
}

// sign serializes claims as a compact ES256 JWS, with kid in the header when it is not empty.
func sign(t testing.TB, key *ecdsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	signingKey := jose.SigningKey{Algorithm: jose.ES256, Key: key}
	if kid != "" {
		signingKey.Key = jose.JSONWebKey{Key: key, KeyID: kid}
	}
	signer, err := jose.NewSigner(signingKey, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatalf("authtest: creating a signer: %v", err)
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatalf("authtest: signing a token: %v", err)
	}
	return token
}
