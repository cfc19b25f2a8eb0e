package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/reports"
)

// reportTables are every table of the read model, read in a fixed order.
var reportTables = []string{"certs ORDER BY id", "profiles ORDER BY id", "cas ORDER BY id",
	"expiry_days ORDER BY 1, 2, 3, 4", "expiry_months ORDER BY 1, 2, 3, 4", "compliance_counts ORDER BY 1, 2, 3, 4", "pending_days ORDER BY 1, 2, 3, 4",
	"issued_months ORDER BY 1, 2, 3, 4", "renewal_months ORDER BY 1, 2, 3, 4"}

// TestRebuildLeavesTheLiveRows rebuilds the read model, in chunks of 7 events and event by
// event, and finds exactly the rows the live projection left (no zero rows either).
func TestRebuildLeavesTheLiveRows(t *testing.T) {
	e := newEnv(t)
	l := newLedger(t, e.store)
	m := fillMixed(l, time.Now().UTC())
	r := e.follow(t, projections.WithRebuildChunk(7))
	moreMixed(l, m)
	live := snapshot(t, e, r)
	require.NoError(t, r.Rebuild(context.Background(), reports.Name, nil))
	assert.Equal(t, live, snapshot(t, e, r))
	assert.Empty(t, rowsOf(t, e.pool, "SELECT * FROM rm_reports.expiry_days WHERE n <= 0"))
}

func snapshot(t *testing.T, e env, r *projections.Runner) map[string][][]any {
	waitLive(t, e, r)
	out := map[string][][]any{}
	for _, tab := range reportTables {
		out[tab] = rowsOf(t, e.pool, "SELECT * FROM rm_reports."+tab)
	}
	return out
}

// TestPricesAddUpExactly: three certificates at 0.10 cost exactly 0.30, and a price table
// file's prices are exact decimals.
func TestPricesAddUpExactly(t *testing.T) {
	p, err := reports.ParsePrices([]byte(`{"currency": "EUR", "default": "0",
		"cas": {"Public CA": {"default": 0.10, "profiles": {"ev": "120.05"}}, "Internal": {"default": "0"}}}`))
	require.NoError(t, err)
	price := p.Price("id-1", "Public CA", "web")
	sum := decimal.Zero
	for range 3 {
		sum = sum.Add(price)
	}
	assert.True(t, sum.Equal(decimal.RequireFromString("0.30")), sum.String())
	assert.Equal(t, "0.3", price.Mul(decimal.NewFromInt(3)).String())
	assert.Equal(t, "120.05", p.Price("", "Public CA", "ev").String())
	assert.True(t, p.Price("x", "Internal", "ev").IsZero())
	assert.True(t, p.Price("x", "unknown", "ev").IsZero())
	_, err = reports.ParsePrices([]byte(`{"cas": {"A": {"default": "-1"}}}`))
	assert.ErrorContains(t, err, "negative")
	_, err = reports.ParsePrices([]byte(`{"price": 1}`))
	assert.ErrorContains(t, err, "unknown field")
}
