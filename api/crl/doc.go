// Package crl builds and serves each CA's certificate revocation lists (RFC 5280 §5): a complete
// CRL and a delta CRL per CA, as DER at /crl/{ca}.crl and PEM at /crl/{ca}.pem (the delta at
// /crl/{ca}/delta.crl), and, for a CA with Issuer.Partitions, partition CRLs carrying an
// Issuing Distribution Point at /crl/{ca}/p{k}.crl (BuildPartition builds one alone).
//
// A Service learns of revocations by polling its Source (the CRL read model) for revocations
// after the last position it saw; the poll interval debounces rebuilds. For every CA it keeps a
// Builder holding the CA's revoked entries already DER-encoded, sorted by serial number, in
// chunks of about 32 KiB of concatenated encodings (about 4 bytes of overhead per entry).
//
// Invariants:
//   - CRL numbers never go back: every CRL takes the next number of its CA from the NumberStore,
//     which Postgres persists, so numbers strictly increase across rebuilds and restarts.
//     Complete and delta CRLs of a CA share one sequence (RFC 5280 §5.2.3).
//   - Every entry is encoded once, when its revocation arrives; building a CRL copies the cached
//     chunks, encodes the TBSCertList header and extensions, and makes ONE signature. So one
//     revocation costs one encoding, a merge into one chunk and a rebuild that copies and hashes
//     bytes — no per-entry work, no re-encoding, no read of the read model beyond the new
//     revocations. A delta CRL's cost hardly depends on the size of the complete CRL.
//   - An entry, once listed, is never dropped: certificates stay listed after they expire
//     (RFC 5280 allows removing them; keeping them is simple and always correct). A revocation
//     that cannot be encoded (no serial, reason removeFromCRL) is logged as an error and skipped.
//   - A delta CRL lists every entry added since its base, the complete CRL named in its Delta
//     CRL Indicator; the base moves only when the complete CRL is refreshed on schedule (half
//     its validity), so a client holding any complete CRL numbered at or above the base can
//     apply the current delta.
//   - A CRL is published only whole: readers see the previous CRL until the next one is signed.
//
// The Source (read model, optionally a PositionSource) and NumberStore are interfaces declared
// here; PostgresNumbers is the NumberStore used in production. The CA's key is a crypto.Signer,
// in the HSM in production.
package crl
