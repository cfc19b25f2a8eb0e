package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// LoadLast reads only the newest event of a ledger stream, for streams that grow for ever and
// whose decisions need only their last event (the audit checkpoints). It returns that event (none
// for a stream that does not exist yet) and the stream's head. The event's stored hash must
// recompute from its bytes and its stored prev_hash; the chain before it is not read, so it is
// not verified here (ledgerctl audit verify checks every chain).
func (s *Store) LoadLast(ctx context.Context, stream string) ([]events.Envelope, events.Head, error) {
	rs, err := s.client.ReadStream(ctx, stream, esdb.ReadStreamOptions{From: esdb.End{}, Direction: esdb.Backwards}, 1)
	if err != nil {
		return nil, events.Head{}, fmt.Errorf("load the last event of %s: %w", stream, err)
	}
	defer rs.Close()
	e, err := rs.Recv()
	if errors.Is(err, io.EOF) || isCode(err, esdb.ErrorCodeResourceNotFound) {
		return nil, events.Head{}, nil
	}
	if err != nil {
		return nil, events.Head{}, fmt.Errorf("load the last event of %s: %w", stream, err)
	}
	raw := rawOf(e.Event)
	env, err := events.ParseEnvelope(raw)
	if err != nil {
		return nil, events.Head{}, fmt.Errorf("load the last event of %s: %w", stream, err)
	}
	h, err := events.HashOf(raw, env.PrevHash)
	if err != nil {
		return nil, events.Head{}, fmt.Errorf("load the last event of %s: %w", stream, err)
	}
	if h != env.Hash {
		return nil, events.Head{}, fmt.Errorf("load the last event of %s: %w", stream,
			&events.ChainError{Stream: stream, Revision: raw.Revision, Reason: "hash mismatch"})
	}
	return []events.Envelope{env}, events.Head{}.After(env), nil
}
