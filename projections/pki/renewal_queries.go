package pki

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/projections"
)

// RenewalsDue returns up to limit issued certificates whose renewal is due at t under their
// profile's policy and has no RenewalDue yet, earliest due first, from the index on renew_at.
// The command decides again with the domain's policy, so the read model only has to find them.
func (q *Queries) RenewalsDue(ctx context.Context, t time.Time, limit int) ([]uuid.UUID, error) {
	rows, err := q.pool.Query(ctx, `SELECT c.id FROM rm_pki.certificates c
		WHERE c.renew_at <= $1 AND c.renew_at IS NOT NULL AND c.status = 'issued' AND c.not_after > $1
		ORDER BY c.renew_at LIMIT $2`, t.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("renewals due: %w", projections.NotReady(err))
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// RenewalAttempt is a due renewal the ledger acts on by itself, with the failures so far.
type RenewalAttempt struct {
	CertificateID uuid.UUID
	Failures      int
}

// RenewalAttemptsDue returns up to limit due or failed renewals of still issued certificates
// whose profile renews automatically (mode reuse_csr or agent) and whose next attempt is due
// at t, earliest first.
func (q *Queries) RenewalAttemptsDue(ctx context.Context, t time.Time, limit int) ([]RenewalAttempt, error) {
	rows, err := q.pool.Query(ctx, `SELECT r.certificate_id, r.attempts FROM rm_pki.renewals r
		JOIN rm_pki.certificates c ON c.id = r.certificate_id JOIN rm_pki.profiles p ON p.name = c.profile
		WHERE r.state <> 'renewed' AND r.next_attempt_at <= $1 AND c.status = 'issued'
			AND p.spec->'renewal'->>'mode' IN ('reuse_csr', 'agent')
		ORDER BY r.next_attempt_at LIMIT $2`, t.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("renewal attempts due: %w", projections.NotReady(err))
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (RenewalAttempt, error) {
		var a RenewalAttempt
		return a, r.Scan(&a.CertificateID, &a.Failures)
	})
}

// ErrBadRenewalFilter is returned (wrapped) for a renewal state ListRenewals does not know.
var ErrBadRenewalFilter = errors.New("not a renewal filter")

// RenewalRow is a certificate's renewal state with what identifies the certificate.
type RenewalRow struct {
	CertificateID             uuid.UUID
	CommonName, Team, Profile string
	Status                    string // the certificate's status
	Mode, State               string
	DueAt, NotAfter           time.Time
	Attempts                  int
	LastError                 string
	NextAttemptAt             time.Time
	SuccessorID               *uuid.UUID
}

// RenewalFilter narrows a list of renewals; empty fields match everything.
type RenewalFilter struct {
	State, Team   string
	CertificateID *uuid.UUID
}

// ListRenewals returns the renewals that match f by certificate id after cursor (uuid.Nil for
// the first page), and the next page's cursor (uuid.Nil at the end).
func (q *Queries) ListRenewals(ctx context.Context, f RenewalFilter, cursor uuid.UUID, limit int) ([]RenewalRow, uuid.UUID, error) {
	switch f.State {
	case "", RenewalStateDue, RenewalStateFailed, RenewalStateRenewed:
	default:
		return nil, uuid.Nil, fmt.Errorf("renewal state %q (want due, failed or renewed): %w", f.State, ErrBadRenewalFilter)
	}
	rows, err := q.pool.Query(ctx, `SELECT r.certificate_id, c.subject_cn, c.team, c.profile, c.status, r.mode, r.state,
		r.due_at, r.not_after, r.attempts, r.last_error, r.next_attempt_at, r.successor
		FROM rm_pki.renewals r JOIN rm_pki.certificates c ON c.id = r.certificate_id
		WHERE r.certificate_id > $1 AND ($2 = '' OR r.state = $2) AND ($3 = '' OR c.team = $3)
			AND ($4::uuid IS NULL OR r.certificate_id = $4)
		ORDER BY r.certificate_id LIMIT $5`, cursor, f.State, f.Team, f.CertificateID, limit+1)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("list renewals: %w", projections.NotReady(err))
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RenewalRow, error) {
		var w RenewalRow
		return w, r.Scan(&w.CertificateID, &w.CommonName, &w.Team, &w.Profile, &w.Status, &w.Mode, &w.State,
			&w.DueAt, &w.NotAfter, &w.Attempts, &w.LastError, &w.NextAttemptAt, &w.SuccessorID)
	})
	if err != nil || len(items) <= limit {
		return items, uuid.Nil, err
	}
	return items[:limit], items[limit-1].CertificateID, nil
}
