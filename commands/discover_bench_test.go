package commands_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/tests/testutil"
)

// BenchmarkDiscover records the first scan of 10,000 endpoints with 10,000 new certificates
// (a stream and a durable event each, plus the scope's changes), then a rescan that finds
// everything as it was, in the embedded store (issue 11 aims at >= 10,000 certificates/s).
func BenchmarkDiscover(b *testing.B) {
	const endpoints = 10_000
	store := eventstore.New(storetest.Client(b, storetest.Start(b)))
	app, err := commands.NewApplication(store, nil, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	ctx := context.Background()
	b.Run("first_scan", func(b *testing.B) {
		var recorded int
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			cmd := scan(fmt.Sprintf("fleet-%d", i), testutil.Sightings(b, endpoints, fmt.Sprint(i)))
			b.StartTimer()
			got, err := app.Discover.Handle(ctx, cmd, secops)
			require.NoError(b, err)
			require.Equal(b, endpoints, got.New)
			recorded += got.New
		}
		b.ReportMetric(float64(recorded)/b.Elapsed().Seconds(), "certs/s")
	})
	b.Run("rescan_unchanged", func(b *testing.B) {
		sightings := testutil.Sightings(b, endpoints, "same")
		_, err := app.Discover.Handle(ctx, scan("fleet-same", sightings), secops)
		require.NoError(b, err)
		var appended int
		for b.Loop() {
			got, err := app.Discover.Handle(ctx, scan("fleet-same", sightings), secops)
			require.NoError(b, err)
			appended += got.Appended + got.New
		}
		b.ReportMetric(float64(appended)/float64(b.N), "events/rescan")
		b.ReportMetric(float64(endpoints*b.N)/b.Elapsed().Seconds(), "endpoints/s")
	})
}
