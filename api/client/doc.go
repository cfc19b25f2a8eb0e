// Package client is a typed Go client of the ledger's REST API under /api/v1: one method per
// route of the route table (api/rest.Routes), taking and returning the bodies of package wire,
// the very types the handlers decode and encode (most under their older names here: CA, CAEntry,
// Token, …). Profile alone is the client's own: one view of the two answers about a profile.
//
// Invariants:
//   - Every request carries the bearer token given to New (when not empty) and the User-Agent
//     "ledgerctl/<version>" unless WithUserAgent says otherwise; the http.Client has a timeout.
//   - A 2xx answer is decoded into the method's result type; unknown JSON fields are ignored,
//     so a newer server does not break an older client.
//   - Any other answer is returned as a *Error, decoded from the application/problem+json body
//     (its violations included), or carrying the raw body text when the body is no problem
//     document. Transport failures are returned as they come, wrapped with the method and URL;
//     they are never a *Error.
//   - Request options apply to one call: IdempotencyKey makes a retried command append nothing
//     twice, IfMatch makes it fail with 412 unless the resource is still at that revision, and
//     Capture hands back the raw answer (status, headers, body) for callers that print the API's
//     own JSON.
//   - Tail reads the event stream (Server-Sent Events): its answer's headers must come within the
//     client's timeout, the stream itself has none. A dropped connection is resumed with
//     Last-Event-ID after the last event handled, so each event is handled once, in $all order.
package client
