package pki_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
)

// BenchmarkReplayAsOf measures point-in-time replays of the read model on the data set of
// BenchmarkRebuild (41,000 events), into a schema of their own that each run replaces:
//   - now: as of a time after the newest event, every event;
//   - half: as of the position halfway through $all, which stops reading there.
//
// events/s counts the events replayed, over the whole call (the previous schema dropped, the
// new one created, replay_info written).
func BenchmarkReplayAsOf(b *testing.B) {
	ctx := context.Background()
	pool, store, total := benchLedger(b)
	p, err := pki.New()
	require.NoError(b, err)
	r, err := projections.NewRunner(pool, store, []projections.Projection{p},
		projections.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(b, err)
	last, err := store.LastPosition(ctx)
	require.NoError(b, err)
	// One replay before timing, so that no case pays for the store settling after the appends.
	_, err = r.ReplayAsOf(ctx, nil, projections.AsOfPosition(last), "bench_asof", nil)
	require.NoError(b, err)
	for _, bc := range []struct {
		name string
		asOf projections.AsOf
		want uint64
	}{
		{"now", projections.AsOfTime(time.Now().Add(time.Hour)), uint64(total)},
		{"half", projections.AsOfPosition(last / 2), last / 2},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var replayed uint64
			for b.Loop() {
				got, err := r.ReplayAsOf(ctx, nil, bc.asOf, "bench_asof", nil, projections.ReplaceSchema())
				require.NoError(b, err)
				require.Equal(b, bc.want, got.Events)
				replayed += got.Events
			}
			b.ReportMetric(float64(replayed)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
