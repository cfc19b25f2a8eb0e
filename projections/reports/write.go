package reports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// aggTables are the aggregate tables by aggKey.table: their key columns and the aggKey fields
// that fill them, in order.
var aggTables = [tableCount]struct {
	name   string
	keys   string
	fields string // one letter per key column: a, b, c, t(eam), d(ay)
}{
	tExpiry:      {"expiry_days", "dim, team, value, day", "atbd"},
	tExpiryMonth: {"expiry_months", "dim, team, value, day", "atbd"},
	tCompliance:  {"compliance_counts", "team, ca_id, profile, rule", "tabc"},
	tPending:     {"pending_days", "team, ca_id, profile, day", "tabd"},
	tIssued:      {"issued_months", "team, ca_id, profile, day", "tabd"},
	tRenewal:     {"renewal_months", "team, ca_id, profile, day", "tabd"},
}

// deltaArgs are one table's deltas as arrays.
type deltaArgs struct {
	a, team, b, c []string
	day           []time.Time
	n             []int64
}

// params returns the arrays of the key columns of fields, then n, and their unnest types.
func (d *deltaArgs) params(fields string) ([]any, string) {
	var out []any
	types := ""
	for i, f := range fields {
		switch f {
		case 'a':
			out = append(out, d.a)
		case 'b':
			out = append(out, d.b)
		case 'c':
			out = append(out, d.c)
		case 't':
			out = append(out, d.team)
		}
		typ := "text[]"
		if f == 'd' {
			out, typ = append(out, d.day), "date[]"
		}
		types += fmt.Sprintf("$%d::%s, ", i+1, typ)
	}
	return append(out, d.n), types + fmt.Sprintf("$%d::bigint[]", len(fields)+1)
}

// write re-evaluates the touched certificates' findings under the batch's final profiles and
// writes, pipelined: the changed certificates, the profiles and CAs, and for each aggregate
// table the deltas (new contributions minus old ones), then deletes rows that reached 0, so
// that the rows never depend on where batches begin.
func (b *batch) write(ctx context.Context, tx pgx.Tx) error {
	delta := map[aggKey]int64{}
	var upserts [][]any
	for _, id := range b.order {
		s := b.cur[id]
		s.findings = s.evaluate(b.profiles[s.profile])
		old, existed := b.old[id]
		if existed && old == *s {
			continue
		}
		if existed {
			old.contributions(func(k aggKey) { delta[k]-- })
		}
		s.contributions(func(k aggKey) { delta[k]++ })
		upserts = append(upserts, s.values())
	}
	var q pgx.Batch
	if len(upserts) > 0 {
		q.Queue(upsertCertsSQL, certArrays(upserts)...)
	}
	for _, id := range b.changed {
		p := b.profiles[b.byID[id]]
		q.Queue(`INSERT INTO profiles (id, name, max_validity_days, allow_wildcards) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, max_validity_days = excluded.max_validity_days,
			allow_wildcards = excluded.allow_wildcards`, id, p.name, p.maxValidityDays, p.allowWildcards)
	}
	for id, name := range b.cas {
		q.Queue(`INSERT INTO cas (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, id, name)
	}
	var args [tableCount]deltaArgs
	for k, n := range delta {
		if n == 0 {
			continue
		}
		d := &args[k.table]
		d.a, d.team, d.b, d.c = append(d.a, k.a), append(d.team, k.team), append(d.b, k.b), append(d.c, k.c)
		d.day, d.n = append(d.day, dateOf(k.day)), append(d.n, n)
	}
	for t, d := range args {
		if len(d.n) == 0 {
			continue
		}
		tab := aggTables[t]
		params, types := d.params(tab.fields)
		q.Queue(fmt.Sprintf(`INSERT INTO %[1]s AS t (%[2]s, n) SELECT * FROM unnest(%[3]s)
			ON CONFLICT (%[2]s) DO UPDATE SET n = t.n + excluded.n`, tab.name, tab.keys, types), params...)
		q.Queue(fmt.Sprintf(`DELETE FROM %[1]s t USING unnest(%[3]s) AS k(%[2]s, dn)
			WHERE t.n = 0 AND (t.%[4]s) = (k.%[5]s)`, tab.name, tab.keys, types,
			strings.ReplaceAll(tab.keys, ", ", ", t."), strings.ReplaceAll(tab.keys, ", ", ", k.")), params...)
	}
	if q.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, &q).Close(); err != nil {
		return fmt.Errorf("reports: write %d certificates and %d aggregate deltas: %w", len(upserts), len(delta), err)
	}
	return nil
}

// upsertCertsSQL writes certificate rows passed as arrays (certArrays).
const upsertCertsSQL = `INSERT INTO certs (` + certColumns + `)
	SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
		$9::text[], $10::bool[], $11::bool[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::int[])
	ON CONFLICT (id) DO UPDATE SET team = excluded.team, ca_id = excluded.ca_id, profile = excluded.profile,
		owner = excluded.owner, key_type = excluded.key_type, key_bits = excluded.key_bits,
		signature_algorithm = excluded.signature_algorithm, status = excluded.status, server = excluded.server,
		wildcard = excluded.wildcard, not_before = excluded.not_before, not_after = excluded.not_after,
		requested_at = excluded.requested_at, issued_at = excluded.issued_at, findings = excluded.findings`

// certArrays turns rows of values() into one array per column.
func certArrays(rows [][]any) []any {
	n := len(rows)
	ids, cas := make([]uuid.UUID, n), make([]uuid.UUID, n)
	team, profile, owner, keyType, sig, status := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	bits, findings := make([]int32, n), make([]int32, n)
	server, wildcard := make([]bool, n), make([]bool, n)
	notBefore, notAfter, issued := make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
	requested := make([]time.Time, n)
	for i, r := range rows {
		ids[i], team[i], cas[i], profile[i], owner[i] = r[0].(uuid.UUID), r[1].(string), r[2].(uuid.UUID), r[3].(string), r[4].(string)
		keyType[i], bits[i], sig[i], status[i] = r[5].(string), r[6].(int32), r[7].(string), r[8].(string)
		server[i], wildcard[i], notBefore[i], notAfter[i] = r[9].(bool), r[10].(bool), r[11].(*time.Time), r[12].(*time.Time)
		requested[i], issued[i], findings[i] = r[13].(time.Time), r[14].(*time.Time), r[15].(int32)
	}
	return []any{ids, team, cas, profile, owner, keyType, bits, sig, status, server, wildcard, notBefore, notAfter,
		requested, issued, findings}
}
