package pki

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
)

// Page sizes of ListCertificates.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ErrBadCursor is returned (wrapped) for a cursor ListCertificates did not make.
var ErrBadCursor = errors.New("malformed page cursor")

// CertificateFilter selects certificates; zero fields select everything.
//
// Each of Status, Team, CAID and ExpiresBefore/After has an index ending in id, and Status with
// Team has (team, status, id), so a page costs an index range of about the page's size. Owner,
// KeyType and SAN have no index of their own: they filter the rows another index (or the
// primary key) yields in id order, so a page costs the rows scanned until it is full, up to
// the whole table when nothing matches. SANExact uses the GIN index on sans, then sorts its
// matches by id.
type CertificateFilter struct {
	Status  domain.CertStatus
	Team    string
	Owner   string
	CAID    uuid.UUID // uuid.Nil: any CA
	KeyType domain.KeyType
	// ExpiresBefore and ExpiresAfter select not_after < ExpiresBefore and
	// not_after >= ExpiresAfter; certificates not yet issued have no not_after and are left out.
	ExpiresBefore *time.Time
	ExpiresAfter  *time.Time
	// SAN selects certificates with a SAN containing it, ignoring case.
	SAN string
	// SANExact selects certificates with exactly this SAN (DNS names are stored lower-case).
	SANExact string
	// Serial selects the certificates with this serial number, in hexadecimal (any case,
	// colons and a 0x prefix allowed): one per CA at most.
	Serial string
}

// ListCertificates returns a page of the certificates that match f, ordered by id, after the
// certificate cursor names ("" for the first page), and the cursor of the next page ("" when
// this is the last). limit is DefaultPageSize when 0 or less, at most MaxPageSize. Pages are
// keyset-paginated (id > cursor), so paging through a changing inventory never repeats or skips
// a certificate that stays in the filter.
func (q *Queries) ListCertificates(ctx context.Context, f CertificateFilter, cursor string, limit int) ([]CertificateRow, string, error) {
	after, err := decodeCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	limit = pageSize(limit)
	sql, args := listSQL(f, after, limit)
	rows, _ := q.pool.Query(ctx, sql, args...)
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CertificateRow, error) { return scanCertificate(r, false) })
	if err != nil {
		return nil, "", fmt.Errorf("list certificates: %w", projections.NotReady(err))
	}
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	return items, encodeCursor(items[limit-1].ID), nil
}

// pageSize applies the default and the bound to a requested page size.
func pageSize(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return min(limit, MaxPageSize)
}

// listSQL returns the query of a page of limit certificates (plus one, to tell whether there
// is a next page) matching f after the id after.
func listSQL(f CertificateFilter, after *uuid.UUID, limit int) (string, []any) {
	sql, args := filterSQL(f, after)
	// The limit is a literal, not a parameter: a generic plan of a cached statement would
	// otherwise assume a large LIMIT and could prefer a sort to the keyset index.
	return sql + " ORDER BY id LIMIT " + strconv.Itoa(limit+1), args
}

// filterSQL returns the query of the certificates matching f after the id after, unordered.
func filterSQL(f CertificateFilter, after *uuid.UUID) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.Team != "" {
		add("team = ?", f.Team)
	}
	if f.Owner != "" {
		add("owner = ?", f.Owner)
	}
	if f.CAID != uuid.Nil {
		add("ca_id = ?", f.CAID)
	}
	if f.KeyType != "" {
		add("key_type = ?", string(f.KeyType))
	}
	if f.ExpiresBefore != nil {
		add("not_after < ?", f.ExpiresBefore.UTC())
	}
	if f.ExpiresAfter != nil {
		add("not_after >= ?", f.ExpiresAfter.UTC())
	}
	if f.SAN != "" {
		add(`EXISTS (SELECT 1 FROM unnest(sans) s WHERE s ILIKE ?)`, "%"+escapeLike(f.SAN)+"%")
	}
	if f.SANExact != "" {
		add("sans @> ARRAY[?::text]", f.SANExact)
	}
	if f.Serial != "" {
		add("serial = ?", NormalizeSerial(f.Serial))
	}
	if after != nil {
		add("id > ?", *after)
	}
	sql := "SELECT " + certSelect + " FROM rm_pki.certificates"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return sql, args
}

// escapeLike escapes the LIKE wildcards and the escape character in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// encodeCursor makes the opaque cursor of the page after the certificate id.
func encodeCursor(id uuid.UUID) string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// decodeCursor returns the id a cursor names, nil for the empty cursor.
func decodeCursor(cursor string) (*uuid.UUID, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) != 16 {
		return nil, fmt.Errorf("list certificates: cursor %q: %w", cursor, ErrBadCursor)
	}
	id := uuid.UUID(b)
	return &id, nil
}

// NormalizeSerial writes a hexadecimal serial number as the read model stores it (see the
// package doc): lower case, without colons, spaces, a 0x prefix or leading zeros, so that the
// "0D:16:…" openssl prints finds "d16…".
func NormalizeSerial(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "0x")
	s = strings.TrimLeft(strings.NewReplacer(":", "", " ", "").Replace(s), "0")
	if s == "" {
		return "0"
	}
	return s
}
