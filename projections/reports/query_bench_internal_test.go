package reports

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
)

// benchInventory is the size of the synthetic inventory whose aggregate rows the query
// benchmark reads.
const benchInventory = 1_000_000

// BenchmarkReportQueries measures the three reports over the aggregate tables of a synthetic
// inventory of benchInventory certificates: 20 teams, 4 CAs, a profile per team, 3 key types,
// not_after from a year ago to 400 days ahead, statuses as in the pki benchmarks. The rows are
// made by the projection's own contributions, in memory, and copied in: the queries never read
// certs, so it is left empty. It reports the p99 of each report in ms.
func BenchmarkReportQueries(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(b)
	rows := fillAggregates(b, pool, benchInventory)
	q := NewQueries(pool, PriceTable{})
	now := time.Now()
	reports := []struct {
		name string
		run  func() error
	}{
		{"expiry-by-team", func() error { _, err := q.Expiry(ctx, ExpiryFilter{}, now); return err }},
		{"expiry-by-ca", func() error { _, err := q.Expiry(ctx, ExpiryFilter{GroupBy: DimCA}, now); return err }},
		{"expiry-one-team", func() error { _, err := q.Expiry(ctx, ExpiryFilter{Team: "team-07"}, now); return err }},
		{"compliance", func() error { _, err := q.Compliance(ctx, ComplianceFilter{PendingOlderThanDays: 7}, now); return err }},
		{"cost", func() error { _, err := q.Cost(ctx, CostFilter{}, now); return err }},
	}
	b.Logf("aggregate rows of %d certificates: %v", benchInventory, rows)
	for _, r := range reports {
		b.Run(r.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				require.NoError(b, r.run())
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// fillAggregates writes the aggregate rows of n synthetic certificates and returns the number
// of rows per table.
func fillAggregates(tb testing.TB, pool *pgxpool.Pool, n int) map[string]int {
	tb.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, "CREATE SCHEMA "+Schema+"; SET search_path = "+Schema)
	require.NoError(tb, err)
	require.NoError(tb, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL search_path = "+Schema); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, (&Projection{}).Schema())
		return err
	}))
	rng := rand.New(rand.NewPCG(1, 2))
	cas := []uuid.UUID{uuid.New(), uuid.New(), uuid.New(), uuid.New()}
	statuses := []string{"issued", "issued", "issued", "issued", "issued", "issued", "issued", "expired", "superseded", "pending_approval"}
	now := time.Now().UTC()
	counts := map[aggKey]int64{}
	for i := range n {
		team := rng.IntN(20)
		s := certState{team: fmt.Sprintf("team-%02d", team), caID: cas[i%4], profile: fmt.Sprintf("profile-%02d", team),
			owner: "o", keyType: []string{"ecdsa-p256", "rsa-2048", "rsa-1024"}[i%3], status: statuses[rng.IntN(len(statuses))],
			requestedAt: now.Add(-time.Duration(rng.IntN(400*24)) * time.Hour)}
		if s.status != "pending_approval" {
			s.issuedAt = s.requestedAt
			s.notBefore = s.issuedAt
			s.notAfter = now.Add(time.Duration(rng.IntN(765*24)-365*24) * time.Hour)
			s.keyBits = map[string]int32{"ecdsa-p256": 256, "rsa-2048": 2048, "rsa-1024": 1024}[s.keyType]
			s.findings = s.evaluate(&profileRules{maxValidityDays: 398})
		}
		s.contributions(func(k aggKey) { counts[k]++ })
	}
	var per [tableCount][][]any
	for k, v := range counts {
		var row []any
		switch k.table {
		case tExpiry, tExpiryMonth:
			row = []any{k.a, k.team, k.b, dateOf(k.day), v}
		case tCompliance:
			row = []any{k.team, k.a, k.b, k.c, v}
		default:
			row = []any{k.team, k.a, k.b, dateOf(k.day), v}
		}
		per[k.table] = append(per[k.table], row)
	}
	out := map[string]int{}
	for t, rows := range per {
		tab := aggTables[t]
		cols := append(splitKeys(tab.keys), "n")
		_, err := pool.CopyFrom(ctx, pgx.Identifier{Schema, tab.name}, cols, pgx.CopyFromRows(rows))
		require.NoError(tb, err, tab.name)
		out[tab.name] = len(rows)
	}
	_, err = pool.Exec(ctx, "ANALYZE")
	require.NoError(tb, err)
	return out
}

func splitKeys(keys string) []string { return strings.Split(keys, ", ") }
