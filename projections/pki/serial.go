package pki

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/certledger/certledger/projections"
)

// CertificatesBySerial returns the ids of the issued certificates with a serial (lower-case
// hex, no leading zeros, as the events record it), of any CA; none is an empty list.
func (q *Queries) CertificatesBySerial(ctx context.Context, serial string) ([]uuid.UUID, error) {
	rows, err := q.pool.Query(ctx, "SELECT id FROM rm_pki.certificates WHERE serial = $1", serial)
	if err != nil {
		return nil, fmt.Errorf("certificates with serial %s: %w", serial, projections.NotReady(err))
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan((*[16]byte)(&id)); err != nil {
			return nil, fmt.Errorf("certificates with serial %s: %w", serial, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
