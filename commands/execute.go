package commands

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/certledger/certledger/events"
)

// EventStore is what command handlers need of the event store.
type EventStore interface {
	// Load returns a stream's events, with their chain verified, and its head.
	Load(ctx context.Context, stream string) ([]events.Envelope, events.Head, error)
	// Append seals and appends events after head; an error wrapping events.ErrConflict says the
	// stream moved on since head.
	Append(ctx context.Context, stream string, head events.Head, proposed []events.Proposed) (events.Head, error)
}

// Decide turns a stream's history into the events a command appends. It must not have side
// effects beyond its result, since it may run again after a conflict.
type Decide func(history []events.Envelope) ([]events.Proposed, error)

// Result says what a command did to its stream.
type Result struct {
	// Head is the stream's head after the command.
	Head events.Head
	// Appended is the number of events this run appended.
	Appended int
	// Replayed is true when the command had already been applied and nothing was appended.
	Replayed bool
}

// MaxAttempts bounds how often Execute decides again after conflicts.
const MaxAttempts = 5

// Execute runs load → decide → append for one command on one stream, retrying on conflicts. The
// proposed events get ids derived from commandID, so the same command never appends twice.
func Execute(ctx context.Context, store EventStore, commandID uuid.UUID, stream string, decide Decide) (Result, error) {
	return ExecuteAt(ctx, store, commandID, stream, nil, decide)
}

// ExecuteAt is Execute with a precondition: when ifRevision is set, the command runs only
// while the stream's newest event has that revision (a stream without events has none), and
// fails with ErrPreconditionFailed otherwise — also when a concurrent append moved the stream
// on while it decided. A replayed command answers as the first run did, whatever the revision.
func ExecuteAt(ctx context.Context, store EventStore, commandID uuid.UUID, stream string, ifRevision *uint64,
	decide Decide) (Result, error) {
	res, _, err := execute(ctx, store, commandID, stream, ifRevision, nil, decide)
	return res, err
}

// Seen is a stream as a command left it: the history it decided on and the events it
// appended, ending at Head. A step that follows on the same stream decides on it without
// loading the stream again; a conflict still reloads.
type Seen struct {
	History []events.Envelope
	Head    events.Head
}

// execute is ExecuteAt that, given seen, decides first on it instead of loading the stream,
// and returns the stream as the command left it.
func execute(ctx context.Context, store EventStore, commandID uuid.UUID, stream string, ifRevision *uint64,
	seen *Seen, decide Decide) (Result, Seen, error) {
	firstID := events.EventID(commandID, 0)
	var conflict error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		history, head, err := loadUnlessSeen(ctx, store, stream, seen, attempt)
		if err != nil {
			return Result{}, Seen{}, err
		}
		if containsEvent(history, firstID) {
			return Result{Head: head, Replayed: true}, Seen{History: history, Head: head}, nil
		}
		if ifRevision != nil && (!head.Exists() || head.Next-1 != *ifRevision) {
			return Result{Head: head}, Seen{}, fmt.Errorf("%s: expected revision %d: %w", stream, *ifRevision, ErrPreconditionFailed)
		}
		proposed, err := decide(history)
		if err != nil {
			return Result{Head: head}, Seen{}, err
		}
		for i := range proposed {
			proposed[i].ID = events.EventID(commandID, i)
		}
		next, err := store.Append(ctx, stream, head, proposed)
		if isConflict(err) {
			conflict = err
			continue
		}
		if err != nil {
			return Result{Head: head}, Seen{}, err
		}
		return Result{Head: next, Appended: len(proposed)}, appended(stream, history, head, next, proposed), nil
	}
	return Result{}, Seen{}, gaveUp(fmt.Sprintf("command %s on %s", commandID, stream), conflict)
}

// loadUnlessSeen is the stream a command decides on: seen on its first attempt, when given,
// and the stream as loaded otherwise.
func loadUnlessSeen(ctx context.Context, store EventStore, stream string, seen *Seen, attempt int) ([]events.Envelope, events.Head, error) {
	if seen != nil && attempt == 1 {
		return seen.History, seen.Head, nil
	}
	return store.Load(ctx, stream)
}

// appended is the stream after proposed was appended at head: the history and the new events
// as the store holds them, but for their hashes, which only the head carries.
func appended(stream string, history []events.Envelope, head, next events.Head, proposed []events.Proposed) Seen {
	out := make([]events.Envelope, len(history), len(history)+len(proposed))
	copy(out, history)
	for i, p := range proposed {
		out = append(out, events.Envelope{ID: p.ID, Stream: stream, Revision: head.Next + uint64(i),
			Type: p.Type, Data: p.Data, Metadata: p.Metadata})
	}
	return Seen{History: out, Head: next}
}

func containsEvent(history []events.Envelope, id uuid.UUID) bool {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].ID == id {
			return true
		}
	}
	return false
}
