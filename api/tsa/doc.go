// Package tsa is the ledger's RFC 3161 time-stamp authority over HTTP (RFC 3161 §3.4):
// POST /tsa/{signing key id} with an application/timestamp-query body, answered with an
// application/timestamp-reply. Any signing key created with usage timestamp (its certificate
// has the critical timeStamping EKU) is a TSA; its id in the path says which.
//
// The route is public, outside /api/v1 like /ocsp: RFC 3161 clients (openssl ts, signtool,
// jarsigner, cosign) send no bearer token, and a token asserts only that an imprint existed at
// a time, revealing nothing and granting nothing. What a request costs is one HSM signature
// and two durable events: every event records the client's address and user agent under the
// subject "anonymous", and Register takes middlewares for a rate limit. (ledgerd's limiter
// classes requests by REST access level, which this route has none of, so it is not limited
// yet.)
//
// Invariants:
//   - Every answer that reaches the handler is HTTP 200 with an application/timestamp-reply
//     body, as RFC 3161 reports its errors inside the response: a wrong content type, a body
//     over tsp.MaxRequestSize or a key id that is not a UUID gets a rejection (badDataFormat,
//     badRequest); a refusal of the command gets its own failure info; any other failure
//     (store, HSM) gets systemFailure and is logged. Nothing is granted without a token whose
//     issuance is on the record.
//   - A refused request appends nothing and signs nothing (commands.IssueTimestamp).
package tsa
