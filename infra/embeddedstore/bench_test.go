package embeddedstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// kib is the data of a ~1 KiB event.
var kib = `{"pad":"` + strings.Repeat("x", 1000) + `"}`

// BenchmarkAppend measures durable appends of ~1 KiB events through the official client, each
// writer on its own stream, as events/s: single-event appends, and appends of ten events as a
// command with several events makes them.
func BenchmarkAppend(b *testing.B) {
	for _, tc := range []struct{ writers, batch int }{{1, 1}, {16, 1}, {16, 10}} {
		b.Run(fmt.Sprintf("writers=%d/events_per_append=%d", tc.writers, tc.batch), func(b *testing.B) {
			_, c := startStore(b, b.TempDir())
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < tc.writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					stream := "bench-" + uuid.NewString()
					batch := make([]esdb.EventData, tc.batch)
					for next.Add(int64(tc.batch)) <= int64(b.N) {
						for i := range batch {
							batch[i] = event("Bench", kib)
						}
						_, err := c.AppendToStream(context.Background(), stream, esdb.AppendToStreamOptions{}, batch...)
						if err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkReadAll measures reading $all forwards through the client, as events/s.
func BenchmarkReadAll(b *testing.B) {
	_, c := startStore(b, b.TempDir())
	const stored = 20_000
	batch := make([]esdb.EventData, 100)
	for i := 0; i < stored/len(batch); i++ {
		for j := range batch {
			batch[j] = event("Bench", kib)
		}
		_, err := c.AppendToStream(context.Background(), "bench-"+uuid.NewString(), esdb.AppendToStreamOptions{}, batch...)
		require.NoError(b, err)
	}
	b.ResetTimer()
	start, read := time.Now(), 0
	for read < b.N {
		rs, err := c.ReadAll(context.Background(), esdb.ReadAllOptions{From: esdb.Start{}}, uint64(min(b.N-read, stored)))
		require.NoError(b, err)
		for {
			_, err := rs.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(b, err)
			read++
		}
		rs.Close()
	}
	b.ReportMetric(float64(read)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkSubscriptionLatency measures the time from an append's acknowledgement starting to the
// event reaching a live $all subscriber.
func BenchmarkSubscriptionLatency(b *testing.B) {
	_, c := startStore(b, b.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub, err := c.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{From: esdb.End{}})
	require.NoError(b, err)
	defer sub.Close()
	stream := "bench-" + uuid.NewString()
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sent := time.Now()
		_, err := c.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{}, event("Bench", kib))
		require.NoError(b, err)
		for {
			e := sub.Recv()
			require.Nil(b, e.SubscriptionDropped)
			if e.EventAppeared != nil {
				break
			}
		}
		total += time.Since(sent)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/event")
}
