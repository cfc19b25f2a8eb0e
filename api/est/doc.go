// Package est serves Enrollment over Secure Transport (RFC 7030) at /.well-known/est/: cacerts,
// simpleenroll, simplereenroll and csrattrs, for the default label and for each named label at
// /.well-known/est/{label}/…. A label is a CA and a profile (Label); the team a certificate is
// for is the authenticated caller's, so EST issues under the same profile, policy and approvals
// as REST, through the ledger's one RequestCertificate (enroll) and RenewCertificate (re-enroll)
// commands.
//
// Invariants:
//   - First enrollment is authenticated by HTTP Basic (the password is a ledger API token; the
//     user name is ignored) or a bearer token, and needs an actor bound to a team. Re-enrollment is
//     authenticated by the TLS client certificate being renewed: one the ledger issued and still
//     holds as issued; the CSR's subject and DNS names equal the certificate's (RFC 7030 §4.2.2).
//   - The certificate's id and the command's id are derived from the label, the team and the
//     CSR, so a client repeating a request (as RFC 7030 §4.2.3 asks after a 202) gets the same
//     certificate, never a second one; a request waiting for approval answers 202 with
//     Retry-After.
//   - Answers are what RFC 7030 §4 fixes: certs-only CMS (application/pkcs7-mime) in base64 with
//     Content-Transfer-Encoding: base64. Errors are text/plain with a reason, and a request that
//     fails before its command ran appends nothing.
//
// The routes are not under /api/v1 and not in api/rest's openapi.json: their paths and bodies
// are the RFC's, and their clients find them by the well-known prefix; Routes lists them.
package est
