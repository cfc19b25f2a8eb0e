package projections_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// rebuildEvents is how many events BenchmarkRebuild replays.
const rebuildEvents = 100_000

// BenchmarkRebuild measures rebuild throughput, from reading $all through the client to
// committed rows in Postgres, for 100k small events appended in batches of 100:
//   - source: reading and parsing $all only, the ceiling for any projection;
//   - counts: the example projection, one upsert per event (Apply only);
//   - batch_counts: the same with ApplyBatch, one upsert per category and transaction;
//   - event_log: one row per event, written with COPY.
func BenchmarkRebuild(b *testing.B) {
	e := newEnv(b)
	categories := []string{events.CategoryCertificate, events.CategoryCA, events.CategorySigningKey, events.CategoryEndpoint}
	for _, c := range categories {
		e.appendEvents(b, c, "Happened", rebuildEvents/len(categories), 100, 4)
	}
	ctx := context.Background()

	b.Run("source", func(b *testing.B) {
		for b.Loop() {
			n := 0
			for raw, err := range e.store.ReadAll(ctx, 0) {
				require.NoError(b, err)
				_, err = events.ParseEnvelope(raw)
				require.NoError(b, err)
				n++
			}
			require.Equal(b, rebuildEvents, n)
		}
		b.ReportMetric(float64(rebuildEvents*b.N)/b.Elapsed().Seconds(), "events/s")
	})
	for _, p := range []projections.Projection{counts{}, newBatchCounts(), eventLog{}} {
		b.Run(p.Name(), func(b *testing.B) {
			r, err := projections.NewRunner(e.pool, e.store, []projections.Projection{p})
			require.NoError(b, err)
			for b.Loop() {
				require.NoError(b, r.Rebuild(ctx, p.Name(), nil))
			}
			b.ReportMetric(float64(rebuildEvents*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
