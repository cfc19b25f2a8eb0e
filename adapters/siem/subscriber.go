package siem

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/certledger/certledger/events"
)

// EventSource is the event store as the forwarder reads it; *eventstore.Store implements it.
type EventSource interface {
	// Subscribe delivers the events of $all after position after, stored then live, until ctx
	// ends or handle fails.
	Subscribe(ctx context.Context, after uint64, opts events.Subscription, handle func(events.Raw) error) error
	// LastPosition returns the position of the newest event in $all.
	LastPosition(ctx context.Context) (uint64, error)
}

// Metadata of every forwarded message, besides its UUID (the ledger event id).
const (
	MetaStream = "ledger-stream" // the event's stream: the Kafka key, an AMQP/NATS header
	MetaType   = "ledger-type"   // the ledger event type
	// metaEncodeError carries why the CloudEvent could not be encoded; such a message is
	// poisoned at once instead of being lost.
	metaEncodeError = "ledger-encode-error"
)

// Timing of a subscriber.
const (
	saveInterval   = 200 * time.Millisecond // the checkpoint is stored this often while it moves,
	saveEvents     = 1000                   // or after this many acknowledgements,
	closeGrace     = 10 * time.Second       // and Close waits this long for deliveries in flight
	loadRetryDelay = time.Second            // between attempts to read the stored checkpoint
)

// ledgerSubscriber is a watermill message.Subscriber over the event store, one per sink: it
// follows $all from the sink's stored checkpoint and emits each ledger event that passes the
// sink's filter as a message whose UUID is the event id and whose payload is the CloudEvent JSON.
//
// Unlike a broker subscription it keeps several messages in flight (up to the sink's
// max_in_flight, so that a sink's round trips overlap), but never two of the same ledger
// stream: the next event of a stream is emitted only once the previous one is acknowledged,
// so every sink sees each stream in order. A nacked message is emitted again after
// redeliverDelay. The checkpoint advances only past acknowledged events (see positions) and is
// stored every saveInterval, every saveEvents acknowledgements and on Close.
type ledgerSubscriber struct {
	sink           string
	source         EventSource
	ceSource       string
	filter         filter
	window         int
	redeliverDelay time.Duration
	saveInterval   time.Duration
	store          checkpoints
	leases         Leases // nil: forward without a lease
	log            *slog.Logger

	position atomic.Uint64 // the watermark, read by the lag metric
	started  atomic.Bool
	stop     chan struct{} // closed by Close
	stopOnce sync.Once
	done     chan struct{} // closed once the final checkpoint is stored
}

func newLedgerSubscriber(sink string, f filter, window int, source EventSource, ceSource string,
	redeliverDelay time.Duration, store checkpoints, log *slog.Logger) *ledgerSubscriber {
	return &ledgerSubscriber{sink: sink, source: source, ceSource: ceSource, filter: f, window: window,
		redeliverDelay: redeliverDelay, saveInterval: saveInterval, store: store, log: log,
		stop: make(chan struct{}), done: make(chan struct{})}
}

// Subscribe starts following $all; topic is ignored. It may be called once.
func (s *ledgerSubscriber) Subscribe(ctx context.Context, _ string) (<-chan *message.Message, error) {
	if !s.started.CompareAndSwap(false, true) {
		return nil, errors.New("siem: a ledger subscriber subscribes once")
	}
	out := make(chan *message.Message)
	go s.run(ctx, out)
	return out, nil
}

// Close stops the subscription, waits up to closeGrace for the deliveries in flight, and stores
// the final checkpoint.
func (s *ledgerSubscriber) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	if s.started.Load() {
		<-s.done
	}
	return nil
}

// run forwards until ctx ends or Close is called, in lease terms: it waits for the sink's lease,
// loads the checkpoint, and dispatches events until the lease is lost; then it starts over.
func (s *ledgerSubscriber) run(ctx context.Context, out chan *message.Message) {
	defer close(s.done)
	defer close(out)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	for ctx.Err() == nil {
		lease, err := s.acquire(ctx)
		if err != nil {
			return
		}
		s.term(ctx, lease, out)
		lease.Release()
	}
}

// acquire waits for the sink's lease; without Leases it holds one that is never lost.
func (s *ledgerSubscriber) acquire(ctx context.Context) (Lease, error) {
	if s.leases == nil {
		return unleased{}, nil
	}
	return s.leases.Acquire(ctx, leaseName(s.sink))
}

// term forwards from the stored checkpoint until ctx ends or the lease is lost.
func (s *ledgerSubscriber) term(ctx context.Context, lease Lease, out chan *message.Message) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-lease.Done():
			s.log.Warn("SIEM forwarder: the sink's lease was lost; another node forwards to it now")
			cancel()
		case <-ctx.Done():
		}
	}()
	pos, storeID, ok := s.loadCheckpoint(ctx, lease)
	if !ok {
		return
	}
	s.position.Store(pos)
	feed := make(chan item, 256)
	followed := make(chan struct{})
	go func() { defer close(followed); s.follow(ctx, pos, feed) }()
	newDispatch(s, pos, lease, storeID).loop(ctx, feed, out)
	cancel()
	<-followed
}

// loadCheckpoint reads the stored position, retrying until it succeeds or ctx ends, with the
// store's identity. A position kept for another store (the first event of $all differs), or
// beyond this store's newest one (another store, or one restored from an older backup), means
// nothing here: following on from it would skip this store's events below it, so the sink
// starts again from the beginning, and says so.
func (s *ledgerSubscriber) loadCheckpoint(ctx context.Context, lease Lease) (uint64, string, bool) {
	for {
		pos, storedID, err := s.store.load(ctx, s.sink)
		var last uint64
		var storeID string
		if err == nil {
			last, err = s.source.LastPosition(ctx)
		}
		if err == nil {
			storeID, err = identity(ctx, s.source)
		}
		other := storedID != "" && storeID != "" && storedID != storeID
		if err == nil && (pos > last || other) {
			s.log.Warn("the SIEM checkpoint was reached in another event store; forwarding this store's events from the beginning",
				"checkpoint", pos, "store_last_position", last, "checkpoint_store", storedID, "store", storeID)
			// Stored at once, so that a crash before the next checkpoint cannot leave the old one
			// standing once the new store has grown past it.
			if err = s.store.save(ctx, s.sink, 0, lease, storeID); err == nil {
				return 0, storeID, true
			}
		}
		if err == nil {
			return pos, storeID, true
		}
		s.log.Warn("SIEM forwarder waits for its checkpoint in Postgres", "error", err)
		select {
		case <-ctx.Done():
			return 0, "", false
		case <-time.After(loadRetryDelay):
		}
	}
}

// identified is an EventSource that names its store: the id of the first event of $all, ""
// while it is empty; *eventstore.Store is one.
type identified interface {
	Identity(ctx context.Context) (string, error)
}

// identity returns the source's identity, "" when it names none.
func identity(ctx context.Context, source EventSource) (string, error) {
	if s, ok := source.(identified); ok {
		return s.Identity(ctx)
	}
	return "", nil
}

// item is what the event store subscription hands to the dispatcher: a position in $all, with the
// event to deliver there, or none (a checkpoint of the store, or an event not for this sink).
type item struct {
	pos uint64
	t   *tracked
}

// follow subscribes to $all after pos until ctx ends; the store resubscribes by itself when its
// connection drops.
func (s *ledgerSubscriber) follow(ctx context.Context, pos uint64, feed chan<- item) {
	send := func(it item) error {
		select {
		case feed <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	opts := events.Subscription{
		Filter:       s.filter.server(),
		OnCheckpoint: func(p uint64) { _ = send(item{pos: p}) },
		OnDrop: func(err error) {
			s.log.Warn("SIEM forwarder: event store subscription dropped; resubscribing", "error", err)
		},
	}
	err := s.source.Subscribe(ctx, pos, opts, func(raw events.Raw) error {
		return send(item{pos: raw.Position, t: s.prepare(raw)})
	})
	if err != nil && ctx.Err() == nil {
		s.log.Error("SIEM forwarder: event store subscription ended", "error", err)
	}
}
