package pki

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/projections"
)

// ExportCertificates calls emit with every certificate that matches f, by id, as Postgres
// streams them: one query, one row in memory at a time, whatever the inventory's size (the
// CSV export of the inventory). An error from emit stops the export and is returned.
func (q *Queries) ExportCertificates(ctx context.Context, f CertificateFilter, emit func(CertificateRow) error) error {
	sql, args := filterSQL(f, nil)
	rows, err := q.pool.Query(ctx, sql+" ORDER BY id", args...)
	if err != nil {
		return fmt.Errorf("export certificates: %w", projections.NotReady(err))
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCertificate(rows, false)
		if err != nil {
			return fmt.Errorf("export certificates: %w", err)
		}
		if err := emit(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export certificates: %w", projections.NotReady(err))
	}
	return nil
}

// CSVHeader names the columns of CertificateRow.CSVRecord.
var CSVHeader = []string{"id", "ca_id", "serial", "subject_cn", "sans", "key_type", "key_bits", "signature_algorithm",
	"not_before", "not_after", "status", "profile", "team", "owner", "requested_by", "fingerprint_sha256",
	"requested_at", "issued_at", "revoked_at", "revocation_reason"}

// CSVRecord is the certificate as one CSV record of the inventory export: times in RFC 3339
// (UTC), SANs joined by spaces, what the certificate lacks empty.
func (c CertificateRow) CSVRecord() []string {
	return []string{c.ID.String(), c.CAID.String(), c.Serial, c.SubjectCN, strings.Join(c.SANs, " "), c.KeyType,
		strconv.Itoa(c.KeyBits), c.SignatureAlgorithm, timeText(c.NotBefore), timeText(c.NotAfter), string(c.Status),
		c.Profile, c.Team, c.Owner, c.RequestedBy, c.FingerprintSHA256, c.RequestedAt.UTC().Format(time.RFC3339),
		timeText(c.IssuedAt), timeText(c.RevokedAt), intText(c.RevocationReason)}
}

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func intText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
