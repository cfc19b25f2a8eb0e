// Package ocsp is the ledger's RFC 6960 OCSP responder: POST /ocsp and GET /ocsp/{base64}
// (Register), answering for every CA that has a delegated responder certificate, with responses
// signed by that certificate's key (in the HSM in production), SHA-256 (SHA-384 for P-384).
//
// A Responder looks statuses up in its StatusSource (the PKI read model) and caches the signed
// answers; Follow keeps it current from an IssuerSource (CAs and their responder certificates)
// and a RevocationFeed (optionally an IssuanceFeed, whose new certificates it presigns). The
// interfaces are declared here, as the responder needs them; cmd/ledgerd wires the read model
// and the HSM to them. A serial's status is a domain.SerialStatus.
//
// Invariants:
//   - Every answer is HTTP 200 with an application/ocsp-response body: OCSP reports its errors
//     inside the response. A request that is not one well-formed single-certificate request of
//     at most MaxRequestSize bytes, with SHA-1/256/384/512 certificate-id hashes, gets the
//     unsigned malformedRequest; a CA not served (issuer name and key hash must both match)
//     gets unauthorized; a failed look-up gets internalError and is logged. Nothing unsigned
//     ever says good, revoked or unknown.
//   - The certificate id is echoed exactly as the client sent it, and a request's nonce is
//     echoed in the response. A request with a nonce is always signed afresh and never cached.
//   - A cached answer is served only while it is less than half its validity
//     (nextUpdate − thisUpdate) old; RefreshStale re-signs older ones in the background, so
//     cached answers are replaced well before their nextUpdate. Unknown answers are never cached.
//   - A revocation drops the certificate's cached answers as soon as Follow sees it projected
//     (Invalidate) and signs the revoked answer at once, so a revocation is answered as revoked
//     within about one follow interval; until then the previous answer stands.
//   - thisUpdate is the signing time truncated to the second; GET answers carry RFC 5019
//     caching headers (max-age up to nextUpdate, ETag of the DER), POST answers none.
package ocsp
