// Package domain holds the ledger's aggregates — certificate authorities, certificate profiles,
// certificates, signing keys and signature requests (code signing), API tokens and the audit
// log of signed checkpoints — and the policies they decide by.
//
// # Shape
//
// Each aggregate is rebuilt from its stream by folding events (NewCAFromHistory,
// NewProfileFromHistory, NewCertificateFromHistory, or Apply one event at a time). A decision
// is a method that takes the actor, the time and its inputs and returns the new events, or a
// typed *Error; it never changes the aggregate. The command layer appends the events and, to
// decide again within one command (request and issue in one call), applies them first.
//
// Events are plain structs with JSON tags, schema version 1 (SchemaVersion), always handled as
// values. Each says once what it is: its stored type name (a Type constant), the aggregate
// whose stream holds it (Aggregate), and its EventSpec in EventTypes, which package
// domain/codec decodes by. The certificate's lifecycle table gives, for each certificate event,
// the states it may follow and the status after it (StatusAfter); Apply and the read models
// take the status from it. docs/adding-an-event.md lists the files a new event touches. The
// envelope around an event records who caused it and when; an event names an actor itself
// only where a later decision needs it (the requester, for the four-eyes rule of approval) and
// sets Override where only the ADMIN role allowed it.
//
// # Invariants
//
//   - The package is pure: no I/O, no clock (times are passed in), no randomness (serials are
//     passed in; NewSerial reads from the reader it is given), no other ledger package.
//   - Stored event type names never change: they are hashed into every stream's chain.
//   - An aggregate's state changes only by Apply. Apply refuses events out of the lifecycle's
//     order and events of another aggregate, so a history holds only legal transitions.
//   - A certificate moves Requested(pending_approval) → approved | rejected; approved →
//     issued; issued → superseded (renewed); issued | superseded → revoked | expired. Every
//     other decision is a KindConflict error; revoking twice names the first revocation.
//   - A request is checked against its profile and every violation is listed in one KindPolicy
//     error; only an ADMIN asking for Override gets past them, and the event records them.
//   - Authorization is deny by default: VIEWER decides nothing; DEVOPS requests, renews and
//     revokes for its own team, and its requests in its team's profiles are approved
//     automatically; SEC_OPS approves others' requests by hand, rejects, manages profiles and
//     CAs; ADMIN may do anything, and events mark where only ADMIN allowed it (Override).
//   - Certificates issued are checked against the request before they are recorded: signed by
//     the requested CA, same key and names, no longer than requested, within the CA's validity.
//   - A CA issues only while active and within its validity; an intermediate needs an active
//     parent whose path length allows it and which it does not outlive.
//   - A signing key (P-256, P-384, RSA-3072) moves active ⇄ disabled, either → revoked; its
//     code-signing (or, for a TSA key, critical timeStamping) certificate is announced by a
//     SigningStarted intent (PurposeSigningKey) before its CA signs it, like every certificate.
//   - A signature request is checked whole before anything is recorded: the key active and
//     valid, the requester allowed by the key's policy (its teams or principals), the digest
//     algorithm allowed (SHA-1 and MD5 never) and the digest of its algorithm's length. An
//     Authenticode request (SignatureKindAuthenticode) also carries the PE's
//     SpcIndirectDataContent, whose image hash must be the digest, with its algorithm; a CMS
//     request carries no content. ArtifactSigned names the kind, artifact and digest signed.
//   - A request that needs M approvals is signed only once M distinct SEC_OPS approvers (of
//     the policy's N, when it names them) approved; never the requester. Its signature is
//     announced by a SigningStarted intent (PurposeArtifact, CAID the key's id) and recorded
//     by ArtifactSigned only when it verifies under the key's certificate.
//   - An RFC 3161 time-stamp token is signed only by an active, valid signing key of usage
//     timestamp, one token per stream: its serial is announced by a SigningStarted intent
//     (PurposeTimestamp, CAID the key's id) and recorded by TimestampIssued only when the
//     signature verifies under the key's certificate.
//
// # Errors
//
// Every refusal is an *Error with a Kind: KindInvalid (unparsable or malformed input),
// KindPolicy (understood but against policy; Violations lists each rule), KindConflict (wrong
// state), KindNotFound, KindForbidden. Use IsKind or KindOf to map them once, at the edge.
package domain
