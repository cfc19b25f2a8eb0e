package dashboard

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/reports"
)

// The live relay holds an event back until the read models the pages show have applied it, so
// that the refresh it causes shows the event; it waits at most catchUpWait, checking every
// catchUpStep (a read of the projections' checkpoints, never of the inventory).
const (
	catchUpWait = 1500 * time.Millisecond
	catchUpStep = 20 * time.Millisecond
)

// RunnerPosition returns Deps.ReadPosition for the runner's PKI and report projections: the
// lowest position in $all that both have applied.
func RunnerPosition(r *projections.Runner) func(context.Context) (uint64, error) {
	names := []string{pki.Name, reports.Name}
	return func(ctx context.Context) (uint64, error) {
		all, err := r.Status(ctx)
		if err != nil {
			return 0, fmt.Errorf("dashboard: the read models' positions: %w", err)
		}
		var low uint64
		found := 0
		for _, s := range all {
			if slices.Contains(names, s.Name) {
				if found == 0 || s.Position < low {
					low = s.Position
				}
				found++
			}
		}
		if found != len(names) {
			return 0, fmt.Errorf("dashboard: the runner has %d of the projections %v", found, names)
		}
		return low, nil
	}
}

// caughtUp waits until the read models have applied pos, for at most catchUpWait; without
// Deps.ReadPosition it returns at once.
func (db *Dashboard) caughtUp(ctx context.Context, pos uint64) {
	if db.readPosition == nil {
		return
	}
	deadline := time.Now().Add(catchUpWait)
	for time.Now().Before(deadline) {
		at, err := db.readPosition(ctx)
		if err != nil || at >= pos {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(catchUpStep):
		}
	}
}
