// Package api is certledger's HTTP interface, built on echo v4.
//
// Invariants:
//   - /healthz answers 200 {"status":"ok"} whenever the process serves HTTP; it depends on nothing.
//   - /readyz answers 200 only when every readiness check passed within its timeout, and 503
//     otherwise; its body always lists every check by name with "ok" or the error text.
//   - A check runs in its own goroutine under its own deadline: a check that hangs or panics makes
//     readiness fail, and never blocks the handler past the deadline or crashes the process.
//   - Every error response is an RFC 7807 problem+json document {"type","title","status","detail"};
//     internal error text and panic values are logged, never sent to the client.
//   - A panic in a handler never reaches the client's connection: it becomes a 500 problem.
//
// The package declares the interfaces it needs (Check); the implementations live with the
// adapters and are wired in cmd/ledgerd.
package api
