// Package wire holds the JSON bodies of the REST API under /api/v1: every request the server
// decodes and every answer it encodes, shared by the server (api/rest) and its Go client
// (api/client), as smallstep/certificates shares its api types.
//
// Invariants:
//   - A body has exactly one Go type here, and the server and the client use that type; a field
//     added here is on the wire for both at once.
//   - Every type is a component schema of the OpenAPI document (api/rest/openapi.json), and
//     api/rest's tests compare them both ways: each JSON field is a property of the same JSON
//     type (a struct field $refs the schema of its own type); a required property has no
//     omitempty, and in an answer every field without omitempty is required; null is allowed
//     only for pointers, slices and maps, and must be for a pointer without omitempty.
//   - The server never writes a list of items, or of proof hashes, as null.
//   - Fields are in the order the API writes them; several answers were once JSON objects
//     built from maps, whose keys encoding/json sorts, and keep that order.
//   - The package imports nothing of the ledger but domain, for the profile policy the ledger
//     stores as it is (ProfileSpec). Conversions from aggregates and read-model rows live in
//     api/rest.
package wire
