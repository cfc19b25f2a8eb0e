package pki

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/projections"
)

// Issued is a certificate whose latest change was its issuance, at a position of $all.
type Issued struct {
	CAID     uuid.UUID
	Serial   *big.Int
	Position int64
}

// IssuedSince returns up to limit certificates issued (and still in that state) after a
// position, in position order, for pre-signing their OCSP answers.
func (q *Queries) IssuedSince(ctx context.Context, afterPosition int64, limit int) ([]Issued, error) {
	rows, err := q.pool.Query(ctx, `SELECT ca_id, serial, position FROM rm_pki.certificates
		WHERE position > $1 AND status = 'issued' ORDER BY position LIMIT $2`, afterPosition, limit)
	if err != nil {
		return nil, fmt.Errorf("certificates issued after position %d: %w", afterPosition, err)
	}
	defer rows.Close()
	var out []Issued
	for rows.Next() {
		var it Issued
		var serial string
		if err := rows.Scan(&it.CAID, &serial, &it.Position); err != nil {
			return nil, fmt.Errorf("certificates issued after position %d: %w", afterPosition, err)
		}
		var ok bool
		if it.Serial, ok = new(big.Int).SetString(serial, 16); !ok {
			return nil, fmt.Errorf("certificate serial %q is not hexadecimal", serial)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// LatestPosition returns the newest position any certificate row was changed at, 0 for none.
func (q *Queries) LatestPosition(ctx context.Context) (int64, error) {
	var pos int64
	err := q.pool.QueryRow(ctx, `SELECT coalesce(max(position), 0) FROM rm_pki.certificates`).Scan(&pos)
	if err != nil {
		return 0, fmt.Errorf("latest certificate position: %w", err)
	}
	return pos, nil
}

// ExpiredBefore returns up to limit certificates still issued or superseded whose end date is
// before t, oldest first: those to mark expired. It uses the index on not_after.
func (q *Queries) ExpiredBefore(ctx context.Context, t time.Time, limit int) ([]uuid.UUID, error) {
	rows, err := q.pool.Query(ctx, `SELECT id FROM rm_pki.certificates
		WHERE not_after < $1 AND status IN ('issued', 'superseded') ORDER BY not_after, id LIMIT $2`, t, limit)
	if err != nil {
		return nil, fmt.Errorf("certificates expired before %s: %w", t.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ExpiryWarning is a certificate due for a warning at a threshold (days before its end).
type ExpiryWarning struct {
	CertificateID uuid.UUID
	DaysBefore    int
}

// ExpiryWarningsDue returns, for each threshold, up to limit issued certificates that are within
// that many days of their end at t and have no warning at it yet, soonest first.
func (q *Queries) ExpiryWarningsDue(ctx context.Context, thresholds []int, t time.Time, limit int) ([]ExpiryWarning, error) {
	rows, err := q.pool.Query(ctx, `SELECT c.id, w.d FROM unnest($1::int[]) AS w(d) CROSS JOIN LATERAL (
		SELECT id FROM rm_pki.certificates c WHERE c.status = 'issued' AND c.not_after > $2
			AND c.not_after <= $2 + make_interval(days => w.d)
			AND NOT EXISTS (SELECT 1 FROM rm_pki.expiry_warnings x WHERE x.certificate_id = c.id AND x.days_before = w.d)
		ORDER BY c.not_after LIMIT $3) c`, thresholds, t.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("expiry warnings due: %w", projections.NotReady(err))
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExpiryWarning, error) {
		var w ExpiryWarning
		return w, r.Scan(&w.CertificateID, &w.DaysBefore)
	})
}
