package projections

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Runner keeps a set of projections current: Run follows the event source for each of them,
// Status reports how far each one is, and Rebuild rebuilds one from position 0.
type Runner struct {
	pool    *pgxpool.Pool
	source  EventSource
	cfg     config
	workers []*worker
	byName  map[string]*worker
	locks   *leases // the advisory locks, when no Leases were given
	running atomic.Bool
}

// config holds the Runner's options.
type config struct {
	logger       *slog.Logger
	maxBatch     int
	maxWait      time.Duration
	rebuildChunk int
	retryDelay   time.Duration
	leases       Leases
}

// Option configures a Runner.
type Option func(*config)

// WithLogger sets the logger; by default the Runner logs nothing.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithBatchLimits bounds the transactions of a projection that is catching up: at most
// maxEvents events, collected for at most maxWait. Live events are applied as soon as they
// arrive, in small transactions. The defaults are 500 events and 100 ms.
func WithBatchLimits(maxEvents int, maxWait time.Duration) Option {
	return func(c *config) { c.maxBatch, c.maxWait = max(maxEvents, 1), maxWait }
}

// WithRebuildChunk sets how many events one rebuild transaction applies; the default is 5,000.
func WithRebuildChunk(events int) Option {
	return func(c *config) { c.rebuildChunk = max(events, 1) }
}

// WithRetryDelay sets the first delay before a projection retries after an error of the
// database or the event store; it doubles up to 32 times that. The default is one second.
func WithRetryDelay(d time.Duration) Option { return func(c *config) { c.retryDelay = d } }

// NewRunner returns a Runner for the projections, reading events from source and writing read
// models through pool. The database must have been migrated (infra/migrations). Names must be
// valid (see Projection.Name) and distinct.
func NewRunner(pool *pgxpool.Pool, source EventSource, projections []Projection, opts ...Option) (*Runner, error) {
	cfg := config{
		logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		maxBatch:     500,
		maxWait:      100 * time.Millisecond,
		rebuildChunk: 5000,
		retryDelay:   time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	r := &Runner{pool: pool, source: source, cfg: cfg, byName: make(map[string]*worker)}
	if r.cfg.leases == nil {
		r.locks = &leases{cfg: pool.Config().ConnConfig}
		r.cfg.leases = advisoryLeases{r.locks}
	}
	for _, p := range projections {
		name := p.Name()
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("new projection runner: %w", err)
		}
		if r.byName[name] != nil {
			return nil, fmt.Errorf("new projection runner: two projections are named %q", name)
		}
		w := newWorker(r, p)
		r.workers = append(r.workers, w)
		r.byName[name] = w
	}
	return r, nil
}

// Run follows the event source for every projection until ctx ends, then returns nil once every
// projection has stopped. A projection whose Apply fails stays stopped (Status reports it) while
// the others go on; Rebuild resumes it. A projection that the runner of another process follows
// stands by until that one stops. Run holds one Postgres connection outside the pool for its
// locks (none with WithLeases). It must not be called again while it runs.
func (r *Runner) Run(ctx context.Context) error {
	if !r.running.CompareAndSwap(false, true) {
		return errors.New("projection runner: Run is already running")
	}
	defer r.running.Store(false)
	if r.locks != nil {
		defer r.locks.close()
	}
	var wg sync.WaitGroup
	for _, w := range r.workers {
		wg.Go(func() { w.supervise(ctx) })
	}
	wg.Wait()
	return nil
}

// worker returns the registered projection of that name.
func (r *Runner) worker(name string) (*worker, error) {
	w := r.byName[name]
	if w == nil {
		return nil, fmt.Errorf("projection %q: %w", name, ErrUnknownProjection)
	}
	return w, nil
}
