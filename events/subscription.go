package events

import (
	"fmt"
	"strings"
)

// Subscription says what a subscriber to $all wants besides the events: a filter, and hooks
// for the moments between events.
type Subscription struct {
	// Filter, when set, is applied by the store; without it every non-system event comes.
	Filter *Filter
	// OnCaughtUp, when set, is called each time the subscription has delivered every stored
	// event and goes live.
	OnCaughtUp func()
	// OnCheckpoint, when set, is told a position the store has scanned up to, events that did
	// not pass the filter included, so a subscriber can move its checkpoint past them.
	OnCheckpoint func(position uint64)
	// OnDrop, when set, is told why the connection dropped before it is re-established.
	OnDrop func(error)
}

// Filter selects $all events by stream-name prefixes or by event-type prefixes, the two kinds of
// EventStoreDB's server-side filters; a filter uses one kind only.
type Filter struct {
	// StreamPrefixes keeps events whose stream name starts with one of them, e.g. "certificate-".
	StreamPrefixes []string
	// TypePrefixes keeps events whose type starts with one of them, e.g. "Certificate".
	TypePrefixes []string
}

// Validate refuses a filter that mixes both kinds or selects nothing.
func (f Filter) Validate() error {
	switch {
	case len(f.StreamPrefixes) > 0 && len(f.TypePrefixes) > 0:
		return fmt.Errorf("a filter selects by stream prefixes or by type prefixes, not both")
	case len(f.StreamPrefixes) == 0 && len(f.TypePrefixes) == 0:
		return fmt.Errorf("a filter needs at least one prefix")
	}
	return nil
}

// Match tells whether an event passes the filter.
func (f Filter) Match(r Raw) bool {
	subject, prefixes := r.Stream, f.StreamPrefixes
	if len(f.TypePrefixes) > 0 {
		subject, prefixes = r.Type, f.TypePrefixes
	}
	for _, p := range prefixes {
		if strings.HasPrefix(subject, p) {
			return true
		}
	}
	return false
}
