// Package rest is the ledger's REST command and query API under /api/v1: CAs, profiles and
// certificates. Commands are POSTs that run a command handler and answer with the resulting
// state; queries are GETs.
//
// Invariants:
//   - Every /api/v1 route but the CA certificate download needs a bearer token; the caller's
//     identity, address, user agent and correlation id go into every event the request appends.
//   - Bodies are JSON with unknown fields rejected and a size limit; bad input is a 400
//     problem+json and appends nothing; policy violations are a 422 listing each one.
//   - A request with an Idempotency-Key runs the same command id on a retry, so it appends
//     nothing twice.
//   - The routes know the command side through small interfaces declared here: one Handler per
//     command (Commands), the stream reads (Aggregates, TokenStream, AuditKey), and a command's
//     failure by its kind (*domain.Error, commands.ErrConflict, commands.ErrPreconditionFailed).
package rest
