package pki_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections/pki"
)

// Synthetic inventories: 20 teams, 500 owners, 4 CAs, and statuses in these proportions.
const (
	synthTeams  = 20
	synthOwners = 500
)

var (
	synthCAs      = []uuid.UUID{uuid.MustParse("00000000-0000-4000-8000-00000000000a"), uuid.MustParse("00000000-0000-4000-8000-00000000000b"), uuid.MustParse("00000000-0000-4000-8000-00000000000c"), uuid.MustParse("00000000-0000-4000-8000-00000000000d")}
	synthStatuses = weighted(map[string]int{"issued": 70, "superseded": 10, "expired": 10, "revoked": 5, "pending_approval": 3, "rejected": 2})
	// synthPEM is as long as the PEM of a P-256 certificate, so that rows have their real width.
	synthPEM = "-----BEGIN CERTIFICATE-----\n" + base64.StdEncoding.EncodeToString(make([]byte, 620)) + "\n-----END CERTIFICATE-----\n"
)

// weighted spreads the keys of w over 100 slots, in proportion to their weights.
func weighted(w map[string]int) []string {
	var out []string
	for _, k := range []string{"issued", "superseded", "expired", "revoked", "pending_approval", "rejected"} {
		for range w[k] {
			out = append(out, k)
		}
	}
	return out
}

// createSchema runs the projection's DDL in rm_pki, as the runner does.
func createSchema(tb testing.TB, pool *pgxpool.Pool) {
	tb.Helper()
	p, err := pki.New()
	require.NoError(tb, err)
	err = pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), "CREATE SCHEMA IF NOT EXISTS "+pki.Schema+"; SET LOCAL search_path = "+pki.Schema); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), p.Schema())
		return err
	})
	require.NoError(tb, err)
}

// loadCertificates fills rm_pki.certificates with n synthetic rows: the secondary indexes of
// the Schema DDL are dropped, the rows copied, the indexes built again (faster than keeping
// them up to date row by row), then the table is vacuumed and analysed.
func loadCertificates(tb testing.TB, pool *pgxpool.Pool, n int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	createSchema(tb, pool)
	rows, err := pool.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = $1 AND tablename = 'certificates' AND indexname NOT LIKE '%pkey'`, pki.Schema)
	require.NoError(tb, err)
	defs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Name, Def string }])
	require.NoError(tb, err)
	for _, d := range defs {
		_, err := pool.Exec(ctx, "DROP INDEX "+pki.Schema+"."+d.Name)
		require.NoError(tb, err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	copied, err := pool.CopyFrom(ctx, pgx.Identifier{pki.Schema, "certificates"}, certColumnsForCopy,
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			return synthRow(rng, i, base), nil
		}))
	require.NoError(tb, err)
	require.Equal(tb, int64(n), copied)
	copiedAt := time.Now()
	conn, err := pool.Acquire(ctx)
	require.NoError(tb, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET maintenance_work_mem = '512MB'")
	require.NoError(tb, err)
	for _, d := range defs {
		_, err := conn.Exec(ctx, d.Def)
		require.NoError(tb, err, d.Def)
	}
	_, err = conn.Exec(ctx, "VACUUM ANALYZE "+pki.Schema+".certificates")
	require.NoError(tb, err)
	tb.Logf("loaded %d certificates: copy %s, indexes and analyse %s", n,
		copiedAt.Sub(start).Round(time.Millisecond), time.Since(copiedAt).Round(time.Millisecond))
}

var certColumnsForCopy = []string{"id", "ca_id", "serial", "subject_cn", "sans", "dns_names", "key_type", "key_bits",
	"signature_algorithm", "not_before", "not_after", "status", "profile", "team", "owner", "requested_by",
	"fingerprint_sha256", "pem", "superseded_by", "requested_at", "issued_at", "revoked_at", "revocation_reason",
	"updated_at", "position"}

// synthRow makes the i-th synthetic certificate row, in the order of certColumnsForCopy.
func synthRow(rng *rand.Rand, i int, base time.Time) []any {
	id := randomUUID(rng)
	team := rng.IntN(synthTeams)
	status := synthStatuses[rng.IntN(len(synthStatuses))]
	cn := fmt.Sprintf("host-%07d.team-%02d.example.com", i, team)
	keyType, bits, alg := "ecdsa-p256", int32(256), "ECDSA-SHA256"
	if i%4 == 0 {
		keyType, bits, alg = "rsa-2048", 2048, "SHA256-RSA"
	}
	requested := base.Add(time.Duration(i) * time.Second)
	row := []any{[16]byte(id), [16]byte(synthCAs[i%len(synthCAs)]), nil, cn, []string{cn}, []string{cn}, keyType, bits, nil, nil, nil,
		status, fmt.Sprintf("profile-%02d", team), fmt.Sprintf("team-%02d", team),
		fmt.Sprintf("owner-%03d@example.com", rng.IntN(synthOwners)), "requester@example.com",
		nil, nil, nil, requested, nil, nil, nil, requested, int64(i)}
	if status == "pending_approval" || status == "rejected" {
		return row
	}
	var serial [16]byte
	var fp [32]byte
	fillRandom(rng, serial[:])
	fillRandom(rng, fp[:])
	serial[0] |= 0x10 // no leading zero digit
	issued, notAfter := requested.Add(time.Minute), requested.Add(90*24*time.Hour)
	row[2], row[8], row[9], row[10] = hex.EncodeToString(serial[:]), alg, issued, notAfter
	row[16], row[17], row[20] = hex.EncodeToString(fp[:]), synthPEM, issued
	switch status {
	case "superseded":
		row[18] = [16]byte(randomUUID(rng))
	case "revoked":
		row[21], row[22] = issued.Add(time.Hour), int32(rng.IntN(6))
	}
	return row
}

// randomUUID makes a version 4 UUID from rng.
func randomUUID(rng *rand.Rand) uuid.UUID {
	var id uuid.UUID
	fillRandom(rng, id[:])
	id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80
	return id
}

func fillRandom(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}

// planOf returns the EXPLAIN output of the query of a page of ListCertificates.
func planOf(t *testing.T, pool *pgxpool.Pool, f pki.CertificateFilter, after *uuid.UUID) string {
	t.Helper()
	sql, args := pki.ListSQL(f, after, pki.DefaultPageSize)
	rows, err := pool.Query(context.Background(), "EXPLAIN "+sql, args...)
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return strings.Join(lines, "\n")
}
