package projections

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Leases decides which process follows each projection. WithLeases sets it (ledgerd passes the
// cluster's Postgres leases, adapters/postgres/lease); without it the Runner takes a session
// advisory lock per projection, which has no fencing token.
type Leases interface {
	// TryAcquire takes the lease name ("projection/<projection>") for this process; held is
	// false when another process holds it.
	TryAcquire(ctx context.Context, name string) (l Lease, held bool, err error)
}

// Lease is what a projection's follower holds while it writes.
type Lease interface {
	// Done is closed when the lease is lost; the follower stops then.
	Done() <-chan struct{}
	// Token is the lease's fencing token, recorded with the checkpoint (0: no fencing).
	Token() int64
	// Verify checks inside a writing transaction that the lease still holds, and keeps it from
	// changing hands until the transaction ends.
	Verify(ctx context.Context, tx pgx.Tx) error
	// Release gives the lease up.
	Release()
}

// WithLeases makes the Runner follow a projection only while it holds its lease, and verify the
// lease in every transaction that moves the checkpoint.
func WithLeases(l Leases) Option { return func(c *config) { c.leases = l } }

// leaseName is the name of the lease of the process following a projection.
func leaseName(projection string) string { return "projection/" + projection }

// errLeaseLost says the follower's lease was lost; another process follows the projection now.
var errLeaseLost = errors.New("the projection's lease was lost")

// advisoryLeases adapts the session advisory locks to Leases.
type advisoryLeases struct{ l *leases }

func (a advisoryLeases) TryAcquire(ctx context.Context, name string) (Lease, bool, error) {
	projection := name[len("projection/"):]
	ok, err := a.l.tryAcquire(ctx, projection)
	if err != nil || !ok {
		return nil, false, err
	}
	return advisoryLease{a.l, projection}, true, nil
}

// advisoryLease is one advisory lock: never lost while its connection lives, no fencing token.
type advisoryLease struct {
	l          *leases
	projection string
}

func (advisoryLease) Done() <-chan struct{}                { return nil }
func (advisoryLease) Token() int64                         { return 0 }
func (advisoryLease) Verify(context.Context, pgx.Tx) error { return nil }
func (a advisoryLease) Release()                           { a.l.release(a.projection) }
