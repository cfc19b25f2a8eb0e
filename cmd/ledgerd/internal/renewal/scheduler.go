// Package renewal is ledgerd's renewal scheduler: every round it lists, from the PKI read
// model, the issued certificates whose renewal became due under their profile's policy and
// records each one's RenewalDue, then acts on the due renewals the ledger renews by itself
// (the profile's mode reuse_csr or agent) whose next attempt has come.
//
// Invariants:
//   - The scheduler keeps no state of its own: what is due comes from the read model and the
//     events, so a restart, a second ledgerd or a read model behind the store changes nothing
//     but timing. A RenewalDue is appended once per certificate because its command id derives
//     from the certificate (commands.RenewalDueCommandID) and the aggregate refuses a second;
//     a failed attempt is recorded once per attempt number the same way.
//   - A failure of one certificate does not stop the round; it is logged and the certificate is
//     tried again after the backoff its RenewalFailed names.
package renewal

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/projections/pki"
)

// ReadModel is what the scheduler reads: pki.Queries.
type ReadModel interface {
	RenewalsDue(ctx context.Context, t time.Time, limit int) ([]uuid.UUID, error)
	RenewalAttemptsDue(ctx context.Context, t time.Time, limit int) ([]pki.RenewalAttempt, error)
}

// Scheduler is the renewal scheduler. Due records a certificate's RenewalDue (the
// DueRenewal command), Renew runs one automatic attempt (AutoRenew).
type Scheduler struct {
	Read  ReadModel
	Due   func(ctx context.Context, certificate uuid.UUID) error
	Renew func(ctx context.Context, a pki.RenewalAttempt) error
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Batch bounds the certificates one round handles of each kind; 0 is DefaultBatch.
	Batch int
	// Workers is how many certificates a round works on at once; 0 is DefaultWorkers.
	Workers int
}

// DefaultBatch is how many certificates a round records as due, and how many it renews.
const DefaultBatch = 500

// DefaultWorkers is how many certificates a round works on at once: each waits mostly on the
// store's fsync and the HSM, which serve several at once.
const DefaultWorkers = 4

func (s Scheduler) workers() int {
	if s.Workers <= 0 {
		return DefaultWorkers
	}
	return s.Workers
}

// Round is what one round did.
type Round struct {
	Due, Attempted, Failed int
}

// Sweep runs one round: records every due renewal it finds, then runs the attempts due, each
// on up to Workers certificates at once. Errors of single certificates are joined into the
// error, after the round finished.
func (s Scheduler) Sweep(ctx context.Context) (Round, error) {
	now, batch := time.Now, s.Batch
	if s.Now != nil {
		now = s.Now
	}
	if batch <= 0 {
		batch = DefaultBatch
	}
	var r Round
	due, err := s.Read.RenewalsDue(ctx, now(), batch)
	if err != nil {
		return r, err
	}
	failed, errs := each(ctx, s.workers(), due, s.Due)
	r.Due = len(due) - failed
	attempts, err := s.Read.RenewalAttemptsDue(ctx, now(), batch)
	if err != nil {
		return r, errors.Join(append(errs, err)...)
	}
	failed, more := each(ctx, s.workers(), attempts, s.Renew)
	r.Attempted, r.Failed = len(attempts), failed
	return r, errors.Join(append(errs, more...)...)
}

// each runs f on every item, Workers at a time, and returns the failures.
func each[T any](ctx context.Context, workers int, items []T, f func(context.Context, T) error) (int, []error) {
	var mu sync.Mutex
	var errs []error
	work := make(chan T)
	var wg sync.WaitGroup
	for range min(max(workers, 1), max(len(items), 1)) {
		wg.Go(func() {
			for item := range work {
				if err := f(ctx, item); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, item := range items {
		work <- item
	}
	close(work)
	wg.Wait()
	return len(errs), errs
}

// Run sweeps every interval until ctx ends, logging what each round did and why it failed.
func (s Scheduler) Run(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	for {
		r, err := s.Sweep(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Warn("renewal round had failures; retrying them later", "error", err)
		}
		if r != (Round{}) {
			logger.Info("renewal round", "due", r.Due, "attempted", r.Attempted, "failed", r.Failed)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
