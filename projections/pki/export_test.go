package pki

import "github.com/google/uuid"

// ListSQL exposes the query of a page of ListCertificates, to EXPLAIN it in tests.
func ListSQL(f CertificateFilter, after *uuid.UUID, limit int) (string, []any) {
	return listSQL(f, after, limit)
}

// StatusSQL is the query of Queries.Status, to EXPLAIN it in tests.
const StatusSQL = statusSQL
