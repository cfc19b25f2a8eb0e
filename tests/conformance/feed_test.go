package conformance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// waitTimeout bounds every wait for a subscription message.
const waitTimeout = 20 * time.Second

// feed pumps a subscription's messages into a channel, so that every wait on it is bounded.
type feed struct {
	t  *testing.T
	ch chan *esdb.SubscriptionEvent
}

// newFeed starts pumping sub; the subscription is closed when the test ends.
func newFeed(t *testing.T, sub *esdb.Subscription, err error) *feed {
	t.Helper()
	require.NoError(t, err, "subscribe")
	f := &feed{t: t, ch: make(chan *esdb.SubscriptionEvent, 1024)}
	done := make(chan struct{})
	go func() {
		for {
			ev := sub.Recv()
			select {
			case f.ch <- ev:
			case <-done:
				return
			}
			if ev.SubscriptionDropped != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { close(done); _ = sub.Close() })
	return f
}

// next returns the next message, failing the test after timeout or when the subscription drops.
func (f *feed) next(timeout time.Duration) *esdb.SubscriptionEvent {
	f.t.Helper()
	select {
	case ev := <-f.ch:
		if ev.SubscriptionDropped != nil {
			f.t.Fatalf("subscription dropped: %v", ev.SubscriptionDropped.Error)
		}
		return ev
	case <-time.After(timeout):
		f.t.Fatalf("no subscription message within %v", timeout)
		return nil
	}
}

// ours tells whether ev is in a stream starting with prefix; an empty prefix claims every event.
func ours(ev *esdb.RecordedEvent, prefix string) bool { return strings.HasPrefix(ev.StreamID, prefix) }

// expect requires the next events of streams starting with prefix to be want, in order. Events of
// other streams are skipped when prefix is not empty; checkpoints and caught-up/fell-behind notices
// are skipped and counted as checkpoints seen.
func (f *feed) expect(prefix string, want ...uuid.UUID) (got []*esdb.RecordedEvent, checkpoints []esdb.Position) {
	f.t.Helper()
	for len(got) < len(want) {
		ev := f.next(waitTimeout)
		switch {
		case ev.CheckPointReached != nil:
			checkpoints = append(checkpoints, *ev.CheckPointReached)
		case ev.EventAppeared != nil:
			rec := ev.EventAppeared.OriginalEvent()
			if !ours(rec, prefix) {
				continue
			}
			require.Equal(f.t, want[len(got)], rec.EventID,
				"event %d: got %s@%d in %s", len(got), rec.EventType, rec.EventNumber, rec.StreamID)
			got = append(got, rec)
		}
	}
	return got, checkpoints
}

// caughtUp waits for the caught-up notice; no event of streams starting with prefix may come first.
func (f *feed) caughtUp(prefix string) {
	f.t.Helper()
	for {
		ev := f.next(waitTimeout)
		switch {
		case ev.CaughtUp != nil:
			return
		case ev.EventAppeared != nil && ours(ev.EventAppeared.OriginalEvent(), prefix):
			rec := ev.EventAppeared.OriginalEvent()
			f.t.Fatalf("unexpected event %s@%d in %s before caught-up", rec.EventType, rec.EventNumber, rec.StreamID)
		}
	}
}

// subscribeAll subscribes to $all from a position with an optional filter.
func subscribeAll(t *testing.T, c *esdb.Client, from esdb.AllPosition, filter *esdb.SubscriptionFilter) *feed {
	t.Helper()
	sub, err := c.SubscribeToAll(ctxFor(t, 2*time.Minute), esdb.SubscribeToAllOptions{From: from, Filter: filter})
	return newFeed(t, sub, err)
}

// subscribeStream subscribes to a stream from a revision.
func subscribeStream(t *testing.T, c *esdb.Client, stream string, from esdb.StreamPosition) *feed {
	t.Helper()
	sub, err := c.SubscribeToStream(ctxFor(t, 2*time.Minute), stream, esdb.SubscribeToStreamOptions{From: from})
	return newFeed(t, sub, err)
}
