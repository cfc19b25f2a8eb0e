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
//
// # Every CA signature is on the record
//
// A signature of a CA key is a certificate in the world, whether or not the ledger records it,
// so every command that signs a certificate (issuance on request, approval or explicit issue,
// renewal, the OCSP responder certificate, a CA certificate) signs under one rule, built once
// in signing.go (Handlers.sign) for the verbs still to come (code signing, enrollment):
//
//  1. Prepare: a retried decision runs every check of the command and appends the events up to
//     the signature, ending with a SigningStarted intent that names the serial and the signing
//     CA. Nothing is signed yet, so a conflict here only costs a reload.
//  2. Sign once, outside any retried decision, the complete template the domain prepared.
//  3. Record: a second retried decision gets the signed DER as data and appends the event that
//     records it, after the domain checked it against the request and the open intent.
//  4. When recording fails after the signature (a reload shows the decision no longer holds, the
//     stream kept moving, the store failed), a SignatureVoided event marks the serial never
//     valid; the CRL projection lists it as revoked (cessationOfOperation) and OCSP answers
//     revoked, as CT practice treats a precertificate that never became a certificate.
//
// The intent is appended before the signature, so no signature exists without a durable prior
// record, even when the process dies or the store goes away between signing and recording:
// then the intent stays open on the stream. An open intent blocks further signing on its
// stream for domain.SigningGrace (another command is signing), after which the next signing on
// the stream voids it first, as does VoidStaleSignings, a sweep of the streams the read model
// lists as holding stale intents (pki.Queries.StaleSignings), which ledgerd runs once a
// minute. We chose the intent over signing first and keeping an unrecorded
// signature in a local spool because the spool is a second, local record that a lost disk or
// a crash between signature and spool write loses, while the intent is in the one place that
// is authoritative; the cost is one more append per signature. A command run again after its
// intent was appended answers as replayed and does not sign again.
package commands
