package lease

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrLost says the lease is no longer this node's: it expired or another node holds it now.
var ErrLost = errors.New("lease lost")

// Held is a lease this node holds, with the fencing token it was acquired with.
type Held struct {
	m     *Manager
	name  string
	token int64
	ctx   context.Context
	stop  context.CancelCauseFunc

	mu       sync.Mutex
	deadline time.Time // on the local clock: the holder stops by then unless renewed
	released bool
	done     chan struct{} // closed when renew has returned
}

func newHeld(parent context.Context, m *Manager, name string, token int64, sent time.Time) *Held {
	ctx, stop := context.WithCancelCause(parent)
	return &Held{m: m, name: name, token: token, ctx: ctx, stop: stop,
		deadline: sent.Add(m.cfg.TTL - m.cfg.Renew), done: make(chan struct{})}
}

// Name is the lease's name.
func (h *Held) Name() string { return h.name }

// Token is the fencing token of this holding; a later holding of the lease has a greater one.
func (h *Held) Token() int64 { return h.token }

// Context ends when the lease is lost or released; the job must stop writing then.
func (h *Held) Context() context.Context { return h.ctx }

// Done is closed when the lease is lost or released.
func (h *Held) Done() <-chan struct{} { return h.ctx.Done() }

// Verify checks, inside a job's writing transaction, that the lease is still this holding's:
// the row names this node and this token and has not expired. The row stays locked FOR SHARE
// until tx ends, so no other node can take the lease over before tx commits.
func (h *Held) Verify(ctx context.Context, tx pgx.Tx) error {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT holder = $2 AND fence = $3 AND expires_at > clock_timestamp()
		FROM cluster_leases WHERE name = $1 FOR SHARE`, h.name, h.m.cfg.Node, h.token).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !ok) {
		return fmt.Errorf("lease %s (fence %d): %w", h.name, h.token, ErrLost)
	}
	if err != nil {
		return fmt.Errorf("lease %s: verify: %w", h.name, err)
	}
	return nil
}

// Check is Verify in a transaction of its own, for a job whose writes are not in Postgres (an
// event appended by a command): it narrows the window in which a lost holder writes, and the
// write's own guard (the stream's expected revision) does the rest.
func (h *Held) Check(ctx context.Context) error {
	return pgx.BeginFunc(ctx, h.m.pool, func(tx pgx.Tx) error { return h.Verify(ctx, tx) })
}

// Release gives the lease up: the row expires now, so another node may take it at once. It
// waits for the renewals to stop. Releasing twice is harmless.
func (h *Held) Release() {
	h.mu.Lock()
	first := !h.released
	h.released = true
	h.mu.Unlock()
	h.stop(errors.New("lease released"))
	<-h.done
	if !first {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), stmtTimeout)
	defer cancel()
	_, err := h.m.pool.Exec(ctx, `UPDATE cluster_leases SET expires_at = clock_timestamp()
		WHERE name = $1 AND holder = $2 AND fence = $3`, h.name, h.m.cfg.Node, h.token)
	if err != nil {
		h.m.log.Warn("lease: releasing failed; it expires by itself", "lease", h.name, "error", err)
	}
}

// renew extends the lease every Renew until it is released or lost. A refused renewal loses it
// at once; failing renewals lose it at the local deadline.
func (h *Held) renew() {
	defer close(h.done)
	defer h.m.forget(h)
	t := time.NewTicker(h.m.cfg.Renew)
	defer t.Stop()
	for {
		h.mu.Lock()
		wait := time.Until(h.deadline)
		h.mu.Unlock()
		select {
		case <-h.ctx.Done():
			return
		case <-time.After(wait):
			h.lose("no renewal accepted in time")
			return
		case <-t.C:
		}
		sent := time.Now()
		ok, err := h.extend(sent)
		switch {
		case err != nil:
			h.m.log.Warn("lease: renewal failed; retrying until its deadline", "lease", h.name, "error", err)
		case !ok:
			h.lose("another node holds it, or it expired")
			return
		}
	}
}

// extend renews the lease once and moves the local deadline on success.
func (h *Held) extend(sent time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(h.ctx, min(stmtTimeout, h.m.cfg.Renew))
	defer cancel()
	tag, err := h.m.pool.Exec(ctx, `UPDATE cluster_leases SET expires_at = clock_timestamp() + $4::interval
		WHERE name = $1 AND holder = $2 AND fence = $3 AND expires_at > clock_timestamp()`,
		h.name, h.m.cfg.Node, h.token, h.m.cfg.TTL.String())
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 1 {
		h.mu.Lock()
		h.deadline = sent.Add(h.m.cfg.TTL - h.m.cfg.Renew)
		h.mu.Unlock()
	}
	return tag.RowsAffected() == 1, nil
}

func (h *Held) lose(why string) {
	h.m.log.Warn("lease lost; its job stops", "lease", h.name, "fence", h.token, "reason", why)
	h.m.mu.Lock()
	h.m.lost[h.name] = time.Now()
	h.m.mu.Unlock()
	h.stop(fmt.Errorf("lease %s: %w: %s", h.name, ErrLost, why))
}
