package pki

import (
	"time"

	"github.com/google/uuid"
)

// certRow is a row of certificates as the projection writes it; nil pointers are NULLs.
type certRow struct {
	id, caID                          uuid.UUID
	serial                            *string
	subjectCN                         string
	sans, dnsNames                    []string
	keyType                           string
	keyBits                           int32
	signatureAlgorithm                *string
	notBefore, notAfter               *time.Time
	status                            string
	profile, team, owner, requestedBy string
	fingerprint, pem                  *string
	renews, supersededBy              *uuid.UUID
	requestedAt                       time.Time
	issuedAt, revokedAt               *time.Time
	revocationReason                  *int32
	invalidityDate                    *time.Time
	updatedAt                         time.Time
	position                          int64
}

// certColumns are the columns of certificates in the order of certRow.values.
var certColumns = []string{"id", "ca_id", "serial", "subject_cn", "sans", "dns_names", "key_type", "key_bits",
	"signature_algorithm", "not_before", "not_after", "status", "profile", "team", "owner", "requested_by",
	"fingerprint_sha256", "pem", "renews", "superseded_by", "requested_at", "issued_at", "revoked_at",
	"revocation_reason", "invalidity_date", "updated_at", "position"}

// values returns the row's values in the order of certColumns.
func (r *certRow) values() []any {
	return []any{pgID(r.id), pgID(r.caID), r.serial, r.subjectCN, nonNil(r.sans), nonNil(r.dnsNames), r.keyType, r.keyBits,
		r.signatureAlgorithm, r.notBefore, r.notAfter, r.status, r.profile, r.team, r.owner, r.requestedBy,
		r.fingerprint, r.pem, pgOptionalID(r.renews), pgOptionalID(r.supersededBy), r.requestedAt, r.issuedAt, r.revokedAt,
		r.revocationReason, r.invalidityDate, r.updatedAt, r.position}
}

// nonNil returns s, or an empty slice for nil: pgx writes a nil slice as NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// issuedDetails are the columns a CertificateIssued event sets, parsed from its DER.
type issuedDetails struct {
	serial, subjectCN   string
	sans, dnsNames      []string
	keyType             string
	keyBits             int32
	signatureAlgorithm  string
	notBefore, notAfter time.Time
	fingerprint, pem    string
	issuedAt            time.Time
}

// revokedDetails are the columns a CertificateRevoked event sets.
type revokedDetails struct {
	at         time.Time
	reason     int32
	invalidity *time.Time
}

// certPatch is what one or more events after CertificateRequested change in a certificate's
// row. Every such event sets the status, updated_at and position; the groups issued,
// supersededBy and revoked are set only by their events. Every change is a plain assignment,
// so the patches of consecutive events merge into one (merge) that changes a row exactly as
// the events one after the other would.
type certPatch struct {
	id           uuid.UUID
	status       string
	updatedAt    time.Time
	position     int64
	issued       *issuedDetails
	supersededBy *uuid.UUID
	revoked      *revokedDetails
}

// merge folds a later patch of the same certificate into p.
func (p *certPatch) merge(later certPatch) {
	p.status, p.updatedAt, p.position = later.status, later.updatedAt, later.position
	if later.issued != nil {
		p.issued = later.issued
	}
	if later.supersededBy != nil {
		p.supersededBy = later.supersededBy
	}
	if later.revoked != nil {
		p.revoked = later.revoked
	}
}

// apply changes r as the patch's events do; patchSQL does the same in Postgres.
func (r *certRow) apply(p certPatch) {
	r.status, r.updatedAt, r.position = p.status, p.updatedAt, p.position
	if d := p.issued; d != nil {
		r.serial, r.subjectCN, r.sans, r.dnsNames = &d.serial, d.subjectCN, d.sans, d.dnsNames
		r.keyType, r.keyBits, r.signatureAlgorithm = d.keyType, d.keyBits, &d.signatureAlgorithm
		r.notBefore, r.notAfter, r.fingerprint, r.pem = &d.notBefore, &d.notAfter, &d.fingerprint, &d.pem
		r.issuedAt = &d.issuedAt
	}
	if p.supersededBy != nil {
		r.supersededBy = p.supersededBy
	}
	if d := p.revoked; d != nil {
		r.revokedAt, r.revocationReason, r.invalidityDate = &d.at, &d.reason, d.invalidity
	}
}

// patchSQL applies the patches passed as arrays (see patchArgs) to the rows that exist, with
// the same assignments as certRow.apply.
const patchSQL = `UPDATE certificates c SET
	status = p.status, updated_at = p.updated_at, position = p.position,
	serial = CASE WHEN p.issued THEN p.serial ELSE c.serial END,
	subject_cn = CASE WHEN p.issued THEN p.subject_cn ELSE c.subject_cn END,
	sans = CASE WHEN p.issued THEN p.sans::text[] ELSE c.sans END,
	dns_names = CASE WHEN p.issued THEN p.dns_names::text[] ELSE c.dns_names END,
	key_type = CASE WHEN p.issued THEN p.key_type ELSE c.key_type END,
	key_bits = CASE WHEN p.issued THEN p.key_bits ELSE c.key_bits END,
	signature_algorithm = CASE WHEN p.issued THEN p.signature_algorithm ELSE c.signature_algorithm END,
	not_before = CASE WHEN p.issued THEN p.not_before ELSE c.not_before END,
	not_after = CASE WHEN p.issued THEN p.not_after ELSE c.not_after END,
	fingerprint_sha256 = CASE WHEN p.issued THEN p.fingerprint ELSE c.fingerprint_sha256 END,
	pem = CASE WHEN p.issued THEN p.pem ELSE c.pem END,
	issued_at = CASE WHEN p.issued THEN p.issued_at ELSE c.issued_at END,
	superseded_by = CASE WHEN p.superseded_by IS NOT NULL THEN p.superseded_by ELSE c.superseded_by END,
	revoked_at = CASE WHEN p.revoked THEN p.revoked_at ELSE c.revoked_at END,
	revocation_reason = CASE WHEN p.revoked THEN p.reason ELSE c.revocation_reason END,
	invalidity_date = CASE WHEN p.revoked THEN p.invalidity_date ELSE c.invalidity_date END
FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bool[], $6::text[], $7::text[],
	$8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::timestamptz[], $14::timestamptz[],
	$15::text[], $16::text[], $17::timestamptz[], $18::uuid[], $19::bool[], $20::timestamptz[], $21::int[],
	$22::timestamptz[])
	AS p(id, status, updated_at, position, issued, serial, subject_cn, sans, dns_names, key_type, key_bits,
	signature_algorithm, not_before, not_after, fingerprint, pem, issued_at, superseded_by, revoked,
	revoked_at, reason, invalidity_date)
WHERE c.id = p.id`
