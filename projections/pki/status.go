package pki

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// statusSQL finds a serial under an issuer in one statement of index point look-ups: a
// revocation (kind 1) wins over an issued certificate, an intermediate CA or the issuer's
// current responder certificate (kind 0).
const statusSQL = `SELECT kind, revoked_at, reason FROM (
	SELECT 1 AS kind, revoked_at, reason FROM rm_pki.revocations WHERE ca_id = $1 AND serial = $2
	UNION ALL SELECT 0, NULL, NULL FROM rm_pki.certificates WHERE ca_id = $1 AND serial = $2
	UNION ALL SELECT 0, NULL, NULL FROM rm_pki.cas WHERE parent_id = $1 AND serial = $2
	UNION ALL SELECT 0, NULL, NULL FROM rm_pki.cas WHERE id = $1 AND responder_serial = $2
) s ORDER BY kind DESC LIMIT 1`

// Status returns what the ledger says of the certificate with the serial under the CA issuerID:
// Revoked with its time and reason once revoked; Good for a certificate the CA issued
// (issued, superseded or expired: an expired certificate keeps answering its last status), for
// an intermediate CA it signed and for its current responder certificate; Unknown for any other
// serial. An issuerID that is not a UUID is an error.
func (q *Queries) Status(ctx context.Context, issuerID string, serial *big.Int) (domain.SerialStatus, error) {
	ca, err := uuid.Parse(issuerID)
	if err != nil {
		return domain.SerialStatus{}, fmt.Errorf("certificate status: issuer id %q: %w", issuerID, err)
	}
	if serial == nil || serial.Sign() < 0 {
		return domain.SerialStatus{Kind: domain.SerialUnknown}, nil
	}
	rows, err := q.pool.Query(ctx, statusSQL, ca, serial.Text(16))
	if err != nil {
		return domain.SerialStatus{}, fmt.Errorf("certificate status %s/%x: %w", ca, serial, err)
	}
	defer rows.Close()
	st := domain.SerialStatus{Kind: domain.SerialUnknown}
	if rows.Next() {
		var kind int
		var at *time.Time
		var reason *int
		if err := rows.Scan(&kind, &at, &reason); err != nil {
			return domain.SerialStatus{}, fmt.Errorf("certificate status %s/%x: %w", ca, serial, err)
		}
		st = domain.SerialStatus{Kind: domain.SerialGood}
		if kind == 1 {
			st = domain.SerialStatus{Kind: domain.SerialRevoked, RevokedAt: at.UTC(), Reason: domain.RevocationReason(*reason)}
		}
	}
	if err := rows.Err(); err != nil {
		return domain.SerialStatus{}, fmt.Errorf("certificate status %s/%x: %w", ca, serial, err)
	}
	return st, nil
}

// Revocation is an entry of a CA's CRL: a certificate's, or an intermediate CA's, serial under
// the CA that issued it.
type Revocation struct {
	CAID           uuid.UUID
	Serial         *big.Int
	RevokedAt      time.Time
	Reason         int // RFC 5280 CRLReason code
	InvalidityDate *time.Time
	// Position is the $all position of the revocation.
	Position int64
	// CACertificate is set when the serial is an intermediate CA's certificate.
	CACertificate bool
}

// Bounds of RevokedSince's limit.
const (
	DefaultRevocationPage = 1000
	MaxRevocationPage     = 100_000
)

// RevokedSince returns the revocations of every CA after the $all position afterPosition, in
// position order, at most limit of them (DefaultRevocationPage when 0 or less, at most
// MaxRevocationPage). Passing the last one's Position gets the next ones.
func (q *Queries) RevokedSince(ctx context.Context, afterPosition int64, limit int) ([]Revocation, error) {
	if limit <= 0 {
		limit = DefaultRevocationPage
	}
	out, err := q.revocations(ctx, `SELECT ca_id, serial, revoked_at, reason, invalidity_date, position, ca_certificate
		FROM rm_pki.revocations WHERE position > $1 ORDER BY position LIMIT $2`, afterPosition, min(limit, MaxRevocationPage))
	if err != nil {
		return nil, fmt.Errorf("revocations after position %d: %w", afterPosition, err)
	}
	return out, nil
}

// RevokedByCA returns every revocation of the CA, ordered by serial number. It reads the
// primary key's range in one pass; the rows come in text order of the hexadecimal serials, which
// is numeric order among serials of one length, so grouping them by length orders them.
func (q *Queries) RevokedByCA(ctx context.Context, caID uuid.UUID) ([]Revocation, error) {
	all, err := q.revocations(ctx, `SELECT ca_id, serial, revoked_at, reason, invalidity_date, position, ca_certificate
		FROM rm_pki.revocations WHERE ca_id = $1 ORDER BY serial`, caID)
	if err != nil {
		return nil, fmt.Errorf("revocations of CA %s: %w", caID, err)
	}
	return byDigits(all), nil
}

// byDigits orders revocations that are in text order of their hexadecimal serials numerically:
// a counting sort by the number of digits, which keeps the text order within each length.
func byDigits(all []Revocation) []Revocation {
	digits := func(r Revocation) int { return max(1, (r.Serial.BitLen()+3)/4) }
	var counts []int
	sorted := true
	for i, r := range all {
		d := digits(r)
		if d >= len(counts) {
			counts = append(counts, make([]int, d+1-len(counts))...)
		}
		counts[d]++
		sorted = sorted && (i == 0 || digits(all[i-1]) <= d)
	}
	if sorted {
		return all
	}
	next := make([]int, len(counts))
	for d := 1; d < len(counts); d++ {
		next[d] = next[d-1] + counts[d-1]
	}
	out := make([]Revocation, len(all))
	for _, r := range all {
		d := digits(r)
		out[next[d]] = r
		next[d]++
	}
	return out
}

// revocations runs a query of revocations rows.
func (q *Queries) revocations(ctx context.Context, sql string, args ...any) ([]Revocation, error) {
	rows, err := q.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revocation
	var serial string
	for rows.Next() {
		var r Revocation
		if err := rows.Scan((*[16]byte)(&r.CAID), &serial, &r.RevokedAt, &r.Reason, &r.InvalidityDate, &r.Position, &r.CACertificate); err != nil {
			return nil, err
		}
		var ok bool
		if r.Serial, ok = new(big.Int).SetString(serial, 16); !ok {
			return nil, fmt.Errorf("serial %q is not hexadecimal", serial)
		}
		r.RevokedAt, r.InvalidityDate = r.RevokedAt.UTC(), utc(r.InvalidityDate)
		out = append(out, r)
	}
	return out, rows.Err()
}
