package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// Append seals the proposed events into the stream's chain after head and appends them with
// head's revision as the expected revision. It returns the stream's new head, or an error wrapping
// events.ErrConflict when the stream moved on since head was loaded.
func (s *Store) Append(ctx context.Context, stream string, head events.Head, proposed []events.Proposed) (events.Head, error) {
	if len(proposed) == 0 {
		return head, nil
	}
	batch := make([]esdb.EventData, len(proposed))
	next := head
	for i, p := range proposed {
		meta, h, err := events.Seal(stream, next.Next, next.Hash, p)
		if err != nil {
			return head, fmt.Errorf("append to %s: %w", stream, err)
		}
		batch[i] = esdb.EventData{EventID: p.ID, EventType: p.Type, ContentType: esdb.ContentTypeJson, Data: p.Data, Metadata: meta}
		next = events.Head{Next: next.Next + 1, Hash: h}
	}
	var expected esdb.ExpectedRevision = esdb.NoStream{}
	if head.Exists() {
		expected = esdb.Revision(head.Next - 1)
	}
	_, err := s.client.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{ExpectedRevision: expected}, batch...)
	if isCode(err, esdb.ErrorCodeWrongExpectedVersion) {
		return head, fmt.Errorf("append to %s at revision %d: %w", stream, head.Next, events.ErrConflict)
	}
	if err != nil {
		return head, fmt.Errorf("append to %s: %w", stream, err)
	}
	return next, nil
}

// Load reads a whole ledger stream, verifies its hash chain and returns its events and head. A
// stream that does not exist yet has no events and the zero head; a broken chain is an error
// wrapping *events.ChainError, so no command decides on forged history.
func (s *Store) Load(ctx context.Context, stream string) ([]events.Envelope, events.Head, error) {
	rs, err := s.client.ReadStream(ctx, stream, esdb.ReadStreamOptions{From: esdb.Start{}}, ^uint64(0))
	if err != nil {
		return nil, events.Head{}, fmt.Errorf("load %s: %w", stream, err)
	}
	defer rs.Close()
	var out []events.Envelope
	head := events.Head{}
	chain := events.NewVerifier()
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, head, nil
		}
		if isCode(err, esdb.ErrorCodeResourceNotFound) {
			return nil, events.Head{}, nil
		}
		if err != nil {
			return nil, events.Head{}, fmt.Errorf("load %s: %w", stream, err)
		}
		raw := rawOf(e.Event)
		if err := chain.Add(raw); err != nil {
			return nil, events.Head{}, fmt.Errorf("load %s: %w", stream, err)
		}
		env, err := events.ParseEnvelope(raw)
		if err != nil {
			return nil, events.Head{}, fmt.Errorf("load %s: %w", stream, err)
		}
		out = append(out, env)
		head = head.After(env)
	}
}
