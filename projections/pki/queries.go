package pki

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
)

// ErrNotFound is returned (wrapped) for a certificate, CA or profile the read model does not
// have.
var ErrNotFound = errors.New("not found in the PKI read model")

// Queries reads the PKI read model. It is safe for concurrent use.
type Queries struct {
	pool *pgxpool.Pool
}

// NewQueries returns the queries of the read model in the database of pool.
func NewQueries(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool} }

// CertificateRow is a certificate as the read model has it. The fields describing the issued
// certificate are empty (or nil) until it is issued.
type CertificateRow struct {
	ID                 uuid.UUID         `json:"id"`
	CAID               uuid.UUID         `json:"ca_id"`
	Serial             string            `json:"serial,omitempty"` // lower-case hexadecimal
	SubjectCN          string            `json:"subject_cn"`
	SANs               []string          `json:"sans"` // DNS names, IPs, emails, URIs
	DNSNames           []string          `json:"dns_names"`
	KeyType            string            `json:"key_type"`
	KeyBits            int               `json:"key_bits"`
	SignatureAlgorithm string            `json:"signature_algorithm,omitempty"`
	NotBefore          *time.Time        `json:"not_before,omitempty"`
	NotAfter           *time.Time        `json:"not_after,omitempty"`
	Status             domain.CertStatus `json:"status"`
	Profile            string            `json:"profile"`
	Team               string            `json:"team"`
	Owner              string            `json:"owner"`
	RequestedBy        string            `json:"requested_by"`
	FingerprintSHA256  string            `json:"fingerprint_sha256,omitempty"` // lower-case hex of the DER's SHA-256
	// PEM is the issued certificate; Certificate fills it, ListCertificates leaves it empty.
	PEM              string     `json:"pem,omitempty"`
	Renews           *uuid.UUID `json:"renews,omitempty"`
	SupersededBy     *uuid.UUID `json:"superseded_by,omitempty"`
	RequestedAt      time.Time  `json:"requested_at"`
	IssuedAt         *time.Time `json:"issued_at,omitempty"`
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevocationReason *int       `json:"revocation_reason,omitempty"` // RFC 5280 CRLReason code
	InvalidityDate   *time.Time `json:"invalidity_date,omitempty"`
	UpdatedAt        time.Time  `json:"updated_at"`
	// Position is the $all position of the last event that changed the certificate.
	Position int64 `json:"position"`
}

// certSelect lists the columns scanCertificate reads, without pem.
const certSelect = `id, ca_id, coalesce(serial, ''), subject_cn, sans, dns_names, key_type, key_bits,
	coalesce(signature_algorithm, ''), not_before, not_after, status, profile, team, owner, requested_by,
	coalesce(fingerprint_sha256, ''), renews, superseded_by, requested_at, issued_at, revoked_at,
	revocation_reason, invalidity_date, updated_at, position`

// scanCertificate reads the columns of certSelect, then pem when withPEM is set.
func scanCertificate(row pgx.Row, withPEM bool) (CertificateRow, error) {
	var c CertificateRow
	var renews, supersededBy pgtype.UUID
	dest := []any{(*[16]byte)(&c.ID), (*[16]byte)(&c.CAID), &c.Serial, &c.SubjectCN, &c.SANs, &c.DNSNames, &c.KeyType, &c.KeyBits,
		&c.SignatureAlgorithm, &c.NotBefore, &c.NotAfter, &c.Status, &c.Profile, &c.Team, &c.Owner, &c.RequestedBy,
		&c.FingerprintSHA256, &renews, &supersededBy, &c.RequestedAt, &c.IssuedAt, &c.RevokedAt,
		&c.RevocationReason, &c.InvalidityDate, &c.UpdatedAt, &c.Position}
	if withPEM {
		dest = append(dest, &c.PEM)
	}
	if err := row.Scan(dest...); err != nil {
		return CertificateRow{}, err
	}
	c.Renews, c.SupersededBy = optionalFromPG(renews), optionalFromPG(supersededBy)
	c.RequestedAt, c.UpdatedAt = c.RequestedAt.UTC(), c.UpdatedAt.UTC()
	for _, t := range []**time.Time{&c.NotBefore, &c.NotAfter, &c.IssuedAt, &c.RevokedAt, &c.InvalidityDate} {
		*t = utc(*t)
	}
	return c, nil
}

// Certificate returns the certificate with the given id, PEM included; a certificate never
// requested is ErrNotFound.
func (q *Queries) Certificate(ctx context.Context, id uuid.UUID) (CertificateRow, error) {
	row := q.pool.QueryRow(ctx, "SELECT "+certSelect+", coalesce(pem, '') FROM rm_pki.certificates WHERE id = $1", id)
	c, err := scanCertificate(row, true)
	if errors.Is(err, pgx.ErrNoRows) {
		return CertificateRow{}, fmt.Errorf("certificate %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return CertificateRow{}, fmt.Errorf("read certificate %s: %w", id, projections.NotReady(err))
	}
	return c, nil
}

// CertificateByFingerprint returns the issued certificate whose DER has the given SHA-256
// (lowercase hex), PEM left out; none is ErrNotFound. The mTLS listener finds its clients so.
func (q *Queries) CertificateByFingerprint(ctx context.Context, fingerprintSHA256 string) (CertificateRow, error) {
	row := q.pool.QueryRow(ctx, "SELECT "+certSelect+" FROM rm_pki.certificates WHERE fingerprint_sha256 = $1", fingerprintSHA256)
	c, err := scanCertificate(row, false)
	if errors.Is(err, pgx.ErrNoRows) {
		return CertificateRow{}, fmt.Errorf("certificate with fingerprint %s: %w", fingerprintSHA256, ErrNotFound)
	}
	if err != nil {
		return CertificateRow{}, fmt.Errorf("read certificate with fingerprint %s: %w", fingerprintSHA256, projections.NotReady(err))
	}
	return c, nil
}

// ProfileRow is a certificate profile as the read model has it.
type ProfileRow struct {
	ID   uuid.UUID          `json:"id"`
	Name string             `json:"name"`
	Team string             `json:"team"`
	Spec domain.ProfileSpec `json:"spec"`
	// Version counts the profile's definition and updates, from 1.
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ListProfiles returns every profile, by name.
func (q *Queries) ListProfiles(ctx context.Context) ([]ProfileRow, error) {
	return projections.QueryAll(ctx, q.pool, "profiles", scanProfile, profileSelect+" ORDER BY name")
}

// Profile returns the profile with the given name; an unknown name is ErrNotFound.
func (q *Queries) Profile(ctx context.Context, name string) (ProfileRow, error) {
	return projections.QueryOne(ctx, q.pool, strconv.Quote(name)+" profile", ErrNotFound, scanProfile, profileSelect+" WHERE name = $1", name)
}

const profileSelect = "SELECT id, name, team, spec, version, updated_at FROM rm_pki.profiles"

func scanProfile(row pgx.CollectableRow) (ProfileRow, error) {
	var p ProfileRow
	err := row.Scan((*[16]byte)(&p.ID), &p.Name, &p.Team, &p.Spec, &p.Version, &p.UpdatedAt)
	p.UpdatedAt = p.UpdatedAt.UTC()
	return p, err
}
