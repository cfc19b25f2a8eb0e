package conformance_test

import (
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/require"
)

// keepaliveIdle is longer than the ~30 s after which a grpc-go server with default settings answers
// the client's 10 s keepalive pings with GOAWAY "too_many_pings" and so kills live subscriptions.
const keepaliveIdle = 45 * time.Second

// subscriptionSurvivesKeepalive leaves a caught-up subscription idle for 45 s, then requires it to
// deliver a new event. It is skipped by -short only because it waits 45 s; it runs in a normal run.
func subscriptionSurvivesKeepalive(t *testing.T, c *esdb.Client) {
	if testing.Short() {
		t.Skip("-short: this scenario idles 45 s to outlast grpc keepalive enforcement")
	}
	s, evs := newStream("keepalive"), newEvents(2, "Added")
	appendOK(t, c, s, esdb.NoStream{}, evs[0])
	f := subscribeStream(t, c, s, esdb.Start{})
	f.expect(s, evs[0].EventID)
	f.caughtUp(s)

	idle := time.After(keepaliveIdle)
	for waiting := true; waiting; {
		select {
		case ev := <-f.ch:
			if ev.SubscriptionDropped != nil {
				t.Fatalf("subscription dropped while idle: %v", ev.SubscriptionDropped.Error)
			}
			require.Nil(t, ev.EventAppeared, "no event was appended while idle")
		case <-idle:
			waiting = false
		}
	}

	appendOK(t, c, s, esdb.Revision(0), evs[1])
	got, _ := f.expect(s, evs[1].EventID)
	require.EqualValues(t, 1, got[0].EventNumber)
}
