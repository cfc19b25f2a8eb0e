package pki

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// renewalsDDL is the renewal state of certificates: a row once a certificate's renewal is due
// (RenewalDue), its failed automatic attempts (RenewalFailed), and its successor once one
// supersedes it (CertificateRenewed). State is due, failed or renewed.
const renewalsDDL = `
CREATE TABLE IF NOT EXISTS renewals (
	certificate_id uuid PRIMARY KEY,
	mode text NOT NULL,
	due_at timestamptz NOT NULL,
	not_after timestamptz NOT NULL,
	state text NOT NULL,
	attempts integer NOT NULL,
	last_error text NOT NULL,
	next_attempt_at timestamptz NOT NULL,
	successor uuid,
	updated_at timestamptz NOT NULL,
	position bigint NOT NULL);
CREATE INDEX IF NOT EXISTS renewals_next_attempt ON renewals (next_attempt_at) WHERE state <> 'renewed';
-- When an issued certificate's renewal is due under its profile's policy, until its RenewalDue
-- is recorded; the scheduler reads the index, not every issued certificate.
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS renew_at timestamptz;
CREATE INDEX IF NOT EXISTS certificates_renew_at ON certificates (renew_at) WHERE renew_at IS NOT NULL AND status = 'issued';
`

// RenewAtSQL is the renewal due time of a certificate c under its profile p's renewal policy,
// as domain.RenewalPolicy.DueAt computes it; least() skips the NULL of a policy without
// days_before.
var RenewAtSQL = fmt.Sprintf(`least(c.not_before + (c.not_after - c.not_before)
		* coalesce(nullif((p.spec->'renewal'->>'lifetime_fraction')::float8, 0), %.17g),
	CASE WHEN coalesce((p.spec->'renewal'->>'days_before')::int, 0) > 0
		THEN c.not_after - make_interval(days => (p.spec->'renewal'->>'days_before')::int) END)`, domain.DefaultRenewalFraction)

// renewAtSet sets renew_at of the issued certificates of profiles p that match where and have
// no RenewalDue yet.
func renewAtSet(where string) string {
	return `UPDATE certificates c SET renew_at = ` + RenewAtSQL + ` FROM profiles p
		WHERE p.name = c.profile AND c.status = 'issued' AND ` + where + `
			AND NOT EXISTS (SELECT 1 FROM renewals r WHERE r.certificate_id = c.id)`
}

// renewAtOfProfile recomputes renew_at of a profile's certificates after its policy changed.
var renewAtOfProfile = renewAtSet("p.name = $1")

// renewAtOfIssued computes renew_at of the certificates a batch issued, once they are written.
var renewAtOfIssued = renewAtSet("c.id = ANY($1)")

// renewAtCleared clears renew_at of changed certificates no longer issued.
const renewAtCleared = `UPDATE certificates SET renew_at = NULL WHERE id = ANY($1) AND status <> 'issued' AND renew_at IS NOT NULL`

// issuedInBatch notes a certificate the batch issued, for renewAtOfIssued.
func (b *batchState) issuedInBatch(id uuid.UUID) { b.issued = append(b.issued, id) }

// The renewal states of the read model.
const (
	RenewalStateDue     = "due"
	RenewalStateFailed  = "failed"
	RenewalStateRenewed = "renewed"
)

// foldRenewal adds the statement of a renewal event; the first attempt is due at once.
func (b *batchState) foldRenewal(v domain.Event, pos int64) {
	switch e := v.(type) {
	case domain.RenewalDue:
		b.statements = append(b.statements, statement{sql: `UPDATE certificates SET renew_at = NULL WHERE id = $1`,
			args: []any{e.CertificateID}})
		b.statements = append(b.statements, statement{sql: `INSERT INTO renewals (certificate_id, mode, due_at, not_after,
			state, attempts, last_error, next_attempt_at, updated_at, position) VALUES ($1, $2, $3, $4, 'due', 0, '', $5, $5, $6)`,
			args: []any{e.CertificateID, e.Mode, e.DueAt.UTC(), e.NotAfter.UTC(), e.RecordedAt.UTC(), pos}})
	case domain.RenewalFailed:
		b.statements = append(b.statements, statement{sql: `UPDATE renewals SET state = 'failed', attempts = $2,
			last_error = $3, next_attempt_at = $4, updated_at = $5, position = $6 WHERE certificate_id = $1`,
			args: []any{e.CertificateID, e.Attempt, e.Reason, e.NextAttemptAt.UTC(), e.FailedAt.UTC(), pos},
			one:  "the due renewal of certificate " + e.CertificateID})
	case domain.CertificateRenewed:
		// A renewal by hand of a certificate never due has no row: nothing to change.
		b.statements = append(b.statements, statement{sql: `UPDATE renewals SET state = 'renewed', successor = $2,
			updated_at = $3, position = $4 WHERE certificate_id = $1`,
			args: []any{e.CertificateID, e.SupersededBy, e.RenewedAt.UTC(), pos}})
	}
}
