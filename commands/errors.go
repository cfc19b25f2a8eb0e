package commands

import (
	"errors"
	"fmt"

	"github.com/certledger/certledger/events"
)

// The error kinds of the command handlers besides the domain's (*domain.Error). Callers tell
// them apart with errors.Is and need not know the event store's errors.
var (
	// ErrConflict is wrapped by every error that says another writer appended to a stream
	// while a command decided on it; ErrTooManyConflicts is one.
	ErrConflict = errors.New("the stream moved on while the command decided")
	// ErrTooManyConflicts is returned when a stream kept moving under a command for
	// MaxAttempts decisions; it wraps ErrConflict.
	ErrTooManyConflicts = fmt.Errorf("stream kept changing; gave up after repeated conflicts: %w", ErrConflict)
	// ErrPreconditionFailed is returned when a command's stream is not at the revision the
	// caller expected (Caller.IfRevision); nothing was appended.
	ErrPreconditionFailed = errors.New("the stream is not at the expected revision")
)

// gaveUp is the error of a command that met a conflict (an error wrapping events.ErrConflict)
// on each of its attempts: it wraps ErrTooManyConflicts and the last conflict.
func gaveUp(what string, lastConflict error) error {
	return fmt.Errorf("%s: %w (last: %w)", what, ErrTooManyConflicts, lastConflict)
}

// isConflict says whether the event store refused an append because the stream moved on.
func isConflict(err error) bool { return errors.Is(err, events.ErrConflict) }
