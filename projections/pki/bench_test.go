package pki_test

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

func TestInventoryQueriesUseIndexes(t *testing.T) {
	pool := pgtest.NewDatabase(t)
	loadCertificates(t, pool, 50_000)
	soon := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	cursor := uuid.MustParse("80000000-0000-4000-8000-000000000000")
	tests := []struct {
		name   string
		filter pki.CertificateFilter
		after  *uuid.UUID
		index  string
	}{
		{"status", pki.CertificateFilter{Status: domain.StatusRevoked}, nil, "certificates_status_id"},
		{"status, next page", pki.CertificateFilter{Status: domain.StatusIssued}, &cursor, "certificates_status_id"},
		{"team", pki.CertificateFilter{Team: "team-03"}, &cursor, "certificates_team_id"},
		{"status and team", pki.CertificateFilter{Status: domain.StatusRevoked, Team: "team-03"}, &cursor, "certificates_team_status_id"},
		{"CA", pki.CertificateFilter{CAID: synthCAs[1]}, nil, "certificates_ca_id"},
		{"expiring soon", pki.CertificateFilter{ExpiresBefore: &soon}, nil, "certificates_not_after_id"},
		{"SAN exact", pki.CertificateFilter{SANExact: "host-0000042.team-03.example.com"}, nil, "certificates_sans"},
		{"serial", pki.CertificateFilter{Serial: "0x1A:2B:3C"}, nil, "certificates_serial"},
		{"no filter", pki.CertificateFilter{}, &cursor, "certificates_pkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := planOf(t, pool, tt.filter, tt.after)
			assert.NotContains(t, plan, "Seq Scan", plan)
			assert.Contains(t, plan, tt.index, plan)
		})
	}

	rows, err := pool.Query(context.Background(), "EXPLAIN "+pki.StatusSQL, synthCAs[0], "1234abcd")
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	plan := strings.Join(lines, "\n")
	for _, index := range []string{"certificates_ca_serial", "revocations_pkey"} {
		assert.Contains(t, plan, index, "OCSP status is a point look-up: %s", plan)
	}
	assert.NotContains(t, plan, "Seq Scan on certificates", plan)
}

// BenchmarkInventoryQuery measures pages of 50 certificates filtered by status and team over
// 1,000,000 rows, following the cursor for up to 3 pages; it reports the p50 and p99 latency.
func BenchmarkInventoryQuery(b *testing.B) {
	if testing.Short() {
		b.Skip("loads 1,000,000 rows")
	}
	pool := pgtest.NewDatabase(b)
	loadCertificates(b, pool, 1_000_000)
	q := pki.NewQueries(pool)
	ctx := context.Background()
	statuses := []domain.CertStatus{domain.StatusIssued, domain.StatusIssued, domain.StatusExpired, domain.StatusRevoked}
	var durations []time.Duration
	var i, pageNo int
	cursor := ""
	for b.Loop() {
		f := pki.CertificateFilter{Status: statuses[i%len(statuses)], Team: fmt.Sprintf("team-%02d", i%synthTeams)}
		t0 := time.Now()
		items, next, err := q.ListCertificates(ctx, f, cursor, 50)
		durations = append(durations, time.Since(t0))
		if err != nil || len(items) == 0 {
			b.Fatalf("page: %d items, %v", len(items), err)
		}
		if pageNo++; next != "" && pageNo < 3 {
			cursor = next
			continue
		}
		cursor, pageNo = "", 0
		i++
	}
	reportPercentiles(b, durations)
}

// reportPercentiles reports the p50 and p99 of durations in milliseconds.
func reportPercentiles(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	at := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50_ms")
	b.ReportMetric(at(0.99), "p99_ms")
}

// BenchmarkRevokedByCA measures loading the 1,000,000 revocations of one CA, as the CRL
// builder does at start-up.
func BenchmarkRevokedByCA(b *testing.B) {
	if testing.Short() {
		b.Skip("loads 1,000,000 rows")
	}
	const n = 1_000_000
	pool := pgtest.NewDatabase(b)
	createSchema(b, pool)
	ctx := context.Background()
	ca := uuid.New()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	_, err := pool.CopyFrom(ctx, pgx.Identifier{pki.Schema, "revocations"},
		[]string{"ca_id", "serial", "revoked_at", "reason", "invalidity_date", "position"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			serial := new(big.Int).Lsh(big.NewInt(int64(i)), uint(i%3*4)) // lengths vary
			return []any{[16]byte(ca), serial.Text(16), at.Add(time.Duration(i) * time.Second), int32(i % 6), nil, int64(i)}, nil
		}))
	require.NoError(b, err)
	_, err = pool.Exec(ctx, "VACUUM ANALYZE "+pki.Schema+".revocations")
	require.NoError(b, err)
	q := pki.NewQueries(pool)
	for b.Loop() {
		all, err := q.RevokedByCA(ctx, ca)
		if err != nil || len(all) != n {
			b.Fatalf("%d revocations, %v", len(all), err)
		}
		if !slices.IsSortedFunc(all, func(x, y pki.Revocation) int { return x.Serial.Cmp(y.Serial) }) {
			b.Fatal("revocations are not in serial order")
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkOCSPStatus measures Status, the OCSP responder's look-up, over 100,000 certificates.
func BenchmarkOCSPStatus(b *testing.B) {
	pool := pgtest.NewDatabase(b)
	loadCertificates(b, pool, 100_000)
	ctx := context.Background()
	rows, err := pool.Query(ctx, "SELECT ca_id::text, serial FROM rm_pki.certificates WHERE serial IS NOT NULL LIMIT 1000")
	require.NoError(b, err)
	type issued struct{ CA, Serial string }
	certs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[issued])
	require.NoError(b, err)
	q := pki.NewQueries(pool)
	i := 0
	for b.Loop() {
		c := certs[i%len(certs)]
		serial, _ := new(big.Int).SetString(c.Serial, 16)
		if _, err := q.Status(ctx, c.CA, serial); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
