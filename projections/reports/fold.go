package reports

import (
	"context"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// batch is a batch of events folded in memory: the certificates it touches as they were before
// it (old, from certs) and after it (cur), and the profiles and CAs.
type batch struct {
	old      map[uuid.UUID]certState
	cur      map[uuid.UUID]*certState
	order    []uuid.UUID // touched certificates, first touch first
	profiles map[string]*profileRules
	byID     map[uuid.UUID]string // profile id → name
	changed  []uuid.UUID          // profiles defined or updated in the batch
	cas      map[uuid.UUID]string // CAs created in the batch
}

// Apply applies one event; it is ApplyBatch of that event alone.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	return p.ApplyBatch(ctx, tx, []events.Envelope{e})
}

// ApplyBatch decodes the batch, loads the certificates and profiles it touches, folds it in
// memory and writes the changed certificates and the aggregate deltas.
func (p *Projection) ApplyBatch(ctx context.Context, tx pgx.Tx, envs []events.Envelope) error {
	decoded := make([]domain.Event, 0, len(envs))
	for _, env := range envs {
		if _, known := p.registry.Version(env.Type); !known {
			continue
		}
		v, err := codec.Decode(p.registry, env)
		if err != nil {
			return fmt.Errorf("reports: %s event %s@%d (position %d): %w", env.Type, env.Stream, env.Revision, env.Position, err)
		}
		decoded = append(decoded, v)
	}
	b, err := load(ctx, tx, decoded)
	if err != nil {
		return err
	}
	for _, v := range decoded {
		if err := b.fold(v); err != nil {
			return fmt.Errorf("reports: %s of %s: %w", v.EventType(), v.Aggregate().ID, err)
		}
	}
	return b.write(ctx, tx)
}

// fold applies one event to the batch's state.
func (b *batch) fold(v domain.Event) error {
	switch e := v.(type) {
	case domain.CertificateRequested:
		return b.request(e)
	case domain.CertificateIssued:
		s, err := b.cert(e.CertificateID)
		if err != nil {
			return err
		}
		cert, err := x509.ParseCertificate(e.CertificateDER)
		if err != nil {
			return fmt.Errorf("parse issued certificate: %w", err)
		}
		s.keyType, s.keyBits = string(domain.KeyTypeOf(cert.PublicKey)), int32(domain.KeyBits(cert.PublicKey))
		s.signatureAlgorithm = cert.SignatureAlgorithm.String()
		s.server = slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
		s.wildcard = slices.ContainsFunc(cert.DNSNames, func(n string) bool { return strings.HasPrefix(n, "*.") })
		s.notBefore, s.notAfter, s.issuedAt = cert.NotBefore.UTC(), cert.NotAfter.UTC(), e.IssuedAt.UTC()
		return b.status(s, v)
	case domain.CARootCreated:
		return b.ca(e.CADetails)
	case domain.CAIntermediateCreated:
		return b.ca(e.CADetails)
	case domain.ProfileDefined:
		return b.profile(e.ProfileID, e.Spec)
	case domain.ProfileUpdated:
		return b.profile(e.ProfileID, e.Spec)
	}
	if _, ok := domain.StatusAfter(v); !ok {
		return nil // not a certificate event
	}
	s, err := b.cert(v.Aggregate().ID)
	if err != nil {
		return err
	}
	return b.status(s, v)
}

// request adds the certificate a CertificateRequested event creates.
func (b *batch) request(e domain.CertificateRequested) error {
	id, err := uuid.Parse(e.CertificateID)
	if err != nil {
		return fmt.Errorf("certificate id: %w", err)
	}
	ca, err := uuid.Parse(e.CAID)
	if err != nil {
		return fmt.Errorf("CA id: %w", err)
	}
	if _, dup := b.cur[id]; dup {
		return fmt.Errorf("certificate %s was requested twice", id)
	}
	s := &certState{id: id, team: e.Team, caID: ca, profile: e.ProfileName, owner: e.Owner, keyType: string(e.KeyType),
		requestedAt: e.RequestedAt.UTC()}
	b.cur[id], b.order = s, append(b.order, id)
	return b.status(s, e)
}

// cert returns the state of an existing certificate.
func (b *batch) cert(idText string) (*certState, error) {
	id, err := uuid.Parse(idText)
	if err != nil {
		return nil, fmt.Errorf("certificate id: %w", err)
	}
	s := b.cur[id]
	if s == nil {
		return nil, fmt.Errorf("certificate %s does not exist in the read model", id)
	}
	return s, nil
}

// status sets the status the domain's lifecycle gives after e.
func (b *batch) status(s *certState, e domain.Event) error {
	st, ok := domain.StatusAfter(e)
	if !ok {
		return fmt.Errorf("%s sets no certificate status", e.EventType())
	}
	s.status = string(st)
	return nil
}

func (b *batch) ca(d domain.CADetails) error {
	id, err := uuid.Parse(d.CAID)
	if err != nil {
		return fmt.Errorf("CA id: %w", err)
	}
	b.cas[id] = d.Name
	return nil
}

// profile records a profile's rules; the certificates of the profile were loaded with the batch
// (load), so write re-evaluates them.
func (b *batch) profile(idText string, spec domain.ProfileSpec) error {
	id, err := uuid.Parse(idText)
	if err != nil {
		return fmt.Errorf("profile id: %w", err)
	}
	if old, ok := b.byID[id]; ok && old != spec.Name {
		delete(b.profiles, old)
	}
	b.byID[id] = spec.Name
	b.profiles[spec.Name] = &profileRules{name: spec.Name, maxValidityDays: int32(spec.MaxValidityDays), allowWildcards: spec.AllowWildcards}
	if !slices.Contains(b.changed, id) {
		b.changed = append(b.changed, id)
	}
	return nil
}
