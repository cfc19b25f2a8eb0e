package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/projections/reports"
)

// testPrices: the public CA costs 0.10 a certificate, 0.35 in profile long; internal is free.
var testPrices = reports.PriceTable{Currency: "EUR", CAs: map[string]reports.CAPrices{
	"Public CA": {Default: ptr(decimal.RequireFromString("0.10")), Profiles: map[string]decimal.Decimal{"long": decimal.RequireFromString("0.35")}}}}

func ptr[T any](v T) *T { return &v }

// mixedWorld fills a mixed ledger in two phases, the read models following it live.
func mixedWorld(t *testing.T, now time.Time) (env, *reports.Queries) {
	e := newEnv(t)
	l := newLedger(t, e.store)
	m := fillMixed(l, now)
	r := e.follow(t)
	moreMixed(l, m)
	projectiontest.WaitLive(t, r, e.store)
	return e, reports.NewQueries(e.pool, testPrices)
}

// TestReportsMatchTheInventory checks every report number against a direct SQL count over
// rm_pki.certificates, for mixed data.
func TestReportsMatchTheInventory(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	today := utcDay(now)
	e, q := mixedWorld(t, now)

	columns := map[string]string{reports.DimTeam: "team", reports.DimCA: "ca_id::text", reports.DimProfile: "profile", reports.DimKeyType: "key_type"}
	for dim, col := range columns {
		for _, team := range []string{"", "web"} {
			rep, err := q.Expiry(ctx, reports.ExpiryFilter{GroupBy: dim, Team: team}, now)
			require.NoError(t, err)
			var got [][]any
			for _, g := range rep.Groups {
				got = append(got, []any{g.Key, g.Expired, g.Within7, g.Within30, g.Within90, g.Later, g.Total})
			}
			want := rowsOf(t, e.pool, strings.Replace(directExpiry, "$col", col, 1), today, team)
			require.NotEmpty(t, want)
			assert.Equal(t, want, got, "expiry by %s, team %q", dim, team)
		}
	}
	rep, err := q.Expiry(ctx, reports.ExpiryFilter{}, now)
	require.NoError(t, err)
	var weeks [][]any
	for i, w := range rep.Timeline {
		assert.Equal(t, today.AddDate(0, 0, 7*i), w.Start)
		if w.Count > 0 {
			weeks = append(weeks, []any{int32(i), w.Count})
		}
	}
	assert.Equal(t, rowsOf(t, e.pool, directTimeline, today), weeks, "weekly timeline")

	comp, err := q.Compliance(ctx, reports.ComplianceFilter{PendingOlderThanDays: 5}, now)
	require.NoError(t, err)
	byTeam := map[string]map[string]int64{}
	for _, s := range comp.Teams {
		byTeam[s.Team] = map[string]int64{"certificates": s.Certificates, "with_findings": s.WithFindings}
		assert.InDelta(t, float64(s.Certificates-s.WithFindings)/float64(s.Certificates), s.Score, 1e-12)
	}
	for _, f := range comp.Findings {
		if byTeam[f.Team] == nil {
			byTeam[f.Team] = map[string]int64{}
		}
		byTeam[f.Team][f.Rule] = f.Count
		assert.Equal(t, reports.SeverityOf(f.Rule), f.Severity)
	}
	rules := []string{"certificates", "weak_key", "sha1_signature", "validity_over_profile", "validity_over_398_days",
		"wildcard_forbidden", "missing_owner", "with_findings"}
	direct := rowsOf(t, e.pool, directRules)
	require.Len(t, direct, 4, "four teams, one of them empty")
	totals := map[string]int64{}
	for _, row := range direct {
		team := row[0].(string)
		for i, rule := range rules {
			totals[rule] += row[i+1].(int64)
		}
		for i, rule := range rules {
			assert.Equal(t, row[i+1], byTeam[team][rule], "team %q, %s", team, rule)
		}
	}
	for _, rule := range rules {
		assert.Positive(t, totals[rule], "the mixed data has findings of %s", rule)
	}
	t.Logf("findings of the mixed data: %v", totals)
	pending := rowsOf(t, e.pool, directPending, today, 5)
	require.NotEmpty(t, pending)
	for _, row := range pending {
		assert.Equal(t, row[1], byTeam[row[0].(string)][reports.RulePendingApproval], "pending of team %q", row[0])
	}

	cost, err := q.Cost(ctx, reports.CostFilter{}, now)
	require.NoError(t, err)
	for _, c := range []struct {
		sql   string
		arg   any
		total decimal.Decimal
		lines []reports.CostLine
	}{{directCost, now.Year(), cost.YearTotal, cost.Monthly}, {directRenewals, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC), cost.RenewalTotal, cost.Renewals}} {
		row := rowsOf(t, e.pool, c.sql, c.arg)[0]
		want := decimal.RequireFromString(row[0].(string))
		assert.Truef(t, want.Equal(c.total), "total %s, SQL says %s", c.total, want)
		var n int64
		sum := decimal.Zero
		for _, l := range c.lines {
			n, sum = n+l.Certificates, sum.Add(l.Amount)
		}
		assert.Equal(t, row[1], n)
		assert.True(t, sum.Equal(c.total), "the lines add up to the total")
		assert.True(t, want.IsPositive())
	}
}
