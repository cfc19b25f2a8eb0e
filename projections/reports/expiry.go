package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/projections"
)

// Queries reads the report read model. It is safe for concurrent use.
type Queries struct {
	pool   *pgxpool.Pool
	prices PriceTable
	schema string // rm_reports, or the schema of a point-in-time replay
}

// NewQueries returns the queries of the read model in the database of pool; prices price
// the cost report.
func NewQueries(pool *pgxpool.Pool, prices PriceTable) *Queries {
	return &Queries{pool: pool, prices: prices, schema: Schema}
}

// In returns the same queries on a point-in-time replay of the read model in schema
// (projections.Runner.ReplayAsOf of this projection alone, so its tables keep their names).
func (q *Queries) In(schema string) *Queries {
	return &Queries{pool: q.pool, prices: q.prices, schema: pgx.Identifier{schema}.Sanitize()}
}

// ExpiryFilter selects an expiry report: grouped by one of the dimensions (DimTeam, DimCA,
// DimProfile, DimKeyType; "" is DimTeam), of one team or ("") every team.
type ExpiryFilter struct {
	GroupBy string
	Team    string
}

// ExpiryGroup counts the certificates of one value of the dimension by window. The windows are
// disjoint and in whole UTC days from today: Expired (not_after before today), Within7
// (today … today+7), Within30 (+8 … +30), Within90 (+31 … +90), Later.
type ExpiryGroup struct {
	Key                                                string
	Name                                               string // the CA's name when grouped by CA
	Expired, Within7, Within30, Within90, Later, Total int64
}

// WeekCount is the number of certificates whose not_after falls in the week from Start.
type WeekCount struct {
	Start time.Time
	Count int64
}

// ExpiryReport is the expiry report of a day: the groups, by key, and the weekly timeline of
// the next 52 weeks (the first week starts today).
type ExpiryReport struct {
	Today    time.Time
	GroupBy  string
	Groups   []ExpiryGroup
	Timeline []WeekCount
}

// TimelineWeeks is the length of the expiry timeline.
const TimelineWeeks = 52

// Expiry returns the expiry report as of now. It sums rows of expiry_days: one per value and
// day, never a certificate.
func (q *Queries) Expiry(ctx context.Context, f ExpiryFilter, now time.Time) (ExpiryReport, error) {
	if f.GroupBy == "" {
		f.GroupBy = DimTeam
	}
	if !ValidDimension(f.GroupBy) {
		return ExpiryReport{}, fmt.Errorf("expiry report: %w: group by %q", ErrBadFilter, f.GroupBy)
	}
	today := dateOf(dayOf(now))
	r := ExpiryReport{Today: today, GroupBy: f.GroupBy}
	// Days are read from the first of today's month to the end of the month of today+90, the
	// months before and after from expiry_months: every month row falls wholly in "expired" or
	// "later", so the same FILTERs count both.
	from := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := today.AddDate(0, 0, 90)
	to := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	rows, err := q.pool.Query(ctx, `SELECT value,
		coalesce(sum(n) FILTER (WHERE day < $3), 0),
		coalesce(sum(n) FILTER (WHERE day >= $3 AND day <= $3::date + 7), 0),
		coalesce(sum(n) FILTER (WHERE day > $3::date + 7 AND day <= $3::date + 30), 0),
		coalesce(sum(n) FILTER (WHERE day > $3::date + 30 AND day <= $3::date + 90), 0),
		coalesce(sum(n) FILTER (WHERE day > $3::date + 90), 0), sum(n)
		FROM (SELECT value, day, n FROM `+q.schema+`.expiry_days WHERE dim = $1 AND team = $2 AND day >= $4 AND day < $5
		UNION ALL SELECT value, day, n FROM `+q.schema+`.expiry_months WHERE dim = $1 AND team = $2 AND (day < $4 OR day >= $5)) x
		GROUP BY value HAVING sum(n) <> 0 ORDER BY value`, dim(f.GroupBy, f.Team), f.Team, today, from, to)
	if err != nil {
		return r, fmt.Errorf("expiry report: %w", projections.NotReady(err))
	}
	for rows.Next() {
		var g ExpiryGroup
		if err := rows.Scan(&g.Key, &g.Expired, &g.Within7, &g.Within30, &g.Within90, &g.Later, &g.Total); err != nil {
			return r, fmt.Errorf("expiry report: %w", err)
		}
		r.Groups = append(r.Groups, g)
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("expiry report: %w", projections.NotReady(err))
	}
	if f.GroupBy == DimCA {
		if err := q.nameCAs(ctx, r.Groups); err != nil {
			return r, err
		}
	}
	r.Timeline, err = q.timeline(ctx, f.Team, today)
	return r, err
}

// timeline returns the weekly counts of the next TimelineWeeks weeks.
func (q *Queries) timeline(ctx context.Context, team string, today time.Time) ([]WeekCount, error) {
	out := make([]WeekCount, TimelineWeeks)
	for i := range out {
		out[i].Start = today.AddDate(0, 0, 7*i)
	}
	d := DimTeam
	if team == "" {
		d = everyTeam
	}
	rows, err := q.pool.Query(ctx, `SELECT (day - $2::date) / 7, sum(n) FROM `+q.schema+`.expiry_days
		WHERE dim = $4 AND team = $1 AND day >= $2 AND day < $2::date + $3::int
		GROUP BY 1`, team, today, 7*TimelineWeeks, d)
	if err != nil {
		return nil, fmt.Errorf("expiry timeline: %w", projections.NotReady(err))
	}
	for rows.Next() {
		var week int32
		var n int64
		if err := rows.Scan(&week, &n); err != nil {
			return nil, fmt.Errorf("expiry timeline: %w", err)
		}
		out[week].Count = n
	}
	return out, rows.Err()
}

// nameCAs fills the names of groups keyed by CA id.
func (q *Queries) nameCAs(ctx context.Context, groups []ExpiryGroup) error {
	names, err := q.caNames(ctx)
	if err != nil {
		return err
	}
	for i := range groups {
		groups[i].Name = names[groups[i].Key]
	}
	return nil
}

// caNames returns the CAs' names by id (text).
func (q *Queries) caNames(ctx context.Context) (map[string]string, error) {
	rows, err := q.pool.Query(ctx, "SELECT id::text, name FROM "+q.schema+".cas")
	if err != nil {
		return nil, fmt.Errorf("CA names: %w", projections.NotReady(err))
	}
	names := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("CA names: %w", err)
		}
		names[id] = name
	}
	return names, rows.Err()
}

// dim returns the dimension rows of expiry_days to read for a report of one team, or of every
// team ("").
func dim(groupBy, team string) string {
	if team == "" {
		return everyTeam + groupBy
	}
	return groupBy
}

// ValidDimension reports whether d is a dimension of the expiry report.
func ValidDimension(d string) bool {
	return d == DimTeam || d == DimCA || d == DimProfile || d == DimKeyType
}
