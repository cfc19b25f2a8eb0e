package reports

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// timeValue scans a nullable timestamptz into a time.Time, NULL as the zero time.
type timeValue struct{ t *time.Time }

// ScanTimestamptz implements pgtype.TimestamptzScanner.
func (v *timeValue) ScanTimestamptz(ts pgtype.Timestamptz) error {
	*v.t = time.Time{}
	if ts.Valid {
		*v.t = ts.Time.UTC()
	}
	return nil
}

// nullTime returns t for a write, nil (NULL) for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
