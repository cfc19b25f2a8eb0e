package projections

import (
	"context"
	"fmt"
	"time"
)

// State is what a projection is doing in this process.
type State string

// The states of a projection.
const (
	// StateStopped: Run is not running (or has not started the projection yet).
	StateStopped State = "stopped"
	// StateStarting: the projection is preparing its schema and loading its checkpoint.
	StateStarting State = "starting"
	// StateCatchingUp: the projection applies stored events in batches.
	StateCatchingUp State = "catching-up"
	// StateLive: every stored event was applied; new events are applied as they arrive.
	StateLive State = "live"
	// StateStandby: the runner of another process follows the projection; this one waits.
	StateStandby State = "standby"
	// StateRetrying: the database or the event store failed; the projection retries soon.
	StateRetrying State = "retrying"
	// StateFailed: an event failed to apply; the projection stays stopped before it.
	StateFailed State = "failed"
	// StateRebuilding: a rebuild has paused the live projection to swap its schema.
	StateRebuilding State = "rebuilding"
)

// ProjectionStatus is how far one projection is.
type ProjectionStatus struct {
	// Name is the projection's name.
	Name string `json:"name"`
	// State is what the projection is doing in this process.
	State State `json:"state"`
	// Position is the stored checkpoint: the position in $all of the last event applied.
	Position uint64 `json:"position"`
	// Lag is the position of the newest event in $all minus Position. Positions are opaque
	// numbers: in the embedded store, where positions count events, it is the number of
	// events still to apply; a newest event the projection never sees (a system event) keeps
	// it above 0.
	Lag uint64 `json:"lag"`
	// Error is why the projection failed or retries, empty otherwise.
	Error string `json:"error,omitempty"`
	// Rebuild is the progress of a rebuild running in this process, nil when there is none.
	Rebuild *RebuildProgress `json:"rebuild,omitempty"`
}

// RebuildProgress is how far a rebuild has come.
type RebuildProgress struct {
	// Done is the position reached in $all.
	Done uint64 `json:"done"`
	// Total is the newest position when the rebuild started; Done passes it when events
	// arrive during the rebuild.
	Total uint64 `json:"total"`
	// Events is the number of events replayed so far.
	Events uint64 `json:"events"`
	// Rate is the number of events replayed per second so far.
	Rate float64 `json:"rate"`
	// Started is when the rebuild started.
	Started time.Time `json:"started"`
}

// Status reports every registered projection: its state in this process, its stored checkpoint
// and its lag behind the event store.
func (r *Runner) Status(ctx context.Context) ([]ProjectionStatus, error) {
	last, err := r.source.LastPosition(ctx)
	if err != nil {
		return nil, fmt.Errorf("projection status: %w", err)
	}
	names := make([]string, len(r.workers))
	for i, w := range r.workers {
		names[i] = w.p.Name()
	}
	rows, err := r.pool.Query(ctx, "SELECT name, position FROM projection_checkpoints WHERE name = ANY($1)", names)
	if err != nil {
		return nil, fmt.Errorf("projection status: read checkpoints: %w", err)
	}
	stored := make(map[string]uint64, len(names))
	for rows.Next() {
		var name string
		var pos int64
		if err := rows.Scan(&name, &pos); err != nil {
			rows.Close()
			return nil, fmt.Errorf("projection status: read checkpoints: %w", err)
		}
		stored[name] = uint64(pos)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("projection status: read checkpoints: %w", err)
	}
	out := make([]ProjectionStatus, len(r.workers))
	for i, w := range r.workers {
		st := w.status()
		st.Position = stored[st.Name]
		if last > st.Position {
			st.Lag = last - st.Position
		}
		out[i] = st
	}
	return out, nil
}

// status returns the in-process part of the worker's status.
func (w *worker) status() ProjectionStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := ProjectionStatus{Name: w.p.Name(), State: w.state}
	if w.lastErr != nil {
		st.Error = w.lastErr.Error()
	}
	if w.progress != nil {
		p := *w.progress
		st.Rebuild = &p
	}
	return st
}
