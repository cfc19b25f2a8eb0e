package commands

import (
	"time"

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

// Caller is who runs a command and from where; every event it appends records it.
type Caller struct {
	Actor         domain.Actor
	SourceAddr    string
	UserAgent     string
	CorrelationID string
	// IfRevision, when set, is the revision of the command's stream the client last saw (the
	// HTTP If-Match): the command fails with ErrPreconditionFailed once the stream has moved on.
	// It applies to the stream the command is about, not to streams it touches on the side.
	IfRevision *uint64
}

// unconditional returns the caller without its If-Match, for the side steps of a command.
func (c Caller) unconditional() Caller {
	c.IfRevision = nil
	return c
}

// metadata is the envelope metadata of the events a caller's command appends at a time.
func (c Caller) metadata(at time.Time) events.Metadata {
	roles := make([]string, len(c.Actor.Roles))
	for i, r := range c.Actor.Roles {
		roles[i] = string(r)
	}
	return events.Metadata{
		SchemaVersion: domain.SchemaVersion,
		OccurredAt:    at.UTC(),
		Actor: events.Actor{Subject: c.Actor.Subject, Roles: roles, Team: c.Actor.Team,
			SourceAddr: c.SourceAddr, UserAgent: c.UserAgent},
		CorrelationID: c.CorrelationID,
	}
}

// propose encodes domain events for appending.
func propose(decided []domain.Event, meta events.Metadata) ([]events.Proposed, error) {
	out := make([]events.Proposed, len(decided))
	for i, e := range decided {
		p, err := codec.Encode(e, meta)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}
