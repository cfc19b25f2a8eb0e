package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
)

// minRSABits is the smallest RSA modulus accepted for a signing key.
const minRSABits = 2048

// errUnknownSigningKey marks a token whose key is not in the key set, which may warrant a
// refresh of the set.
var errUnknownSigningKey = errors.New("unknown signing key")

// signingKey is a public key the issuer publishes for verifying token signatures.
type signingKey struct {
	id        string                  // the JWK's "kid"; may be empty
	algorithm jose.SignatureAlgorithm // the JWK's "alg"; empty when the key does not restrict it
	public    crypto.PublicKey        // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
}

// fetchSigningKeys GETs a JWKS and returns its usable signing keys. Keys that cannot be parsed,
// that are not for signatures ("use" other than "sig"), that are private or symmetric, or that
// are too weak are ignored; a set without a single usable key is an error.
func fetchSigningKeys(ctx context.Context, client *http.Client, url string) ([]signingKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := getJSON(ctx, client, url, &set); err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	var keys []signingKey
	for _, raw := range set.Keys {
		if key, ok := usableSigningKey(raw); ok {
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("JWKS %s: no usable signing key among its %d keys", url, len(set.Keys))
	}
	return keys, nil
}

// usableSigningKey parses one JWK and reports whether it may verify token signatures.
func usableSigningKey(raw json.RawMessage) (signingKey, bool) {
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(raw, &jwk); err != nil || !jwk.Valid() {
		return signingKey{}, false
	}
	if jwk.Use != "" && jwk.Use != "sig" {
		return signingKey{}, false
	}
	switch public := jwk.Key.(type) {
	case *rsa.PublicKey:
		if public.N.BitLen() < minRSABits {
			return signingKey{}, false
		}
	case *ecdsa.PublicKey, ed25519.PublicKey:
	default: // private, symmetric or unsupported keys never verify a token
		return signingKey{}, false
	}
	return signingKey{id: jwk.KeyID, algorithm: jose.SignatureAlgorithm(jwk.Algorithm), public: jwk.Key}, true
}

// verifies reports whether the key can check a signature made with alg.
func (k signingKey) verifies(alg jose.SignatureAlgorithm) bool {
	if k.algorithm != "" && k.algorithm != alg {
		return false
	}
	switch public := k.public.(type) {
	case *rsa.PublicKey:
		return alg == jose.RS256 || alg == jose.RS384 || alg == jose.RS512 || alg == jose.PS256
	case *ecdsa.PublicKey:
		return (alg == jose.ES256 && public.Curve == elliptic.P256()) ||
			(alg == jose.ES384 && public.Curve == elliptic.P384())
	case ed25519.PublicKey:
		return alg == jose.EdDSA
	}
	return false
}

// selectKey picks the key that verifies a token with key id kid and algorithm alg. A token
// without a key id is accepted only when exactly one key fits its algorithm.
func selectKey(keys []signingKey, kid string, alg jose.SignatureAlgorithm) (crypto.PublicKey, error) {
	var fitting []signingKey
	for _, k := range keys {
		if (kid == "" || k.id == kid) && k.verifies(alg) {
			fitting = append(fitting, k)
		}
	}
	switch {
	case len(fitting) == 0 && kid == "":
		return nil, invalidf("%w: the token has no key id and no key fits %s", errUnknownSigningKey, alg)
	case len(fitting) == 0:
		return nil, invalidf("%w %q for %s", errUnknownSigningKey, kid, alg)
	case len(fitting) > 1 && kid == "":
		return nil, invalidf("the token has no key id and %d keys fit %s", len(fitting), alg)
	}
	return fitting[0].public, nil
}
