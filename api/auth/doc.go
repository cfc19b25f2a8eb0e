// Package auth authenticates callers of the REST API: it turns a bearer token or a TLS client
// certificate into the domain.Actor that the domain's policies authorize.
//
// Three kinds of credential exist, and Chain sends each bearer token to exactly one authenticator
// by its shape:
//   - an API token ("clt_…") goes to the API token store;
//   - a JWT (exactly two dots) goes to OIDC, which verifies it against the issuer's JWKS;
//   - anything else goes to the static tokens (such as the bootstrap ADMIN token).
//
// ClientCertificates authenticates a verified TLS client certificate that the ledger itself
// issued and that is still in the "issued" state.
//
// Invariants:
//   - A token is never tried against a second authenticator after the first one refused it.
//   - Every refusal wraps ErrInvalidToken and names the reason ("token expired", "audience
//     mismatch", "unknown signing key", …): the server logs the reason, the client only ever
//     learns that its credential is not valid.
//   - OIDC accepts only asymmetric signatures (RS256, RS384, RS512, PS256, ES256, ES384,
//     EdDSA): never "none", never HMAC, never a key the JWKS does not publish for signing.
//   - An OIDC token must carry the configured issuer, the configured audience, an expiry and a
//     subject; times are checked with the configured clock skew.
//   - Roles come from the roles claim; names the domain does not know are ignored, so a token
//     without a known role authenticates an actor that may do nothing.
//   - The JWKS is fetched when the verifier is built (an unreachable issuer or an empty key set
//     fails start-up), again on first use after JWKSMaxAge, and on an unknown key id at most
//     once per JWKSMinRefreshInterval, so forged key ids cannot make the ledger hammer the
//     issuer. A failed refresh keeps the keys already known.
//   - A TLS client certificate authenticates only when the handshake verified it and the ledger
//     knows it, by SHA-256 fingerprint, as issued; revoked, superseded, expired and unknown
//     certificates are refused.
package auth
