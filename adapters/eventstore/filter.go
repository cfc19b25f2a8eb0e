package eventstore

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// Filter selects $all events by stream-name prefixes or by event-type prefixes, the two kinds of
// EventStoreDB's server-side filters; a filter uses one kind only.
type Filter struct {
	// StreamPrefixes keeps events whose stream name starts with one of them, e.g. "certificate-".
	StreamPrefixes []string
	// TypePrefixes keeps events whose type starts with one of them, e.g. "Certificate".
	TypePrefixes []string
}

// validate refuses a filter that mixes both kinds or selects nothing.
func (f Filter) validate() error {
	switch {
	case len(f.StreamPrefixes) > 0 && len(f.TypePrefixes) > 0:
		return fmt.Errorf("a filter selects by stream prefixes or by type prefixes, not both")
	case len(f.StreamPrefixes) == 0 && len(f.TypePrefixes) == 0:
		return fmt.Errorf("a filter needs at least one prefix")
	}
	return nil
}

// Match tells whether an event passes the filter.
func (f Filter) Match(r events.Raw) bool {
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

// server is the filter as the client sends it for a subscription.
func (f Filter) server() *esdb.SubscriptionFilter {
	if len(f.TypePrefixes) > 0 {
		return &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Prefixes: f.TypePrefixes}
	}
	return &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: f.StreamPrefixes}
}

// ReadAllMatching yields the events of $all after position after that pass the filter. The client
// offers no filtered plain reads, so the filter is applied here, as the events arrive.
func (s *Store) ReadAllMatching(ctx context.Context, after uint64, f Filter) iter.Seq2[events.Raw, error] {
	return func(yield func(events.Raw, error) bool) {
		if err := f.validate(); err != nil {
			yield(events.Raw{}, err)
			return
		}
		for r, err := range s.ReadAll(ctx, after) {
			if err != nil || f.Match(r) {
				if !yield(r, err) || err != nil {
					return
				}
			}
		}
	}
}
