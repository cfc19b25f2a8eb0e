package lease

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Defaults of a Manager.
const (
	DefaultTTL  = 6 * time.Second
	DefaultPoll = time.Second
)

// stmtTimeout bounds one statement on the lease table.
const stmtTimeout = 2 * time.Second

// Config configures a Manager.
type Config struct {
	// Node names this process in the cluster; empty means DefaultNode().
	Node string
	// TTL is how long a lease lasts without renewal; 0 means DefaultTTL.
	TTL time.Duration
	// Renew is how often a held lease is renewed; 0 means TTL/3. It must be below TTL/2.
	Renew time.Duration
	// Poll is how often Run tries again to acquire a lease another node holds; 0 means DefaultPoll.
	Poll time.Duration
	// Logger logs acquisitions and losses; nil logs nothing.
	Logger *slog.Logger
}

// DefaultNode is the node id used when none is configured: hostname-pid.
func DefaultNode() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// Manager acquires, renews and releases the leases of one node.
type Manager struct {
	pool    *pgxpool.Pool
	cfg     Config
	log     *slog.Logger
	started time.Time

	mu   sync.Mutex
	held map[string]*Held
	lost map[string]time.Time // when this node last lost each lease it held
}

// New returns the lease manager of a node on pool; the database must have been migrated.
func New(pool *pgxpool.Pool, cfg Config) (*Manager, error) {
	cfg.Node = cmp.Or(cfg.Node, DefaultNode())
	cfg.TTL = cmp.Or(cfg.TTL, DefaultTTL)
	cfg.Renew = cmp.Or(cfg.Renew, cfg.TTL/3)
	cfg.Poll = cmp.Or(cfg.Poll, DefaultPoll)
	if cfg.Renew <= 0 || 2*cfg.Renew >= cfg.TTL {
		return nil, fmt.Errorf("lease: renew interval %s must be above 0 and below half the TTL %s", cfg.Renew, cfg.TTL)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Manager{pool: pool, cfg: cfg, log: log, started: time.Now(), held: map[string]*Held{}, lost: map[string]time.Time{}}, nil
}

// Node returns this node's id.
func (m *Manager) Node() string { return m.cfg.Node }

// Held returns the names and tokens of the leases this node holds now.
func (m *Manager) Held() map[string]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int64, len(m.held))
	for name, h := range m.held {
		out[name] = h.token
	}
	return out
}

// ErrHeldElsewhere says another node holds the lease.
var ErrHeldElsewhere = errors.New("lease: another node holds it")

// TryAcquire takes the lease name if it is free, expired or already this node's, with a new
// fencing token, and renews it until it is lost or released. It returns ErrHeldElsewhere when
// another node holds it. The Held's context derives from ctx.
func (m *Manager) TryAcquire(ctx context.Context, name string) (*Held, error) {
	m.mu.Lock()
	if m.held[name] != nil {
		m.mu.Unlock()
		return nil, fmt.Errorf("lease %s: this node holds it already", name)
	}
	m.mu.Unlock()
	sent := time.Now()
	sctx, cancel := context.WithTimeout(ctx, stmtTimeout)
	defer cancel()
	var token int64
	err := m.pool.QueryRow(sctx, `INSERT INTO cluster_leases AS l (name, holder, fence, acquired_at, expires_at)
		VALUES ($1, $2, 1, clock_timestamp(), clock_timestamp() + $3::interval)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, fence = l.fence + 1,
			acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
		WHERE l.expires_at <= clock_timestamp() OR l.holder = excluded.holder
		RETURNING fence`, name, m.cfg.Node, m.cfg.TTL.String()).Scan(&token)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrHeldElsewhere
	}
	if err != nil {
		return nil, fmt.Errorf("lease %s: acquire: %w", name, err)
	}
	h := newHeld(ctx, m, name, token, sent)
	m.mu.Lock()
	m.held[name] = h
	m.mu.Unlock()
	m.log.Info("lease acquired", "lease", name, "fence", token)
	go h.renew()
	return h, nil
}

// Acquire waits until this node holds the lease name, trying every Poll, or ctx ends. A node
// that lost the lease (it stalled, or lost Postgres) waits one Poll after the loss before it
// tries again, so that a standby that kept polling takes the job over rather than the node that
// just failed at it.
func (m *Manager) Acquire(ctx context.Context, name string) (*Held, error) {
	m.mu.Lock()
	lostAt, lost := m.lost[name]
	m.mu.Unlock()
	if wait := time.Until(lostAt.Add(m.cfg.Poll)); lost && wait > 0 {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lease %s: %w", name, context.Cause(ctx))
		case <-time.After(wait):
		}
	}
	for {
		h, err := m.TryAcquire(ctx, name)
		switch {
		case err == nil:
			return h, nil
		case errors.Is(err, ErrHeldElsewhere):
		default:
			m.log.Warn("lease: acquiring failed; trying again", "lease", name, "error", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lease %s: %w", name, context.Cause(ctx))
		case <-time.After(m.cfg.Poll):
		}
	}
}

// Run runs job under the lease name until ctx ends: it waits until this node holds the lease,
// runs job with the Held (whose context ends when the lease is lost), releases the lease when
// job returns, and starts over after Poll. A job's error is logged, not returned.
func (m *Manager) Run(ctx context.Context, name string, job func(h *Held) error) {
	for ctx.Err() == nil {
		h, err := m.Acquire(ctx, name)
		if err != nil {
			return
		}
		if err := job(h); err != nil && h.Context().Err() == nil {
			m.log.Warn("a job under lease failed; it starts again", "lease", name, "error", err)
		}
		h.Release()
		select {
		case <-ctx.Done():
		case <-time.After(m.cfg.Poll):
		}
	}
}

// forget drops h from the held leases.
func (m *Manager) forget(h *Held) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held[h.name] == h {
		delete(m.held, h.name)
	}
}
