// Package codec is the one place where domain events meet the event store: it registers the
// domain event types with an events.Registry, decodes a stored envelope into the domain event it
// carries and encodes a domain event for appending. Commands, projections and tools all decode
// through it.
//
// Invariants:
//   - A decoded event is a value of its domain struct (domain.CertificateIssued), never a
//     pointer, so a type switch written for the domain's decisions works on any history.
//   - Data is decoded strictly, at the current schema version (domain.SchemaVersion), with
//     unknown fields and trailing data refused (events.Registry).
//   - The stored type of an event is its EventType, one of the domain's Type constants; those
//     names are hashed into the chains and never change.
//   - The domain's stream categories are the ones package events names streams with.
package codec

import (
	"encoding/json"
	"fmt"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// NewRegistry returns a registry of the named domain event types at their current schema
// version, or of every domain event type when none is named. Its Decode returns event values.
func NewRegistry(types ...string) (*events.Registry, error) {
	all := domain.EventTypes()
	if len(types) == 0 {
		for name := range all {
			types = append(types, name)
		}
	}
	r := events.NewRegistry()
	for _, name := range types {
		spec, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("register event type %s: not a domain event type", name)
		}
		if err := r.RegisterValue(name, domain.SchemaVersion, spec.New, func(p any) any { return spec.Value(p) }); err != nil {
			return nil, fmt.Errorf("register domain event type %s: %w", name, err)
		}
	}
	return r, nil
}

// Decode returns the domain event env carries, decoded by r (from NewRegistry).
func Decode(r *events.Registry, env events.Envelope) (domain.Event, error) {
	v, err := r.Decode(env)
	if err != nil {
		return nil, err
	}
	e, ok := v.(domain.Event)
	if !ok {
		return nil, fmt.Errorf("decode %s@%d: %s decodes into %T, not a domain event", env.Stream, env.Revision, env.Type, v)
	}
	return e, nil
}

// DecodeAll returns the domain events a stream's envelopes carry, in order.
func DecodeAll(r *events.Registry, history []events.Envelope) ([]domain.Event, error) {
	out := make([]domain.Event, 0, len(history))
	for _, env := range history {
		e, err := Decode(r, env)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Encode returns e as an event to append, with meta as its metadata.
func Encode(e domain.Event, meta events.Metadata) (events.Proposed, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return events.Proposed{}, fmt.Errorf("encode %s: %w", e.EventType(), err)
	}
	return events.Proposed{Type: e.EventType(), Data: data, Metadata: meta}, nil
}
