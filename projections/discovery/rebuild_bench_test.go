package discovery_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/discovery"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/tests/testutil"
)

// BenchmarkRebuild rebuilds the discovery read model from one scan of 10,000 endpoints, each
// serving a certificate of its own: 10,000 CertificateDiscovered, 10 parts of changes and the
// summary (issue 11 aims at >= 10,000 discovered certificates/s into the read model).
func BenchmarkRebuild(b *testing.B) {
	const endpoints = 10_000
	ctx := context.Background()
	pool := pgtest.NewDatabase(b)
	require.NoError(b, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(b, storetest.Start(b)))
	app, err := commands.NewApplication(store, nil, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	now := time.Now()
	_, err = app.Discover.Handle(ctx, commands.DiscoverCertificates{CommandID: uuid.New(), Scan: domain.Scan{ScanID: uuid.New(),
		Scope: "fleet", Source: "bench", StartedAt: now.Add(-time.Second), FinishedAt: now,
		Sightings: testutil.Sightings(b, endpoints, "rebuild")}}, secops)
	require.NoError(b, err)
	inventory, err := pki.New() // the queries join the inventory; its schema must exist
	require.NoError(b, err)
	r, err := projections.NewRunner(pool, store, []projections.Projection{inventory, discovery.New()},
		projections.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(b, err)
	for b.Loop() {
		require.NoError(b, r.Rebuild(ctx, discovery.Name, nil))
	}
	b.ReportMetric(float64(endpoints*b.N)/b.Elapsed().Seconds(), "certs/s")
	var n int
	require.NoError(b, pool.QueryRow(ctx, "SELECT count(*) FROM rm_discovery.locations WHERE fingerprint IS NOT NULL").Scan(&n))
	require.Equal(b, endpoints, n)
}
