// Package commands holds the ledger's command handlers: each loads the aggregate's stream,
// decides with the domain, performs any key operation, and appends the resulting events.
//
// Invariants:
//   - A command appends only after deciding on the stream as loaded, with the loaded head as the
//     expected revision; when another writer got there first it reloads and decides again, a
//     bounded number of times.
//   - The events of a command get ids derived from the command id (events.EventID), so running a
//     command again — a client retry, a lost acknowledgement — appends nothing new: Execute finds
//     the command's first event already in the stream and reports it as done.
//   - SignCheckpoint is the exception to loading whole streams: the checkpoint stream grows by one
//     event per checkpoint for ever, so it decides on the stream's last event alone (the tree size
//     only grows), appends after it with its revision as the expected revision, and recognises a
//     retry by that last checkpoint having the same size and root.
package commands
