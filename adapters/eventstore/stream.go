package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// ReadStream yields the events of one stream as stored, oldest first, without checking its chain
// (a verifier does that); a stream that does not exist yields nothing.
func (s *Store) ReadStream(ctx context.Context, stream string) iter.Seq2[events.Raw, error] {
	return func(yield func(events.Raw, error) bool) {
		rs, err := s.client.ReadStream(ctx, stream, esdb.ReadStreamOptions{From: esdb.Start{}}, ^uint64(0))
		if err != nil {
			yield(events.Raw{}, fmt.Errorf("read %s: %w", stream, err))
			return
		}
		defer rs.Close()
		for {
			e, err := rs.Recv()
			if errors.Is(err, io.EOF) || isCode(err, esdb.ErrorCodeResourceNotFound) {
				return
			}
			if err != nil {
				yield(events.Raw{}, fmt.Errorf("read %s: %w", stream, err))
				return
			}
			if !yield(rawOf(e.Event), nil) {
				return
			}
		}
	}
}
