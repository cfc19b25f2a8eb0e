package conformance_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// parallel runs work(i) for i in [0, n) on at most width goroutines and returns the first error.
func parallel(n, width int, work func(i int) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		next  = make(chan int)
	)
	for w := 0; w < width; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := work(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

func tenThousandStreams(t *testing.T, c *esdb.Client) {
	const n = 10_000
	p, from := newStream("many"), lastPosition(t, c)
	evs := newEvents(n, "Added")
	name := func(i int) string { return fmt.Sprintf("%s-%05d", p, i) }
	ctx := ctxFor(t, 2*time.Minute)

	err := parallel(n, 32, func(i int) error {
		_, err := c.AppendToStream(ctx, name(i), esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, evs[i])
		return err
	})
	require.NoError(t, err, "append")

	err = parallel(n, 32, func(i int) error {
		got, err := collect(c.ReadStream(ctx, name(i), esdb.ReadStreamOptions{}, 10))
		if err == nil && (len(got) != 1 || got[0].EventID != evs[i].EventID || got[0].EventNumber != 0) {
			err = fmt.Errorf("stream %s holds %d events, want exactly %s at revision 0", name(i), len(got), evs[i].EventID)
		}
		return err
	})
	require.NoError(t, err, "read back")

	all := inStreams(readAll(t, c, esdb.ReadAllOptions{From: from}, 1<<62), p)
	require.Len(t, all, n, "$all holds every stream's event")
	seen := make(map[uuid.UUID]bool, n)
	for i, ev := range all {
		require.False(t, seen[ev.EventID], "event %s twice in $all", ev.EventID)
		seen[ev.EventID] = true
		if i > 0 {
			require.True(t, less(all[i-1].Position, ev.Position), "$all position %d does not grow", i)
		}
	}
}

func concurrentWriters(t *testing.T, c *esdb.Client) {
	const writers, appends = 16, 25
	p := newStream("writers")
	shared, own := p+"-shared", func(w int) string { return fmt.Sprintf("%s-own-%02d", p, w) }
	ctx := ctxFor(t, 2*time.Minute)
	var mu sync.Mutex
	sharedIDs := map[uuid.UUID]bool{}
	ownEvents := make([][]esdb.EventData, writers)

	err := parallel(writers, writers, func(w int) error {
		for i := 0; i < appends; i++ {
			evs := newEvents(1+i%2, "Own")
			exp := esdb.ExpectedRevision(esdb.NoStream{})
			if n := len(ownEvents[w]); n > 0 {
				exp = esdb.Revision(uint64(n - 1))
			}
			if _, err := c.AppendToStream(ctx, own(w), esdb.AppendToStreamOptions{ExpectedRevision: exp}, evs...); err != nil {
				return fmt.Errorf("writer %d own append %d: %w", w, i, err)
			}
			ownEvents[w] = append(ownEvents[w], evs...)
			ev := newEvent("Shared")
			if err := appendWithRetry(ctx, c, shared, ev); err != nil {
				return fmt.Errorf("writer %d shared append %d: %w", w, i, err)
			}
			mu.Lock()
			sharedIDs[ev.EventID] = true
			mu.Unlock()
		}
		return nil
	})
	require.NoError(t, err)

	for w := 0; w < writers; w++ {
		requireStream(t, c, own(w), ownEvents[w])
	}
	got := readWhole(t, c, shared)
	require.Len(t, got, writers*appends, "no lost or duplicated shared events")
	require.Equal(t, seq(0, writers*appends-1), revisions(got))
	for _, ev := range got {
		require.True(t, sharedIDs[ev.EventID], "unacknowledged event %s in the shared stream", ev.EventID)
		delete(sharedIDs, ev.EventID)
	}
}
