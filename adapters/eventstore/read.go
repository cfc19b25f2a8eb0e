package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// readPage is how many events one read request of $all asks for.
const readPage = 4096

// ReadAll yields the events of $all after position after (0: from the start), ledger and system
// events alike, in $all order, until the end of what is stored now.
func (s *Store) ReadAll(ctx context.Context, after uint64) iter.Seq2[events.Raw, error] {
	return func(yield func(events.Raw, error) bool) {
		for {
			var from esdb.AllPosition = esdb.Start{}
			if after > 0 {
				from = esdb.Position{Commit: after + 1, Prepare: after + 1}
			}
			rs, err := s.client.ReadAll(ctx, esdb.ReadAllOptions{From: from}, readPage)
			if err != nil {
				yield(events.Raw{}, fmt.Errorf("read $all after %d: %w", after, err))
				return
			}
			n, ok := s.drain(rs, &after, yield)
			rs.Close()
			if !ok || n < readPage {
				return
			}
		}
	}
}

// drain yields one page; ok is false when the caller stopped or an error was yielded.
func (s *Store) drain(rs *esdb.ReadStream, after *uint64, yield func(events.Raw, error) bool) (n int, ok bool) {
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return n, true
		}
		if err != nil {
			yield(events.Raw{}, fmt.Errorf("read $all after %d: %w", *after, err))
			return n, false
		}
		n++
		raw := rawOf(e.Event)
		*after = raw.Position
		if !yield(raw, nil) {
			return n, false
		}
	}
}

// Subscribe delivers every event of $all after position after (0: from the start), first the
// stored ones then live ones, to handle, in order, until ctx ends or handle fails. System events
// are left out, and with opts.Filter whatever it does not select. When the connection drops it resubscribes after the last delivered position.
func (s *Store) Subscribe(ctx context.Context, after uint64, opts events.Subscription, handle func(events.Raw) error) error {
	if opts.Filter != nil {
		if err := opts.Filter.Validate(); err != nil {
			return fmt.Errorf("subscribe to $all: %w", err)
		}
	}
	for ctx.Err() == nil {
		err := s.subscribeOnce(ctx, &after, opts, handle)
		var handlerErr handlerError
		if errors.As(err, &handlerErr) {
			return handlerErr.err
		}
		if ctx.Err() != nil {
			break
		}
		if opts.OnDrop != nil {
			opts.OnDrop(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(retryDelay):
		}
	}
	return ctx.Err()
}

type handlerError struct{ err error }

func (e handlerError) Error() string { return e.err.Error() }

func (s *Store) subscribeOnce(ctx context.Context, after *uint64, opts events.Subscription, handle func(events.Raw) error) error {
	var from esdb.AllPosition = esdb.Start{}
	if *after > 0 {
		from = esdb.Position{Commit: *after, Prepare: *after}
	}
	filter := esdb.ExcludeSystemEventsFilter()
	if opts.Filter != nil {
		filter = serverFilter(*opts.Filter)
	}
	sub, err := s.client.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{From: from, Filter: filter})
	if err != nil {
		return fmt.Errorf("subscribe to $all after %d: %w", *after, err)
	}
	defer sub.Close()
	for {
		msg := sub.Recv()
		switch {
		case msg.SubscriptionDropped != nil:
			return fmt.Errorf("subscription to $all dropped: %w", msg.SubscriptionDropped.Error)
		case msg.CaughtUp != nil && opts.OnCaughtUp != nil:
			opts.OnCaughtUp()
		case msg.CheckPointReached != nil && opts.OnCheckpoint != nil:
			opts.OnCheckpoint(msg.CheckPointReached.Commit)
		case msg.EventAppeared != nil:
			raw := rawOf(msg.EventAppeared.Event)
			if err := handle(raw); err != nil {
				return handlerError{err}
			}
			*after = raw.Position
		}
	}
}

// ReadLast returns the newest n events of $all, oldest first.
func (s *Store) ReadLast(ctx context.Context, n uint64) ([]events.Raw, error) {
	rs, err := s.client.ReadAll(ctx, esdb.ReadAllOptions{From: esdb.End{}, Direction: esdb.Backwards}, n)
	if err != nil {
		return nil, fmt.Errorf("read the last %d events of $all: %w", n, err)
	}
	defer rs.Close()
	var out []events.Raw
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read the last %d events of $all: %w", n, err)
		}
		out = append(out, rawOf(e.Event))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// LastPosition returns the position of the newest event in $all, 0 when the store is empty.
func (s *Store) LastPosition(ctx context.Context) (uint64, error) {
	last, err := s.ReadLast(ctx, 1)
	if err != nil || len(last) == 0 {
		return 0, err
	}
	return last[0].Position, nil
}
