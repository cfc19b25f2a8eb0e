// Package reports is the report read model: the projection "reports" turns certificate, CA and
// profile events into small aggregate tables in the schema rm_reports, and Queries answers the
// expiry, compliance and cost reports from them without reading the inventory.
//
// # What is precomputed, and why a report stays cheap at a million certificates
//
// A report sums rows of an aggregate table, whose size is bounded by the distinct keys (teams ×
// values × days or months), not by the number of certificates:
//
//   - expiry_days (dim, team, value, day, n): issued or expired certificates (neither revoked nor
//     superseded) by the UTC day of their not_after, once per dimension (team, ca, profile,
//     key_type), each under its team so that a DEVOPS caller's report is an index range, and
//     once more under "all:<dim>" for every team together, plus "all:" per day for the timeline.
//     Windows move with the clock without any event, so they are not stored: the query sums the
//     days of each window relative to today. expiry_months holds the same counts by month, and
//     the query reads days only from the first of this month to the end of the month of
//     today+90 (an index range on (dim, day)), months before and after: about 120 days and a few
//     dozen months per value, whatever the inventory's size.
//   - compliance_counts (team, ca_id, profile, rule, n): the findings of issued certificates by
//     rule, and the pseudo-rules "certificates" (issued certificates) and "with_findings" (those
//     with at least one finding), for the score per team.
//   - pending_days (team, ca_id, profile, day, n): requests waiting for approval by the day they
//     were made; "older than N days" is chosen at query time.
//   - issued_months and renewal_months (team, ca_id, profile, month, n): certificates issued per
//     month (kept after revocation: they were paid for), and issued certificates by the month of
//     their not_after (what renewals will cost). Prices are applied at query time (PriceTable).
//
// To move a certificate between aggregate rows the projection keeps certs, one slim row per
// certificate (team, CA, profile, key, validity, status, findings), plus profiles (the rules a
// finding needs) and cas (names). Queries never scan certs.
//
// # Invariants
//
//   - Rows depend only on the events, never on the clock: every date is an event's, and the
//     windows, thresholds and prices are the query's. Rows of n = 0 are deleted, so a rebuild
//     and the live projection leave the same rows whatever their batches.
//   - An aggregate row counts each certificate at most once per key: write subtracts the
//     contributions of a certificate's state before the batch and adds those after it.
//   - Apply is ApplyBatch of one event, and ApplyBatch folds the batch in memory with the same
//     rules, so the rows do not depend on how events are batched.
//   - A certificate's findings are evaluated against its profile as the read model has it now:
//     a profile update re-evaluates every certificate of the profile (load reads them).
//   - An event for a certificate the read model does not have stops the projection.
//
// Queries name their tables schema-qualified (rm_reports.<table>, or with In the schema of a
// point-in-time replay), since a rebuild swaps the schema; the DDL and writes name none.
package reports
