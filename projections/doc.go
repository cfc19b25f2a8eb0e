// Package projections turns the ledger's event stream ($all) into Postgres read models and keeps
// them current: a Runner follows the event store for every registered Projection, Rebuild
// replays a projection from position 0 into fresh tables that are then swapped in, and
// ReplayAsOf replays projections up to a moment of the ledger into a schema of their own.
//
// # Layout in Postgres
//
// Each projection owns the schema rm_<name>: its Schema DDL creates its tables there, and every
// transaction that applies its events runs with search_path set to that schema only (SET LOCAL).
// Its checkpoint, the position in $all of the last event it has applied or skipped, is the row
// <name> of projection_checkpoints (infra/migrations), in the connection's default schema.
//
// # Batching
//
// While a projection catches up, the runner applies up to 500 events or what arrives within
// 100 ms per transaction (WithBatchLimits); once live, it applies each event, or what is already
// waiting, as soon as it arrives. Rebuilds apply chunks of 5,000 events (WithRebuildChunk) with
// synchronous commit off, reading $all in one goroutine while another writes. A projection that
// also implements BatchProjection gets a whole batch per call and can write it with COPY or one
// statement; with Apply alone every event costs at least one round trip to Postgres.
//
// # Invariants
//
//   - Rows and checkpoint move together: one transaction applies a batch of events and moves
//     the checkpoint to the batch's last position, so after a crash, a restart or a cancelled
//     context the rows reflect exactly the events up to the checkpoint, and following resumes
//     after it. No event is applied twice or skipped.
//   - One process follows a projection at a time: its Runner holds the projection's lease
//     (WithLeases: ledgerd's cluster leases, "projection/<name>") or, without leases, a session
//     advisory lock per projection on a connection of its own; the runners of other processes
//     stand by. With leases every transaction that moves the checkpoint verifies the lease
//     (Lease.Verify, which keeps it from changing hands until the commit) and records its
//     fencing token in projection_checkpoints.fence, which only grows: a follower whose lease
//     was lost has its writes refused and stands by. A lost lease ends the follow at once. Correctness rests on the checkpoint: every transaction moves it
//     with a compare-and-set from the position its writer last committed, so a second writer
//     (after a lost lock connection, or a rebuild that swapped the schema) makes the CAS fail;
//     that writer rolls back and resumes from the stored checkpoint. No event is applied twice.
//   - The schema and the checkpoint exist together: a schema without a checkpoint row, or a
//     checkpoint without its schema, is reset to an empty schema at position 0.
//   - Events that are not ledger events (system events, events whose metadata ParseEnvelope
//     rejects) are skipped by the live runner and by rebuilds alike, and still advance the
//     checkpoint.
//   - A failing Apply stops that projection: the transaction rolls back, the events before the
//     failing one are committed, the failure is logged and reported by Status, and nothing is
//     skipped. Other projections keep running. Errors of the infrastructure (a lost connection,
//     the event store) are retried with a growing delay instead.
//   - A rebuild builds rm_<name>_rebuild from position 0, then, with the projection's live
//     writer paused, drops rm_<name>, renames the rebuild schema to rm_<name> and writes the
//     checkpoint in one transaction. The same Apply code runs live and in rebuilds, so a rebuild
//     yields exactly the rows the live projection has. One rebuild of a projection runs at a
//     time (an advisory lock); the rebuild schema carries a token as its comment, checked by
//     every rebuild transaction and by the swap, so a rebuild never publishes a schema another
//     one has replaced.
//   - A point-in-time replay (ReplayAsOf) writes only its own schema, never rm_* nor a
//     checkpoint. It runs the rebuild's code path (the same reader, chunks and Apply code) with
//     a stop condition: the events of $all up to a position, or recorded up to a time, which is
//     always a prefix of $all. So it yields exactly the rows a runner stopped at that position
//     would have. Its schema carries a token (comment) like a rebuild schema, is written by one
//     replay at a time (an advisory lock), holds replay_info once complete, and is dropped when
//     the replay fails. Names starting with rm_, pg_ or information_schema are refused.
//   - Projections are deterministic: their rows depend only on the events, never on the time
//     or on other projections. Objects outside rm_<name> must not depend on its tables, since a
//     rebuild drops the schema with CASCADE.
package projections
