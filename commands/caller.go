package commands

import (
	"time"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

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

// System is the caller of the ledger's own housekeeping commands, such as expiring certificates.
var System = Caller{Actor: domain.Actor{Subject: domain.SystemSubject}}

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
