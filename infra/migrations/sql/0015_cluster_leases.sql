-- The cluster's leases (issue 15): one row per singleton job (a projection's follower, a SIEM
-- sink's forwarder, the audit checkpointer, the sweepers). holder is the node running it until
-- expires_at; fence grows by one at every acquisition and never goes down, so a write guarded by
-- the lease (SELECT … FOR SHARE, fence = its token) is refused once another node took it over.
-- Numbered after issue 14's migration so that branches do not take the same version.
CREATE TABLE cluster_leases (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    fence       bigint      NOT NULL CHECK (fence > 0),
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- The nodes of the cluster and when each was last heard of (a heartbeat every lease renewal).
CREATE TABLE cluster_nodes (
    node       text        PRIMARY KEY,
    started_at timestamptz NOT NULL,
    seen_at    timestamptz NOT NULL
);

-- The fencing token each projection's last checkpoint was written under (0 before leases), and
-- the identity of the event store the checkpoint is a position in (the id of its first event;
-- '' until known): a read model built from another store starts again from 0.
ALTER TABLE projection_checkpoints ADD COLUMN fence bigint NOT NULL DEFAULT 0,
    ADD COLUMN store_id text NOT NULL DEFAULT '';
