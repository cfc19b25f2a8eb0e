// Package signing is the code-signing read model: the projection "signing" turns the signature
// request events into the table signature_requests of the schema rm_signing, and Queries lists
// the requests waiting for approval, for the approvers (GET /pending-signatures, `ledgerctl sign
// pending`).
//
// # Tables (schema rm_signing)
//
//   - signature_requests: one row per signature request, from SignatureRequested on: its key,
//     team, artifact, digest, requester, the approvals it needs and those it has, and its
//     status — pending_approval, then signed, refused or voided. position is the $all position
//     of the last event that changed the row.
//
// # Invariants
//
//   - The read model holds no signature, no CMS and no Authenticode content: the request's
//     own GET reads its stream for those, so a lagging read model never hands out a stale or
//     missing signature. It is a list for approvers, nothing is decided on it.
//   - Rows depend only on the events (no clock), so the live projection and a rebuild leave
//     identical rows.
//   - An approval, signature, refusal or void of a request the table does not have, or that
//     is no longer pending, is an error that stops the projection: the read model and the
//     ledger disagree.
//   - Event types other than the signature request events, and voids of other signatures
//     (certificates, CAs, timestamps), are skipped.
//
// Queries name their table schema-qualified (rm_signing.signature_requests), because a rebuild
// swaps the schema under them.
package signing
