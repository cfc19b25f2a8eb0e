// Package migrations holds the ledger's Postgres schema migrations and applies them at start-up.
//
// Migrations are SQL files embedded from sql/, named "<version>_<description>.sql" with a
// positive decimal version; Migrate applies the ones not yet recorded in schema_migrations, in
// ascending version order.
//
// Invariants:
//   - Each migration runs in its own transaction together with the insert of its version into
//     schema_migrations, so a migration is either applied and recorded or neither.
//   - Migrate holds a session-level Postgres advisory lock while it works, so two ledgerd
//     processes starting together apply each migration once: the second waits, then finds
//     nothing left to do.
//   - Applied migrations are never edited; a change is a new file with a higher version.
//     Versions recorded in the database but unknown to this binary (a newer binary migrated
//     it) are left alone.
//   - Migrations create shared tables such as projection_checkpoints in the connection's
//     current schema. The read-model tables of a projection are not created here but by the
//     projection itself (see package projections), because a rebuild needs fresh copies of them.
package migrations
