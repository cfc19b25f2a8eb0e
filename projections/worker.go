package projections

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// worker runs one projection: a supervisor loop that follows the event source, retries after
// infrastructure errors, stops after an Apply error, and can be paused by a rebuild.
type worker struct {
	r       *Runner
	p       Projection
	batcher BatchProjection // nil when p has no ApplyBatch
	schema  string          // quoted identifier of rm_<name>
	log     *slog.Logger
	lease   Lease // held by the running follow; only the supervisor's goroutine uses it

	mu       sync.Mutex
	state    State
	lastErr  error
	progress *RebuildProgress
	paused   int                // rebuilds holding the worker
	cancel   context.CancelFunc // cancels the running follow, nil when none runs
	stopped  chan struct{}      // closed when the running follow has returned
	wake     chan struct{}      // tells a waiting supervisor to look again
}

func newWorker(r *Runner, p Projection) *worker {
	w := &worker{r: r, p: p, state: StateStopped, wake: make(chan struct{}, 1),
		schema: pgx.Identifier{SchemaName(p.Name())}.Sanitize(),
		log:    r.cfg.logger.With("projection", p.Name())}
	w.batcher, _ = p.(BatchProjection)
	return w
}

// maxRetryFactor bounds the growth of the retry delay.
const maxRetryFactor = 32

// supervise follows the event source until ctx ends.
func (w *worker) supervise(ctx context.Context) {
	defer w.setState(StateStopped, nil)
	delay := w.r.cfg.retryDelay
	for ctx.Err() == nil {
		fctx, ok := w.startFollowing(ctx)
		if !ok { // paused by a rebuild
			w.sleep(ctx, 0)
			continue
		}
		progressed, err := w.follow(fctx)
		paused := w.stopFollowing()
		var applyErr *ApplyError
		switch {
		case ctx.Err() != nil || paused:
		case errors.Is(err, errStandby), errors.Is(err, errLeaseLost):
			w.setState(StateStandby, nil)
			w.sleep(ctx, w.r.cfg.retryDelay)
		case errors.Is(err, errFenced):
			w.log.Info("the checkpoint was moved by another writer (a rebuild or another process); resuming from it")
		case errors.As(err, &applyErr):
			w.setState(StateFailed, err)
			w.log.Error("projection stopped: an event failed to apply; its transaction was rolled back "+
				"and the checkpoint stays before it. Fix the projection, then restart or rebuild it", "position", applyErr.Position, "stream", applyErr.Stream, "revision", applyErr.Revision,
				"type", applyErr.Type, "error", err)
			w.sleep(ctx, 0)
		default:
			if progressed {
				delay = w.r.cfg.retryDelay
			}
			w.setState(StateRetrying, err)
			w.log.Warn("projection interrupted; retrying", "in", delay, "error", err)
			w.sleep(ctx, delay)
			delay = min(2*delay, maxRetryFactor*w.r.cfg.retryDelay)
		}
	}
}

// startFollowing returns the context of a new follow, or false while a rebuild holds the worker.
func (w *worker) startFollowing(ctx context.Context) (context.Context, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.paused > 0 {
		return nil, false
	}
	fctx, cancel := context.WithCancel(ctx)
	w.cancel, w.stopped = cancel, make(chan struct{})
	w.state, w.lastErr = StateStarting, nil
	return fctx, true
}

// stopFollowing marks the follow as ended and tells whether a rebuild paused it.
func (w *worker) stopFollowing() (paused bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cancel()
	close(w.stopped)
	w.cancel, w.stopped = nil, nil
	return w.paused > 0
}

// sleep waits until ctx ends, the worker is woken, or d passes (d = 0: no time limit).
func (w *worker) sleep(ctx context.Context, d time.Duration) {
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
	case <-w.wake:
	case <-timeout:
	}
}

// pause stops the live follow, if one runs, and keeps the supervisor from starting another until
// resume is called. It returns once no transaction of the worker is in flight.
func (w *worker) pause() (resume func()) {
	w.mu.Lock()
	w.paused++
	w.state = StateRebuilding
	cancel, stopped := w.cancel, w.stopped
	w.mu.Unlock()
	if cancel != nil {
		cancel()
		<-stopped
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			w.mu.Lock()
			w.paused--
			if w.paused == 0 && w.state == StateRebuilding {
				w.state = StateStopped
				if w.r.running.Load() {
					w.state = StateStarting // the supervisor starts again
				}
			}
			w.mu.Unlock()
			select {
			case w.wake <- struct{}{}:
			default:
			}
		})
	}
}

// setState records the worker's state and the error that led to it.
func (w *worker) setState(s State, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.paused > 0 && s != StateStopped {
		return // a rebuild holds the worker; it stays "rebuilding"
	}
	w.state, w.lastErr = s, err
}
