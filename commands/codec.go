package commands

import (
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// NewRegistry returns the registry of every domain event type at its current schema version;
// it decodes event values (codec.NewRegistry).
func NewRegistry() (*events.Registry, error) { return codec.NewRegistry() }

// decodeHistory turns a stream's envelopes into the domain events they carry.
func decodeHistory(r *events.Registry, history []events.Envelope) ([]domain.Event, error) {
	return codec.DecodeAll(r, history)
}
