// Package lease runs a node's singleton jobs under leases held in Postgres, so that of N ledgerd
// nodes on one database each job runs on one node at a time, and a node that dies hands its jobs
// over within a bounded time. The tables are cluster_leases and cluster_nodes (migration 0015).
//
// Invariants:
//   - A lease is held by one node at a time: acquiring is one INSERT … ON CONFLICT DO UPDATE that
//     succeeds only on a free row, an expired one, or one the node itself holds.
//   - Every acquisition raises the lease's fencing token by one; it never goes down. A Held
//     carries the token it was acquired with.
//   - A holder renews every Renew (default TTL/3) and stops by itself before its lease can
//     expire: the context of a Held ends once a renewal is refused, or once TTL minus Renew has
//     passed since the last renewal that was sent and accepted. Expiry is measured on the
//     database's clock, the holder's deadline on its own monotonic clock from before it sent the
//     renewal, so the holder gives up first.
//   - A node that dies (SIGKILL, a cut connection, a stall) loses its leases at most TTL after
//     its last renewal (6 s by default); a standby polling every Poll (1 s) takes over by then.
//   - A node that lost a lease waits one Poll before it tries to take it again, so the standby
//     that kept polling takes the job over, not the node that just failed at it.
//   - The writes of a job check its lease in the writing transaction (Verify: the row, locked
//     FOR SHARE, still names this node and this token and has not expired), so a holder that
//     lost its lease — even one that stalled past its own deadline — has its writes refused, and
//     a takeover (which updates the row) waits for a guarded transaction in flight to end.
//   - Release gives a lease up at once (expires_at = now), so a clean shutdown hands over
//     without waiting for the TTL.
package lease
