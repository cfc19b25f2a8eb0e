package siem

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Leases lets one node at a time forward to each sink (Options.Leases); ledgerd passes the
// cluster's Postgres leases (adapters/postgres/lease). Without it every forwarder forwards.
type Leases interface {
	// Acquire waits until this node holds the lease name ("siem/<sink>"), or ctx ends.
	Acquire(ctx context.Context, name string) (Lease, error)
}

// Lease is what a sink's subscriber holds while it forwards.
type Lease interface {
	// Done is closed when the lease is lost; the subscriber stops emitting then.
	Done() <-chan struct{}
	// Token is the lease's fencing token, stored with every checkpoint (0: no fencing).
	Token() int64
	// Verify checks inside the transaction storing a checkpoint that the lease still holds.
	Verify(ctx context.Context, tx pgx.Tx) error
	// Release gives the lease up.
	Release()
}

// leaseName is the name of the lease of a sink's forwarder.
func leaseName(sink string) string { return "siem/" + sink }

// unleased is the lease of a forwarder without Leases: never lost, never fenced.
type unleased struct{}

func (unleased) Done() <-chan struct{}                { return nil }
func (unleased) Token() int64                         { return 0 }
func (unleased) Verify(context.Context, pgx.Tx) error { return nil }
func (unleased) Release()                             {}
