// Package access is the access read model: the projection "access" turns API token events into
// the table api_tokens of the schema rm_access, and Queries lists the tokens for the REST API.
//
// # Tables (schema rm_access)
//
//   - api_tokens: one row per API token, from APITokenIssued on, with its revocation once
//     APITokenRevoked is applied. position is the $all position of the last event that changed
//     the row.
//
// # Invariants
//
//   - The read model never holds a token's secret or its hash: authentication reads the event
//     stream (commands.Queries.AuthenticateAPIToken), never this table, so a lagging or rebuilt read
//     model can neither let a revoked token in nor keep a valid one out.
//   - Rows depend only on the events: every time column comes from an event, never from the
//     clock, so the live projection and a rebuild leave identical rows. Whether a token has
//     expired is computed when it is read (TokenRow.Status).
//   - A token issued twice, or a revocation of a token the table does not have or has already
//     revoked, is an error that stops the projection: the read model and the ledger disagree.
//   - Event types other than the API token events are skipped.
//
// Queries name their table schema-qualified (rm_access.api_tokens), because a rebuild swaps the
// schema under them.
package access
