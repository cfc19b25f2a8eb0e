package commands

import (
	"fmt"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// NewRegistry returns the registry of every domain event type at its current schema version.
func NewRegistry() (*events.Registry, error) {
	r := events.NewRegistry()
	for eventType, newEvent := range domain.EventTypes() {
		if err := r.Register(eventType, domain.SchemaVersion, func() any { return newEvent() }); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// decodeHistory turns a stream's envelopes into the domain events they carry.
func decodeHistory(r *events.Registry, history []events.Envelope) ([]domain.Event, error) {
	out := make([]domain.Event, 0, len(history))
	for _, env := range history {
		v, err := r.Decode(env)
		if err != nil {
			return nil, fmt.Errorf("decode %s@%d: %w", env.Stream, env.Revision, err)
		}
		e, ok := v.(domain.Event)
		if !ok {
			return nil, fmt.Errorf("decode %s@%d: %T is not a domain event", env.Stream, env.Revision, v)
		}
		out = append(out, e)
	}
	return out, nil
}
