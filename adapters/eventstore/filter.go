package eventstore

import (
	"context"
	"iter"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// serverFilter is a filter as the client sends it for a subscription.
func serverFilter(f events.Filter) *esdb.SubscriptionFilter {
	if len(f.TypePrefixes) > 0 {
		return &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Prefixes: f.TypePrefixes}
	}
	return &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: f.StreamPrefixes}
}

// ReadAllMatching yields the events of $all after position after that pass the filter. The client
// offers no filtered plain reads, so the filter is applied here, as the events arrive.
func (s *Store) ReadAllMatching(ctx context.Context, after uint64, f events.Filter) iter.Seq2[events.Raw, error] {
	return func(yield func(events.Raw, error) bool) {
		if err := f.Validate(); err != nil {
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
