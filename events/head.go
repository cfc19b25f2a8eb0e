package events

import "errors"

// Head is where a stream ends: the revision its next event gets and the hash that event chains
// from. The zero Head is a stream that does not exist yet.
type Head struct {
	// Next is the revision of the next event, which is the number of events in the stream.
	Next uint64
	// Hash is the hash of the newest event; zero for a new stream.
	Hash Hash
}

// Exists tells whether the stream has events.
func (h Head) Exists() bool { return h.Next > 0 }

// After returns the head that follows the given event of the stream.
func (h Head) After(e Envelope) Head { return Head{Next: e.Revision + 1, Hash: e.Hash} }

// ErrConflict is returned by an event store when a stream moved on since it was loaded: the
// expected revision of an append no longer holds. A command reloads the stream and decides again.
var ErrConflict = errors.New("stream changed since it was loaded")
