package siem

import (
	"encoding/json"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/certledger/certledger/events"
)

// prepare turns an event into the message payload and metadata to deliver, nil when it is not a
// ledger event or not for this sink. It runs in the subscription's goroutine, beside the
// dispatcher's.
func (s *ledgerSubscriber) prepare(raw events.Raw) *tracked {
	env, err := events.ParseEnvelope(raw)
	if err != nil || events.IsSystemStream(env.Stream) || !s.filter.match(env.Stream, env.Type) {
		return nil
	}
	t := &tracked{id: env.ID.String(), stream: env.Stream,
		meta: message.Metadata{MetaStream: env.Stream, MetaType: env.Type}}
	t.payload, err = json.Marshal(events.ToCloudEvent(env, s.ceSource))
	if err != nil { // cannot happen for a parsed envelope; poisoned rather than lost if it does
		t.meta[metaEncodeError] = err.Error()
	}
	return t
}

// filter selects events by type prefixes and stream prefixes; an empty list selects all, and an
// event must pass both lists.
type filter struct{ types, streams []string }

func (f filter) match(stream, eventType string) bool {
	return hasAnyPrefix(eventType, f.types) && hasAnyPrefix(stream, f.streams)
}

// server returns the part of the filter the store can apply (one kind of prefix), nil for none.
func (f filter) server() *events.Filter {
	switch {
	case len(f.streams) > 0:
		return &events.Filter{StreamPrefixes: f.streams}
	case len(f.types) > 0:
		return &events.Filter{TypePrefixes: f.types}
	}
	return nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
