package projections

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// leases holds the Runner's session advisory locks, one per projection it follows, on a
// connection of its own, outside the pool: one process follows a projection at a time, and the
// runners of other processes stand by until it stops. The locks only save work; the checkpoint's
// compare-and-set keeps two writers correct even when a lock is lost with its connection.
type leases struct {
	cfg  *pgx.ConnConfig
	mu   sync.Mutex
	conn *pgx.Conn
}

// leaseTimeout bounds a lock statement, so a stuck connection cannot hold up a projection.
const leaseTimeout = 10 * time.Second

// leaseKey names the advisory lock of the process following a projection.
func leaseKey(projection string) string { return "certledger/projection-follow/" + projection }

// tryAcquire takes the lock of projection if no other session holds it.
func (l *leases) tryAcquire(ctx context.Context, projection string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, leaseTimeout)
	defer cancel()
	if l.conn == nil || l.conn.IsClosed() {
		conn, err := pgx.ConnectConfig(ctx, l.cfg)
		if err != nil {
			return false, fmt.Errorf("connect for the projection locks: %w", err)
		}
		l.conn = conn
	}
	var ok bool
	if err := l.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", leaseKey(projection)).Scan(&ok); err != nil {
		l.closeLocked()
		return false, fmt.Errorf("take the lock of projection %s: %w", projection, err)
	}
	return ok, nil
}

// release gives the lock of projection up. If that fails, the connection is closed, which ends
// the session and every lock it held; the others are taken again on their next acquire.
func (l *leases) release(projection string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), leaseTimeout)
	defer cancel()
	if _, err := l.conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtext($1))", leaseKey(projection)); err != nil {
		l.closeLocked()
	}
}

// close closes the lock connection, releasing every lock.
func (l *leases) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closeLocked()
}

func (l *leases) closeLocked() {
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), leaseTimeout)
		defer cancel()
		_ = l.conn.Close(ctx)
		l.conn = nil
	}
}
