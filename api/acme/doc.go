// Package acme serves RFC 8555 (ACME) per provisioner at /acme/{provisioner}/…: the directory,
// nonces, accounts, orders, authorizations, http-01 challenges validated by the ledger itself,
// finalize and the certificate chain. A provisioner is a CA, a profile and the team its
// accounts act for (Provisioner); every order, challenge result and issuance is an event on
// the ledger's streams, and a certificate is issued by the same RequestCertificate command, under
// the same profile, policy and approvals, as over REST.
//
// Invariants:
//   - Every answer, errors included, carries a fresh Replay-Nonce; nonces live in Postgres
//     (adapters/postgres/acmenonces), so each is accepted once across nodes and restarts.
//   - A POST is acted on only after its JWS verified: one signature with ES256, RS256 or EdDSA,
//     a nonce consumed here and now, a "url" header equal to the URL requested, and either a
//     "jwk" (newAccount only) or a "kid" naming an account of this provisioner whose key
//     verifies it. A request failing any of these appends nothing.
//   - An account's actor is "acme:<provisioner>:<account id>" with the DEVOPS role in the
//     provisioner's team, so the domain authorizes ACME requests exactly like a DEVOPS caller.
//   - An identifier the profile refuses is answered rejectedIdentifier at newOrder, before the
//     order is recorded.
//   - Errors are application/problem+json with urn:ietf:params:acme:error:* types.
//
// The routes are not under /api/v1 and not in api/rest's openapi.json: ACME clients find them
// through the directory (RFC 8555 §7.1.1), authenticate by JWS rather than the API's bearer
// tokens, and their bodies are fixed by the RFC, not by the ledger's API; Routes lists them.
//
// Not built yet: External Account Binding (so far any client that reaches a provisioner can
// register an account for its team), key rollover, account deactivation, revokeCert,
// renewalInfo, dns-01 and tls-alpn-01, asynchronous validation.
package acme
