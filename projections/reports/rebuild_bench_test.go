package reports_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/reports"
)

// The data set of the rebuild benchmark: certificates of 20 teams and 2 CAs, each requested,
// approved and issued, and one in benchRevokeEvery revoked.
const benchCerts, benchRevokeEvery = 10_000, 10

// BenchmarkRebuild rebuilds the report read model, and the PKI read model, from the same
// events, and reports each one's rate.
func BenchmarkRebuild(b *testing.B) {
	e := newEnv(b)
	l := newLedger(b, e.store)
	l.signer = l.keys["ec"] // faster to make than RSA signatures; the projection does not check them
	cas := []uuid.UUID{l.ca("Public CA"), l.ca("Internal CA")}
	l.profile(uuid.New(), "web", 90, false, false)
	now := time.Now().UTC()
	start := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range jobs {
				c := cert{ca: cas[i%2], team: fmt.Sprintf("team-%02d", i%20), owner: "o", prof: "web", key: "ec",
					name: fmt.Sprintf("h-%d.example.com", i), days: 90, notBefore: now.Add(-time.Duration(i) * time.Minute).Truncate(time.Second)}
				if i%benchRevokeEvery == 0 {
					c.then = "revoke"
				}
				l.certificate(c)
			}
		})
	}
	for i := range benchCerts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	last, err := e.store.LastPosition(context.Background())
	require.NoError(b, err)
	events := 3*benchCerts + benchCerts/benchRevokeEvery
	b.Logf("appended %d events in %s", events, time.Since(start).Round(time.Millisecond))
	_ = last
	inventory, err := pki.New()
	require.NoError(b, err)
	rp, err := reports.New()
	require.NoError(b, err)
	r, err := projections.NewRunner(e.pool, e.store, []projections.Projection{inventory, rp},
		projections.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(b, err)
	for _, name := range []string{reports.Name, pki.Name} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				require.NoError(b, r.Rebuild(context.Background(), name, nil))
			}
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
	var n int64
	require.NoError(b, e.pool.QueryRow(context.Background(),
		"SELECT sum(n) FROM rm_reports.compliance_counts WHERE rule = 'certificates'").Scan(&n))
	require.Equal(b, int64(benchCerts-benchCerts/benchRevokeEvery), n)
}
