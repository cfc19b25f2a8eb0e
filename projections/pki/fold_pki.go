package pki

import (
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// foldPKI adds a CA, profile or signing key event to the batch's statements.
func (b *batchState) foldPKI(v domain.Event, pos int64) error {
	switch e := v.(type) {
	case domain.CARootCreated:
		return b.createCA(e.CADetails, "", pos)
	case domain.CAIntermediateCreated:
		return b.createCA(e.CADetails, e.ParentID, pos)
	case domain.CAResponderCertified:
		id, err := uuid.Parse(e.CAID)
		if err != nil {
			return fmt.Errorf("CA id: %w", err)
		}
		b.statements = append(b.statements, statement{one: "CA " + e.CAID, sql: `UPDATE cas SET responder_serial = $2,
			responder_der = $3, responder_key_label = $4, responder_not_after = $5, position = $6 WHERE id = $1`,
			args: []any{id, e.Serial, e.CertificateDER, e.KeyLabel, e.NotAfter.UTC(), pos}})
	case domain.CARevoked:
		id, err := uuid.Parse(e.CAID)
		if err != nil {
			return fmt.Errorf("CA id: %w", err)
		}
		b.statements = append(b.statements, statement{one: "CA " + e.CAID, sql: `UPDATE cas SET status = $2,
			revoked_at = $3, revocation_reason = $4, position = $5 WHERE id = $1`,
			args: []any{id, string(domain.CAStatusRevoked), e.RevokedAt.UTC(), int32(e.Reason), pos}})
		if e.ParentID != "" {
			return b.revoke(e.ParentID, e.Serial, e.RevokedAt, e.Reason, e.InvalidityDate, pos, true)
		}
	case domain.SigningKeyRevoked:
		// The signing key's certificate: on its CA's CRL and revoked in OCSP.
		return b.revoke(e.CAID, e.Serial, e.RevokedAt, e.Reason, e.InvalidityDate, pos, false)
	case domain.ProfileDefined:
		return b.profile(e.ProfileID, e.Spec, e.DefinedAt, false)
	case domain.ProfileUpdated:
		return b.profile(e.ProfileID, e.Spec, e.UpdatedAt, true)
	}
	return nil
}

// createCA adds the row of a new CA; parent is empty for a root.
func (b *batchState) createCA(d domain.CADetails, parent string, pos int64) error {
	id, err := uuid.Parse(d.CAID)
	if err != nil {
		return fmt.Errorf("CA id: %w", err)
	}
	parentID, err := optionalID(parent)
	if err != nil {
		return fmt.Errorf("parent CA id: %w", err)
	}
	b.statements = append(b.statements, statement{sql: `INSERT INTO cas (id, name, common_name, key_type, key_label,
		parent_id, status, serial, not_before, not_after, certificate_der, created_at, crl_partitions, crl_url, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		args: []any{id, d.Name, d.CommonName, string(d.KeyType), d.HSMKeyLabel, parentID, string(domain.CAStatusActive),
			d.Serial, d.NotBefore.UTC(), d.NotAfter.UTC(), d.CertificateDER, d.CreatedAt.UTC(), int32(d.CRLPartitions), d.CRLURL, pos}})
	return nil
}

// profile adds a profile definition (version 1) or update (the next version).
func (b *batchState) profile(profileID string, spec domain.ProfileSpec, at time.Time, update bool) error {
	id, err := uuid.Parse(profileID)
	if err != nil {
		return fmt.Errorf("profile id: %w", err)
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		return fmt.Errorf("encode profile spec: %w", err)
	}
	s := statement{sql: `INSERT INTO profiles (id, name, team, spec, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5)`,
		args: []any{id, spec.Name, spec.Team, json.RawMessage(raw), at.UTC()}}
	if update {
		s.one = "profile " + profileID
		s.sql = `UPDATE profiles SET name = $2, team = $3, spec = $4, version = version + 1, updated_at = $5 WHERE id = $1`
	}
	b.statements = append(b.statements, s, statement{sql: renewAtOfProfile, args: []any{spec.Name}})
	return nil
}

// revoke adds a row of revocations: a certificate's serial, or an intermediate CA's under its
// parent.
func (b *batchState) revoke(caID, serial string, at time.Time, reason domain.RevocationReason, invalidity *time.Time, pos int64, caCertificate bool) error {
	id, err := uuid.Parse(caID)
	if err != nil {
		return fmt.Errorf("issuing CA id: %w", err)
	}
	n, ok := new(big.Int).SetString(serial, 16)
	if !ok || n.Sign() < 0 {
		return fmt.Errorf("revoked serial %q is not a hexadecimal serial number", serial)
	}
	b.revocations = append(b.revocations, revocationRow{caID: id, serial: n.Text(16), revokedAt: at.UTC(),
		reason: int32(reason), invalidity: utc(invalidity), position: pos, caCertificate: caCertificate})
	return nil
}
