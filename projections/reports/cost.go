package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/certledger/certledger/projections"
)

// CostFilter selects a cost report: one team or ("") every team, of a calendar year (0: the
// year of now).
type CostFilter struct {
	Team string
	Year int
}

// CostLine is what a team's certificates of one CA cost: issued in a month (Monthly), in the
// year (Yearly, Month zero), or due for renewal in a month (Renewals).
type CostLine struct {
	Month        time.Time
	Team         string
	CAID, CAName string
	Certificates int64
	Amount       decimal.Decimal
}

// CostReport is the cost of the certificates issued in a year, by month, team and CA and by
// team and CA, and the projected cost of renewing, at today's prices, the issued certificates
// that expire in the twelve months from the current one.
type CostReport struct {
	Currency                string
	Year                    int
	Monthly, Yearly         []CostLine
	Renewals                []CostLine
	YearTotal, RenewalTotal decimal.Decimal
}

// Cost returns the cost report as of now: counts of issued_months and renewal_months by team,
// CA, profile and month, priced here (prices are configuration, not events, so they stay out
// of the read model and a new price table needs no rebuild).
func (q *Queries) Cost(ctx context.Context, f CostFilter, now time.Time) (CostReport, error) {
	now = now.UTC()
	if f.Year == 0 {
		f.Year = now.Year()
	}
	r := CostReport{Currency: q.prices.Currency, Year: f.Year}
	names, err := q.caNames(ctx)
	if err != nil {
		return r, err
	}
	yearStart := time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	monthly, err := q.priced(ctx, "issued_months", f.Team, yearStart, yearStart.AddDate(1, 0, 0), names)
	if err != nil {
		return r, err
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if r.Renewals, err = q.priced(ctx, "renewal_months", f.Team, month, month.AddDate(1, 0, 0), names); err != nil {
		return r, err
	}
	r.Monthly = monthly
	yearly := map[[2]string]*CostLine{}
	for _, l := range monthly {
		r.YearTotal = r.YearTotal.Add(l.Amount)
		y := yearly[[2]string{l.Team, l.CAID}]
		if y == nil {
			y = &CostLine{Team: l.Team, CAID: l.CAID, CAName: l.CAName}
			yearly[[2]string{l.Team, l.CAID}] = y
		}
		y.Certificates, y.Amount = y.Certificates+l.Certificates, y.Amount.Add(l.Amount)
	}
	for _, y := range yearly {
		r.Yearly = append(r.Yearly, *y)
	}
	slices.SortFunc(r.Yearly, func(a, b CostLine) int { return cmp.Or(cmp.Compare(a.Team, b.Team), cmp.Compare(a.CAID, b.CAID)) })
	for _, l := range r.Renewals {
		r.RenewalTotal = r.RenewalTotal.Add(l.Amount)
	}
	return r, nil
}

// priced returns the lines of a month table from from (inclusive) to to (exclusive), by month,
// team and CA, each profile's count at its price.
func (q *Queries) priced(ctx context.Context, table, team string, from, to time.Time, names map[string]string) ([]CostLine, error) {
	rows, err := q.pool.Query(ctx, `SELECT day, team, ca_id, profile, sum(n) FROM `+q.schema+`.`+table+`
		WHERE ($1 = '' OR team = $1) AND day >= $2 AND day < $3
		GROUP BY day, team, ca_id, profile HAVING sum(n) <> 0 ORDER BY day, team, ca_id, profile`, team, from, to)
	if err != nil {
		return nil, fmt.Errorf("cost report (%s): %w", table, projections.NotReady(err))
	}
	var out []CostLine
	for rows.Next() {
		var l CostLine
		var profile string
		if err := rows.Scan(&l.Month, &l.Team, &l.CAID, &profile, &l.Certificates); err != nil {
			return nil, fmt.Errorf("cost report (%s): %w", table, err)
		}
		l.Month, l.CAName = l.Month.UTC(), names[l.CAID]
		l.Amount = q.prices.Price(l.CAID, l.CAName, profile).Mul(decimal.NewFromInt(l.Certificates))
		if n := len(out); n > 0 && out[n-1].Month.Equal(l.Month) && out[n-1].Team == l.Team && out[n-1].CAID == l.CAID {
			out[n-1].Certificates += l.Certificates
			out[n-1].Amount = out[n-1].Amount.Add(l.Amount)
			continue
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
