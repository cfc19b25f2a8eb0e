package reports

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
)

// certColumns are the columns of certs in the order of scan and values.
const certColumns = `id, team, ca_id, profile, owner, key_type, key_bits, signature_algorithm, status, server, wildcard,
	not_before, not_after, requested_at, issued_at, findings`

// load reads what the batch's events act on: every profile, and the certificates that events
// other than their request touch or whose profile the batch changes.
func load(ctx context.Context, tx pgx.Tx, decoded []domain.Event) (*batch, error) {
	b := &batch{old: map[uuid.UUID]certState{}, cur: map[uuid.UUID]*certState{}, profiles: map[string]*profileRules{},
		byID: map[uuid.UUID]string{}, cas: map[uuid.UUID]string{}}
	requested := map[string]bool{}
	var ids []uuid.UUID
	var profileNames []string
	for _, v := range decoded {
		switch e := v.(type) {
		case domain.CertificateRequested:
			requested[e.CertificateID] = true
		case domain.ProfileDefined:
			profileNames = append(profileNames, e.Spec.Name)
		case domain.ProfileUpdated:
			profileNames = append(profileNames, e.Spec.Name)
		default:
			if _, ok := domain.StatusAfter(v); ok && !requested[v.Aggregate().ID] {
				id, err := uuid.Parse(v.Aggregate().ID)
				if err != nil {
					return nil, fmt.Errorf("reports: certificate id: %w", err)
				}
				ids = append(ids, id)
			}
		}
	}
	rows, err := tx.Query(ctx, "SELECT id, name, max_validity_days, allow_wildcards FROM profiles")
	if err != nil {
		return nil, fmt.Errorf("reports: load profiles: %w", err)
	}
	for rows.Next() {
		var id uuid.UUID
		p := &profileRules{}
		if err := rows.Scan(&id, &p.name, &p.maxValidityDays, &p.allowWildcards); err != nil {
			return nil, fmt.Errorf("reports: load profiles: %w", err)
		}
		b.profiles[p.name], b.byID[id] = p, p.name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reports: load profiles: %w", err)
	}
	if len(ids) == 0 && len(profileNames) == 0 {
		return b, nil
	}
	rows, err = tx.Query(ctx, "SELECT "+certColumns+" FROM certs WHERE id = ANY($1) OR profile = ANY($2)", ids, profileNames)
	if err != nil {
		return nil, fmt.Errorf("reports: load %d certificates: %w", len(ids), err)
	}
	for rows.Next() {
		s, err := scanCert(rows)
		if err != nil {
			return nil, fmt.Errorf("reports: load certificates: %w", err)
		}
		b.old[s.id] = s
		c := s
		b.cur[s.id], b.order = &c, append(b.order, s.id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reports: load certificates: %w", err)
	}
	return b, nil
}

// scanCert reads a row of certColumns.
func scanCert(row pgx.Row) (certState, error) {
	var s certState
	var notBefore, notAfter, issuedAt *timeValue
	notBefore, notAfter, issuedAt = &timeValue{&s.notBefore}, &timeValue{&s.notAfter}, &timeValue{&s.issuedAt}
	err := row.Scan(&s.id, &s.team, &s.caID, &s.profile, &s.owner, &s.keyType, &s.keyBits, &s.signatureAlgorithm,
		&s.status, &s.server, &s.wildcard, notBefore, notAfter, &s.requestedAt, issuedAt, (*uint32)(&s.findings))
	s.requestedAt = s.requestedAt.UTC()
	return s, err
}

// values returns the row's values in the order of certColumns; zero times are NULL.
func (s *certState) values() []any {
	return []any{s.id, s.team, s.caID, s.profile, s.owner, s.keyType, s.keyBits, s.signatureAlgorithm, s.status,
		s.server, s.wildcard, nullTime(s.notBefore), nullTime(s.notAfter), s.requestedAt, nullTime(s.issuedAt), int32(s.findings)}
}
