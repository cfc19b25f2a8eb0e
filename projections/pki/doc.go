// Package pki is the PKI read model: the projection "pki" turns CA, profile and certificate
// events into the tables of the schema rm_pki, and Queries answers the inventory, the OCSP
// responder and the CRL builder from them.
//
// # Tables (schema rm_pki)
//
//   - cas: one row per CA, with its certificate, its current delegated OCSP responder and its
//     revocation.
//   - profiles: one row per certificate profile, its current spec as jsonb and its version (the
//     number of definitions and updates).
//   - certificates: one row per certificate request, from CertificateRequested on. The columns
//     that describe the issued certificate (serial, validity, key size, signature algorithm,
//     fingerprint, PEM, SANs) are parsed from the DER recorded by CertificateIssued.
//   - revocations: one row per revoked certificate and per revoked intermediate CA (its serial
//     under its parent's id), keyed by (ca_id, serial), for CRLs and OCSP cache invalidation;
//     also one per voided signature (SignatureVoided: a serial the CA key may have signed that
//     the ledger never recorded as valid, not an artifact signature), with reason
//     cessationOfOperation, and one per revoked signing key certificate (SigningKeyRevoked).
//   - signing_intents: one row per SigningStarted (the intent a command appends before a CA
//     key signs) until the signature is recorded or voided, keyed by (ca_id, serial), for the
//     sweep that voids intents an outage left open (StaleSignings). An intent closed in the
//     batch that opened it never reaches the table.
//   - expiry_warnings: one row per CertificateExpiryWarned, keyed by (certificate_id,
//     days_before), so that the sweep of warnings due (ExpiryWarningsDue) does not ask for one
//     twice; the warning changes no certificate row.
//   - renewals: one row per certificate whose RenewalDue is recorded: its mode, due time, state
//     (due, failed after a RenewalFailed with its attempts, last error and next attempt, renewed
//     once CertificateRenewed names its successor). certificates.renew_at is when an issued
//     certificate's renewal falls due under its profile's policy (RenewAtSQL, the SQL of
//     domain.RenewalPolicy.DueAt), set when it is issued and again when its profile changes,
//     cleared by its RenewalDue, so the scheduler's look-up (RenewalsDue) reads a partial index
//     of certificates not yet due instead of every issued certificate.
//
// # Invariants
//
//   - Rows depend only on the events: every time column comes from an event, never from the
//     clock, so the live projection and a rebuild leave identical rows.
//   - Apply and ApplyBatch leave the same rows: Apply is ApplyBatch of one event, and
//     ApplyBatch folds a batch in memory with the same per-event rules (see certRow.patch)
//     whether a certificate was created in the batch (written with COPY or INSERT) or before it
//     (written with one UPDATE … FROM unnest for the whole batch).
//   - Serials are lower-case hexadecimal without leading zeros (big.Int.Text(16)), compared
//     in the C collation, so that (ca_id, serial) identifies a certificate exactly and, among
//     serials of one length, text order is numeric order.
//   - position is the $all position of the last event that changed the row; in revocations it
//     is the position of the revocation, so RevokedSince can follow new revocations.
//   - An event for a certificate, CA or profile row that does not exist, or a second
//     revocation of one serial, is an error that stops the projection: it means the read
//     model and the ledger disagree.
//   - Event types that are not domain events, or that the read model does not use, are
//     skipped.
//
// Queries name their tables schema-qualified (rm_pki.<table>), because a rebuild swaps the
// schema under them. The projection's DDL and writes name no schema: they go to the
// transaction's search_path, which is rm_pki live, rm_pki_rebuild in a rebuild and the replay
// schema in a point-in-time replay (projections.Runner.ReplayAsOf), read with plain SQL. Every request path is an index range or point query with keyset
// pagination; see ListCertificates for which filters use which index.
package pki
