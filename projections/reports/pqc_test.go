package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections/reports"
)

// directPQC counts the inventory's valid certificates by team and key type, and those still
// valid after the harvest date ($2).
const directPQC = `SELECT team, key_type, count(*), count(*) FILTER (WHERE d > $2)
	FROM (SELECT *, (not_after AT TIME ZONE 'UTC')::date AS d FROM rm_pki.certificates
		WHERE status IN ('issued', 'expired') AND ($3 = '' OR team = $3)) c
	WHERE d >= $1 GROUP BY 1, 2 ORDER BY 1, 2`

// TestPQCReportMatchesTheInventory checks the readiness report against direct SQL for harvest
// dates in the past, this month, a later month of the day rows and the month rows.
func TestPQCReportMatchesTheInventory(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	today := utcDay(now)
	e, q := mixedWorld(t, now)
	for _, harvest := range []time.Time{today.AddDate(0, 0, -10), today.AddDate(0, 0, 3), today.AddDate(0, 0, 45),
		today.AddDate(0, 0, 200)} {
		for _, team := range []string{"", "web"} {
			rep, err := q.PQC(ctx, reports.PQCFilter{Team: team, HarvestDate: harvest}, now)
			require.NoError(t, err)
			var got [][]any
			var valid, past int64
			for _, k := range rep.KeyTypes {
				got = append(got, []any{k.Team, k.KeyType, k.Valid, k.PastHarvest})
				assert.True(t, k.QuantumVulnerable, "RSA and ECDSA are all the mixed data has")
				valid, past = valid+k.Valid, past+k.PastHarvest
			}
			want := rowsOf(t, e.pool, directPQC, today, harvest, team)
			require.NotEmpty(t, want)
			assert.Equal(t, want, got, "harvest %s, team %q", harvest.Format(time.DateOnly), team)
			assert.InDelta(t, 1.0, rep.VulnerableShare, 1e-9)
			var teamPast int64
			for _, s := range rep.Teams {
				teamPast += s.PastHarvest
				assert.InDelta(t, 1-float64(s.PastHarvest)/float64(s.Valid), s.Score, 1e-9)
			}
			assert.Equal(t, past, teamPast)
			assert.Positive(t, valid)
		}
	}
}
