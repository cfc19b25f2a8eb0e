package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// The inventory's own SQL for what the reports count, over rm_pki.certificates and
// rm_pki.profiles: what the report read model must agree with.
const (
	// directExpiry counts certificates by a column expression ($col is replaced) and window.
	directExpiry = `SELECT $col, count(*) FILTER (WHERE d < $1), count(*) FILTER (WHERE d >= $1 AND d <= $1::date + 7),
		count(*) FILTER (WHERE d > $1::date + 7 AND d <= $1::date + 30), count(*) FILTER (WHERE d > $1::date + 30 AND d <= $1::date + 90),
		count(*) FILTER (WHERE d > $1::date + 90), count(*)
		FROM (SELECT *, (not_after AT TIME ZONE 'UTC')::date AS d FROM rm_pki.certificates
			WHERE status IN ('issued', 'expired') AND ($2 = '' OR team = $2)) c GROUP BY 1 ORDER BY 1`
	directTimeline = `SELECT ((not_after AT TIME ZONE 'UTC')::date - $1::date) / 7, count(*) FROM rm_pki.certificates
		WHERE status IN ('issued', 'expired') AND (not_after AT TIME ZONE 'UTC')::date >= $1
		AND (not_after AT TIME ZONE 'UTC')::date < $1::date + 364 GROUP BY 1 ORDER BY 1`
	// directRules are the findings of issued certificates, one column per rule (all test
	// certificates are server certificates).
	directRules = `SELECT c.team,
		count(*),
		count(*) FILTER (WHERE (key_type LIKE 'rsa%' AND key_bits < 2048) OR (key_type LIKE 'ecdsa%' AND key_bits < 224)),
		count(*) FILTER (WHERE upper(signature_algorithm) LIKE '%SHA1%'),
		count(*) FILTER (WHERE (p.spec->>'max_validity_days')::int > 0 AND not_after - not_before > make_interval(days => (p.spec->>'max_validity_days')::int, mins => 1)),
		count(*) FILTER (WHERE not_after - not_before > interval '398 days 1 minute'),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(dns_names) n WHERE n LIKE '*.%') AND NOT (p.spec->>'allow_wildcards')::bool),
		count(*) FILTER (WHERE btrim(owner) = '' OR btrim(c.team) = ''),
		count(*) FILTER (WHERE (key_type LIKE 'rsa%' AND key_bits < 2048) OR (key_type LIKE 'ecdsa%' AND key_bits < 224)
			OR upper(signature_algorithm) LIKE '%SHA1%'
			OR ((p.spec->>'max_validity_days')::int > 0 AND not_after - not_before > make_interval(days => (p.spec->>'max_validity_days')::int, mins => 1))
			OR not_after - not_before > interval '398 days 1 minute'
			OR (EXISTS (SELECT 1 FROM unnest(dns_names) n WHERE n LIKE '*.%') AND NOT (p.spec->>'allow_wildcards')::bool)
			OR btrim(owner) = '' OR btrim(c.team) = '')
		FROM rm_pki.certificates c JOIN rm_pki.profiles p ON p.name = c.profile
		WHERE c.status = 'issued' GROUP BY 1 ORDER BY 1`
	directPending = `SELECT team, count(*) FROM rm_pki.certificates WHERE status = 'pending_approval'
		AND (requested_at AT TIME ZONE 'UTC')::date < $1::date - $2::int GROUP BY 1 ORDER BY 1`
	// directCost prices the certificates issued in a year as the test's price table does, in numeric.
	directCost = `SELECT coalesce(sum(CASE WHEN a.name = 'Public CA' AND c.profile = 'long' THEN 0.35
			WHEN a.name = 'Public CA' THEN 0.10 ELSE 0 END), 0)::text, count(*)
		FROM rm_pki.certificates c JOIN rm_pki.cas a ON a.id = c.ca_id
		WHERE c.issued_at >= make_date($1, 1, 1) AND c.issued_at < make_date($1 + 1, 1, 1)`
	directRenewals = `SELECT coalesce(sum(CASE WHEN a.name = 'Public CA' AND c.profile = 'long' THEN 0.35
			WHEN a.name = 'Public CA' THEN 0.10 ELSE 0 END), 0)::text, count(*)
		FROM rm_pki.certificates c JOIN rm_pki.cas a ON a.id = c.ca_id
		WHERE c.status = 'issued' AND c.not_after >= $1 AND c.not_after < $1::timestamptz + interval '12 months'`
)

// rowsOf runs a query and returns its rows as slices of values.
func rowsOf(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) [][]any {
	t.Helper()
	rows, err := pool.Query(context.Background(), sql, args...)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
	require.NoError(t, err)
	return out
}

// utcDay returns the start of t's UTC day.
func utcDay(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
}
