package main

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// Names of the leases of the node's singleton jobs besides the projections ("projection/<name>")
// and the SIEM sinks ("siem/<sink>"), which name their own.
const (
	leaseCheckpoints = "audit/checkpointer"
	leaseExpiry      = "sweep/expiry"
	leaseWarnings    = "sweep/expiry-warnings"
	leaseSignings    = "sweep/stale-signings"
	leaseRenewal     = "sweep/renewal"
)

// openCluster returns this node's lease manager: every singleton job of the node runs under it,
// so that N nodes on one Postgres run each job once (docs/cluster.md).
func openCluster(cfg config.Config, pool *pgxpool.Pool, logger *slog.Logger) (*lease.Manager, error) {
	return lease.New(pool, lease.Config{Node: cfg.NodeID, TTL: cfg.LeaseTTLValue(), Logger: logger.With("component", "lease")})
}

// underLease runs job on this node only while it holds the lease name, until ctx ends; job's
// context ends when the lease is lost, and guard tells whether it still holds (before a write
// outside Postgres, such as a command appending an event).
func underLease(ctx context.Context, nodes *lease.Manager, name string, job func(ctx context.Context, guard func(context.Context) error)) {
	nodes.Run(ctx, name, func(h *lease.Held) error {
		job(h.Context(), h.Check)
		return nil
	})
}
