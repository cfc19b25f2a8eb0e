package conformance_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/require"
)

const (
	crashRounds      = 3
	crashWriters     = 8
	crashAcksPerKill = 300 // acknowledged appends in a round before the store is killed
)

// TestCrashRecovery kills the embedded store with SIGKILL while 8 writers append, restarts it on the
// same folder, and requires every acknowledged append back, byte-exact, with no gaps and no partial
// appends; three rounds, then a last check by an in-process store.
func TestCrashRecovery(t *testing.T) {
	dir := t.TempDir()
	led := &ledger{acked: map[string][]batch{}}
	p := newStream("crash")
	var streams []string
	for i := 0; i < crashWriters*2; i++ {
		streams = append(streams, fmt.Sprintf("%s-%02d", p, i))
	}
	for round := 1; round <= crashRounds; round++ {
		ch := startChild(t, dir)
		c := dial(t, "esdb://"+ch.addr+"?tls=false")
		next, adopted := led.verify(t, c, streams)
		if round > 1 {
			t.Logf("restart %d: every acknowledged append is back; %d unacknowledged appends landed whole", round-1, adopted)
		}
		acks := loadUntilKilled(t, c, ch, led, streams, next)
		t.Logf("round %d: %d appends acknowledged before SIGKILL", round, acks)
		require.NoError(t, c.Close())
	}
	srv := startEmbedded(t, dir)
	_, adopted := led.verify(t, dial(t, srv.URL()), streams)
	t.Logf("final restart in-process: every acknowledged append is back; %d unacknowledged appends landed whole", adopted)
}

// loadUntilKilled runs the writers, kills the store once enough appends are acknowledged, and
// returns how many were acknowledged in the round. Writer w owns streams 2w and 2w+1.
func loadUntilKilled(t *testing.T, c *esdb.Client, ch *child, led *ledger, streams []string, next map[string]uint64) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var acks, inFlight atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < crashWriters; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := streams[2*w : 2*w+2]
			rev := []uint64{next[mine[0]], next[mine[1]]}
			for i := 0; ctx.Err() == nil; i++ {
				s := mine[i%2]
				b := newBatch(s, rev[i%2], 1+mrand.IntN(5))
				exp := esdb.ExpectedRevision(esdb.NoStream{})
				if b.first > 0 {
					exp = esdb.Revision(b.first - 1)
				}
				inFlight.Add(1)
				_, err := c.AppendToStream(ctx, s, esdb.AppendToStreamOptions{ExpectedRevision: exp}, b.events...)
				inFlight.Add(-1)
				if err != nil {
					return // the store is gone; whether this batch landed is checked after restart
				}
				led.ack(b)
				rev[i%2] += uint64(len(b.events))
				acks.Add(1)
			}
		}()
	}
	deadline := time.Now().Add(30 * time.Second)
	for acks.Load() < crashAcksPerKill && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(time.Duration(mrand.IntN(5000)) * time.Microsecond)
	busy := inFlight.Load()
	ch.kill()
	wg.Wait()
	require.GreaterOrEqual(t, acks.Load(), int64(crashAcksPerKill), "the store acknowledged too few appends in 30 s")
	t.Logf("%d appends in flight at SIGKILL", busy)
	return acks.Load()
}
