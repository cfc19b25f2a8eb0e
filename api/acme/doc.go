// Package acme serves RFC 8555 (ACME) per provisioner at /acme/{provisioner}/…: the directory,
// nonces, accounts (External Account Binding, key rollover, deactivation), orders,
// authorizations, http-01, dns-01 and tls-alpn-01 (RFC 8737) challenges validated by the ledger
// itself (Validators), finalize, the certificate chain, revokeCert and renewalInfo (RFC 9773).
// A provisioner is a CA, a profile and the team its accounts act for, or, when it requires EAB,
// the team of each account's key (Provisioner); every order, challenge result, issuance and
// revocation is an event on the ledger's streams, and a certificate is issued by the same
// RequestCertificate command, and revoked by the same revoke command, under the same profile,
// policy and approvals, as over REST.
//
// Invariants:
//   - Every answer, errors included, carries a fresh Replay-Nonce; nonces live in Postgres
//     (adapters/postgres/acmenonces), so each is accepted once across nodes and restarts.
//   - A POST is acted on only after its JWS verified: one signature with ES256, RS256 or EdDSA,
//     a nonce consumed here and now, a "url" header equal to the URL requested, and either a
//     "jwk" (newAccount only) or a "kid" naming an account of this provisioner whose key
//     verifies it. A request failing any of these appends nothing.
//   - An account's actor is "acme:<provisioner>:<account id>" with the DEVOPS role in the
//     account's team, so the domain authorizes ACME requests exactly like a DEVOPS caller. A
//     deactivated account's requests are refused before anything runs.
//   - A provisioner that requires EAB registers only a key whose binding verifies: HS256 by
//     the HMAC key of an EAB key minted for it, over that very key, for the newAccount URL.
//     HMAC keys are derived from a secret (EABKeyring) and never stored.
//   - revokeCert acts only for the account the certificate was issued to, or for a JWS by the
//     certificate's own key.
//   - An identifier the profile refuses is answered rejectedIdentifier at newOrder, before the
//     order is recorded.
//   - Errors are application/problem+json with urn:ietf:params:acme:error:* types.
//
// The routes are not under /api/v1 and not in api/rest's openapi.json: ACME clients find them
// through the directory (RFC 8555 §7.1.1), authenticate by JWS rather than the API's bearer
// tokens, and their bodies are fixed by the RFC, not by the ledger's API; Routes lists them.
//
// Not built yet: asynchronous validation (a challenge is validated while its POST waits, up
// to its Retry's attempts), wildcard and IP identifiers, the orders list of an account.
package acme
