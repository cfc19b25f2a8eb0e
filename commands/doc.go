// Package commands holds the ledger's command handlers: each loads the aggregate's stream,
// decides with the domain, performs any key operation, and appends the resulting events.
//
// Invariants:
//   - A command appends only after deciding on the stream as loaded, with the loaded head as the
//     expected revision; when another writer got there first it reloads and decides again, a
//     bounded number of times, then fails with ErrTooManyConflicts (which is ErrConflict).
//   - The events of a command get ids derived from the command id (events.EventID), so running a
//     command again — a client retry, a lost acknowledgement — appends nothing new: Execute finds
//     the command's first event already in the stream and reports it as done.
//   - SignCheckpoint is the exception to loading whole streams: the checkpoint stream grows by one
//     event per checkpoint for ever, so it decides on the stream's last event alone (the tree size
//     only grows), appends after it with its revision as the expected revision, and recognises a
//     retry by that last checkpoint having the same size and root.
//   - Every signature of a CA key goes through caSigner.sign in signing.go (below).
//   - Queries append nothing; the handlers are the only writers.
//   - Callers tell the failures apart by the domain's *domain.Error kinds and this package's
//     ErrConflict, ErrTooManyConflicts and ErrPreconditionFailed; they need not know the
//     event store's errors.
//
// # Layout
//
// One file per command holds its struct, its handler (holding only what it needs), the
// handler's constructor and its Handle method: create_ca.go, revoke_ca.go,
// certify_responder.go, define_profile.go, request_certificate.go, approve.go, reject.go,
// issue.go, revoke.go (these four take a Decision, decision.go), renew_certificate.go,
// expire_certificate.go, due_renewal.go and renew_automatically.go (the renewal scheduler's:
// RenewalDue once per certificate, automatic attempts with the CSR on record or through the
// AgentRenewer hook, each failure a RenewalFailed), adopt_certificate.go, void_stale_signings.go, issue_api_token.go, revoke_api_token.go,
// sign_checkpoint.go, and for code signing create_signing_key.go, disable_signing_key.go,
// enable_signing_key.go, revoke_signing_key.go (these three take a SigningKeyDecision,
// signing_key_decision.go), sign_digest.go, approve_signature.go and refuse_signature.go, and for the RFC 3161 TSA
// issue_timestamp.go (a token on its own stream, answered or refused with a *tsp.Failure). For ACME (the
// ACMEHandlers): acme_account.go (accounts, derived from provisioner and key), acme_order.go
// (orders and challenge results) and finalize_acme_order.go, which issues through
// RequestCertificate, never by a path of its own. For ledger-agents: issue_join_token.go (a
// one-time token, the API tokens' format in secret_token.go), enroll_agent.go (the agent's client
// certificate, issued through RequestCertificate as the agent after the join token was checked),
// agent_heartbeat.go, revoke_agent.go; and for deployments deploy_certificate.go (DeployCertificate
// and RedeployCertificate, which a renewal runs), issue_deployment.go (the agent's CSR, issued
// through RequestCertificate) and report_deployment.go (the one end of a deployment). Only the
// deployment's agent may send its CSR or report its end. The housekeeping commands (expiry, the sweep of stale intents,
// checkpoints) run as System and take no Caller.
//
// The shared pieces: core.go (Core: the store, the event registry and the clock, with load and
// decide; KeyStore, URLs), execute.go (the load → decide → append loop), signing.go (caSigner:
// the Core with the HSM, and the signing rule), issuance.go (issuing a certificate under that
// rule, and superseding the one a renewal replaces), sign_artifact.go (an artifact's digest
// signed by a signing key under the same rule, the CMS SignedData built around it), load.go (every loading helper),
// caller.go, errors.go, codec.go. The reads are Queries (queries.go, apitoken_auth.go).
// application.go wires every handler on one Core; legacy_handlers.go is the former
// one-type API, deprecated, for the callers not moved yet.
//
// # Adding a command
//
//  1. The decision and its events in domain/ (the aggregate's method, the event types).
//  2. commands/<verb_noun>.go: the command struct, the handler with only the dependencies it
//     needs (a *Core; a caSigner to sign with a CA key, through sign and never otherwise; the
//     URLs when the certificate's contents need them), its constructor and Handle(ctx, cmd,
//     caller). Add a loading helper to load.go if it reads an aggregate no helper folds yet.
//  3. commands/application.go: its field and its constructor in NewApplication.
//  4. Its tests in commands/, counting signatures at the HSM adapter when it signs.
//  5. When the API offers it: its field in rest.Commands and CommandsOf (api/rest/routes.go),
//     its route in the table and its echo handler in the route group's file, openapi.json,
//     and its fixture in api/rest/matrix_fixtures_test.go (the access matrix fails without).
//  6. When ledgerd runs it on its own (housekeeping): the wiring in cmd/ledgerd.
//
// # Every CA signature is on the record
//
// A signature of a CA key is a certificate in the world, whether or not the ledger records it,
// so every command that signs a certificate (issuance on request, approval or explicit issue,
// renewal, the OCSP responder certificate, a CA certificate, a signing key's certificate)
// signs under one rule, built once in signing.go (caSigner.sign) for them, for code signing
// (a signing key's signature over an artifact's digest is a Prepared with a Digest instead of
// a Template: its intent has PurposeArtifact, it is recorded by ArtifactSigned, and its void
// puts nothing on a CRL; an RFC 3161 token is the same with PurposeTimestamp, its TSTInfo and
// signed attributes fixed before the intent names its serial, recorded by TimestampIssued) and
// for the verbs still to come (enrollment):
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
