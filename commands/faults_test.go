package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// errStoreDown is what an injected store failure returns.
var errStoreDown = errors.New("injected: the event store is unavailable")

// faultKind is what an append carrying a chosen event type meets.
type faultKind int

const (
	// conflict answers as if another writer had moved the stream on, appending nothing.
	conflict faultKind = iota
	// failure answers as a store that is down, appending nothing.
	failure
	// voidFirst lets another writer void the stream's open signing intent first (as a sweep of
	// stale intents would); the append then conflicts for real.
	voidFirst
)

// fault is a fault and how many more appends it hits; times < 0 hits every one.
type fault struct {
	kind  faultKind
	times int
}

// faultyStore is the real event store with faults injected into the appends that carry an
// event of a chosen type. It is not a mock: every append that is let through is the store's.
type faultyStore struct {
	commands.EventStore
	mu     sync.Mutex
	faults map[string]*fault
}

func newFaultyStore(store commands.EventStore) *faultyStore {
	return &faultyStore{EventStore: store, faults: map[string]*fault{}}
}

// inject makes the next times appends carrying an event of eventType meet kind.
func (s *faultyStore) inject(eventType string, kind faultKind, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[eventType] = &fault{kind: kind, times: times}
}

// heal removes every fault.
func (s *faultyStore) heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string]*fault{}
}

// Append injects the fault of the first proposed event type that has one, then appends.
func (s *faultyStore) Append(ctx context.Context, stream string, head events.Head, proposed []events.Proposed) (events.Head, error) {
	if kind, hit := s.take(proposed); hit {
		switch kind {
		case conflict:
			return events.Head{}, fmt.Errorf("%s: injected: %w", stream, events.ErrConflict)
		case failure:
			return events.Head{}, errStoreDown
		case voidFirst:
			if err := s.voidOpenIntent(ctx, stream); err != nil {
				return events.Head{}, err
			}
		}
	}
	return s.EventStore.Append(ctx, stream, head, proposed)
}

func (s *faultyStore) take(proposed []events.Proposed) (faultKind, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range proposed {
		if f := s.faults[p.Type]; f != nil && f.times != 0 {
			if f.times > 0 {
				f.times--
			}
			return f.kind, true
		}
	}
	return 0, false
}

// voidOpenIntent appends, as another writer, the void of the stream's last signing intent.
func (s *faultyStore) voidOpenIntent(ctx context.Context, stream string) error {
	history, head, err := s.EventStore.Load(ctx, stream)
	if err != nil {
		return err
	}
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Type != "SigningStarted" {
			continue
		}
		var intent domain.SigningStarted
		if err := json.Unmarshal(history[i].Data, &intent); err != nil {
			return err
		}
		voided := intent.Void(nil, "voided by a concurrent writer in a test", time.Now())
		data, err := json.Marshal(voided)
		if err != nil {
			return err
		}
		_, err = s.EventStore.Append(ctx, stream, head, []events.Proposed{{ID: uuid.New(), Type: voided.EventType(), Data: data,
			Metadata: events.Metadata{SchemaVersion: domain.SchemaVersion, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "test"}}}})
		return err
	}
	return fmt.Errorf("%s has no signing intent to void", stream)
}
