// Package audit is the audit read model: the projection "audit" builds the RFC 6962 Merkle tree
// over the ledger's events in $all order (golang.org/x/mod/sumdb/tlog), and records the signed
// checkpoints of that tree; Queries serves tree heads, inclusion and consistency proofs.
//
// # Leaves
//
// Leaf i is the i-th ledger event of $all, leaving out system events (streams or types starting
// with '$', skipped by every projection) and the events of events.AuditCheckpointStream, which
// sign the tree and cannot be in it. Its record data is the event's stored chain hash (32 bytes,
// events.Envelope.Hash), which commits to its stream, revision, id, type, data, metadata and the
// hash before it; its record hash is tlog.RecordHash of those 32 bytes, SHA-256(0x00 || hash).
// LeafOf says whether a raw event of $all is a leaf, for verifiers that read $all themselves.
//
// # Tables (schema rm_audit)
//
//   - leaves: one row per leaf — its index, $all position, event id, stream, revision and
//     chain hash.
//   - hashes: tlog's stored hashes of the tree (tlog.StoredHashIndex order), about two per leaf;
//     a tree head or a proof reads at most a few dozen of them.
//   - checkpoints: one row per AuditCheckpointSigned event, by tree size; the first event of a
//     size is kept. Checkpoints are recorded as they are, signed or not: ledgerctl audit verify
//     checks their signatures and roots against $all.
//
// # Invariants
//
//   - Leaf indexes are 0, 1, 2, … in $all order with no gap; the hashes of the first n leaves
//     never change once written, so the tree head of every size up to TreeSize is fixed.
//   - Apply and ApplyBatch leave the same rows: Apply is ApplyBatch of one event. A batch
//     computes its stored hashes with a HashReader over the rows already written plus the
//     batch's own pending hashes, reading the tree's right edge once per batch.
//   - Rows depend only on the events, never on the clock, so a rebuild yields identical rows.
//
// Queries name their tables schema-qualified (rm_audit.<table>), because a rebuild swaps the
// schema under them.
package audit
