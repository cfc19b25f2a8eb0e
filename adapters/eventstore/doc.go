// Package eventstore is the ledger's event store on the official EventStoreDB client
// (github.com/EventStore/EventStore-Client-Go/v4). The same code talks to an EventStoreDB cluster
// and to the embedded store of infra/embeddedstore.
//
// Invariants:
//   - Every appended event is sealed into its stream's hash chain (events.Seal) from the head the
//     command loaded, and appended with that head's revision as the expected revision, so a chain
//     can only grow linearly: a concurrent writer makes the append fail with events.ErrConflict.
//   - Event ids come from the command (events.EventID), so a retried append is deduplicated by the
//     store instead of written twice.
//   - Reads hand out exactly the stored bytes (events.Raw); nothing is re-encoded on the way.
//   - Subscriptions deliver events in $all order, each once per connection, resuming after the last
//     delivered position when the connection drops.
package eventstore
