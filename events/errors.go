package events

import (
	"errors"
	"fmt"
)

// Sentinel errors. Functions of this package wrap them with context; test
// for them with errors.Is.
var (
	// ErrInvalidEvent reports a proposed event that Seal refuses to store.
	ErrInvalidEvent = errors.New("invalid event")
	// ErrMalformed reports stored bytes, a hash, a stream name or event data
	// that do not have the required shape.
	ErrMalformed = errors.New("malformed")
	// ErrUnknownType reports an event type the registry does not know.
	ErrUnknownType = errors.New("unknown event type")
	// ErrInvalidRegistration reports a Register or RegisterUpcaster call
	// with arguments the registry cannot use.
	ErrInvalidRegistration = errors.New("invalid registration")
	// ErrAlreadyRegistered reports a second registration of a type or of
	// an upcaster.
	ErrAlreadyRegistered = errors.New("already registered")
	// ErrMissingUpcaster reports a gap in a type's chain of upcasters.
	ErrMissingUpcaster = errors.New("missing upcaster")
	// ErrVersionTooNew reports an event whose schema version is newer than
	// the current version the registry knows for its type.
	ErrVersionTooNew = errors.New("schema version newer than known")
)

// ChainError reports the first place where a stream's hash chain is broken.
type ChainError struct {
	// Stream is the name of the stream whose chain is broken.
	Stream string
	// Revision is the revision of the first event that fails a check.
	Revision uint64
	// Reason says which check failed, for example "hash mismatch".
	Reason string
}

// Error returns a message such as
// "stream certificate-…: revision 3: hash mismatch".
func (e *ChainError) Error() string {
	return fmt.Sprintf("stream %s: revision %d: %s", e.Stream, e.Revision, e.Reason)
}
