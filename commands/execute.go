package commands

import (
	"context"
	"errors"
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

// ErrTooManyConflicts is returned when a stream kept moving under a command.
var ErrTooManyConflicts = errors.New("stream kept changing; gave up after repeated conflicts")

// ErrPreconditionFailed is returned when a command's stream is not at the revision the caller
// expected; nothing was appended.
var ErrPreconditionFailed = errors.New("the stream is not at the expected revision")

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
	firstID := events.EventID(commandID, 0)
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		history, head, err := store.Load(ctx, stream)
		if err != nil {
			return Result{}, err
		}
		if containsEvent(history, firstID) {
			return Result{Head: head, Replayed: true}, nil
		}
		if ifRevision != nil && (!head.Exists() || head.Next-1 != *ifRevision) {
			return Result{Head: head}, fmt.Errorf("%s: expected revision %d: %w", stream, *ifRevision, ErrPreconditionFailed)
		}
		proposed, err := decide(history)
		if err != nil {
			return Result{Head: head}, err
		}
		for i := range proposed {
			proposed[i].ID = events.EventID(commandID, i)
		}
		next, err := store.Append(ctx, stream, head, proposed)
		if errors.Is(err, events.ErrConflict) {
			continue
		}
		if err != nil {
			return Result{Head: head}, err
		}
		return Result{Head: next, Appended: len(proposed)}, nil
	}
	return Result{}, fmt.Errorf("command %s on %s: %w", commandID, stream, ErrTooManyConflicts)
}

func containsEvent(history []events.Envelope, id uuid.UUID) bool {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].ID == id {
			return true
		}
	}
	return false
}
