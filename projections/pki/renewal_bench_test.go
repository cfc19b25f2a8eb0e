package pki_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/projections/pki"
)

// BenchmarkRenewalSweep measures the scheduler's look-up of due renewals (RenewalsDue, a page
// of 500) over synthetic inventories of 100,000 and 1,000,000 certificates (70% issued, 90
// days of validity, requested one a second from 2026-01-01, renewed after 2/3 or 30 days
// before the end): "none due" is a round when nothing is due (the common case), "500 due" one
// that finds a full page.
func BenchmarkRenewalSweep(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100_000 {
				b.Skip("loads 1,000,000 rows")
			}
			pool := pgtest.NewDatabase(b)
			loadCertificates(b, pool, n)
			for team := range synthTeams {
				_, err := pool.Exec(context.Background(), `INSERT INTO rm_pki.profiles (id, name, team, spec, version, updated_at)
					VALUES ($1, $2, $3, $4, 1, now())`, uuid.New(), fmt.Sprintf("profile-%02d", team), fmt.Sprintf("team-%02d", team),
					map[string]any{"name": fmt.Sprintf("profile-%02d", team), "renewal": map[string]any{"mode": "reuse_csr", "days_before": 30}})
				require.NoError(b, err)
			}
			// As the projection computes it when it folds the issuances and the profiles.
			_, err := pool.Exec(context.Background(), `UPDATE rm_pki.certificates c SET renew_at = `+pki.RenewAtSQL+`
				FROM rm_pki.profiles p WHERE p.name = c.profile AND c.status = 'issued'`)
			require.NoError(b, err)
			_, err = pool.Exec(context.Background(), "VACUUM ANALYZE rm_pki.certificates")
			require.NoError(b, err)
			q := pki.NewQueries(pool)
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for name, at := range map[string]time.Time{"none due": base.Add(30 * 24 * time.Hour), "500 due": base.Add(61 * 24 * time.Hour)} {
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						due, err := q.RenewalsDue(context.Background(), at, 500)
						require.NoError(b, err)
						if name == "none due" {
							require.Empty(b, due)
						} else {
							require.Len(b, due, 500)
						}
					}
				})
			}
		})
	}
}
