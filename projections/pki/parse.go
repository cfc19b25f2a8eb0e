package pki

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/certledger/certledger/domain"
)

// requestedRow returns the row a CertificateRequested event creates.
func requestedRow(e domain.CertificateRequested, position int64) (*certRow, error) {
	status, err := statusAfter(e)
	if err != nil {
		return nil, err
	}
	id, err := uuid.Parse(e.Aggregate().ID)
	if err != nil {
		return nil, fmt.Errorf("certificate id: %w", err)
	}
	caID, err := uuid.Parse(e.CAID)
	if err != nil {
		return nil, fmt.Errorf("CA id: %w", err)
	}
	renews, err := optionalID(e.Renews)
	if err != nil {
		return nil, fmt.Errorf("renewed certificate id: %w", err)
	}
	sans := make([]string, 0, len(e.DNSNames)+len(e.IPAddresses)+len(e.EmailAddresses)+len(e.URIs))
	sans = append(append(append(append(sans, e.DNSNames...), e.IPAddresses...), e.EmailAddresses...), e.URIs...)
	return &certRow{id: id, caID: caID, subjectCN: e.CommonName, sans: sans, dnsNames: nonNil(e.DNSNames),
		keyType: string(e.KeyType), keyBits: keyTypeBits(e.KeyType), status: status,
		profile: e.ProfileName, team: e.Team, owner: e.Owner, requestedBy: e.RequestedBy,
		renews: renews, requestedAt: e.RequestedAt.UTC(), updatedAt: e.RequestedAt.UTC(), position: position}, nil
}

// issued parses the certificate a CertificateIssued event records.
func issued(e domain.CertificateIssued) (*issuedDetails, error) {
	cert, err := x509.ParseCertificate(e.CertificateDER)
	if err != nil {
		return nil, fmt.Errorf("parse issued certificate: %w", err)
	}
	if cert.SerialNumber.Sign() < 0 {
		return nil, fmt.Errorf("issued certificate has the negative serial %s", cert.SerialNumber)
	}
	sum := sha256.Sum256(e.CertificateDER)
	sans := make([]string, 0, len(cert.DNSNames)+len(cert.IPAddresses)+len(cert.EmailAddresses)+len(cert.URIs))
	sans = append(sans, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		sans = append(sans, ip.String())
	}
	sans = append(sans, cert.EmailAddresses...)
	for _, u := range cert.URIs {
		sans = append(sans, u.String())
	}
	return &issuedDetails{
		serial: cert.SerialNumber.Text(16), subjectCN: cert.Subject.CommonName,
		sans: sans, dnsNames: nonNil(cert.DNSNames),
		keyType: string(domain.KeyTypeOf(cert.PublicKey)), keyBits: int32(domain.KeyBits(cert.PublicKey)),
		signatureAlgorithm: cert.SignatureAlgorithm.String(),
		notBefore:          cert.NotBefore.UTC(), notAfter: cert.NotAfter.UTC(),
		fingerprint: hex.EncodeToString(sum[:]),
		pem:         string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.CertificateDER})),
		issuedAt:    e.IssuedAt.UTC(),
	}, nil
}

// keyTypeBits returns the key size a key type names ("rsa-2048": 2048), 0 when it names none;
// it fills key_bits until the certificate is issued.
func keyTypeBits(kt domain.KeyType) int32 {
	s := string(kt)
	switch {
	case kt == domain.KeyEd25519:
		return 256
	case strings.HasPrefix(s, "ecdsa-p"):
		s = strings.TrimPrefix(s, "ecdsa-p")
	case strings.HasPrefix(s, "rsa-"):
		s = strings.TrimPrefix(s, "rsa-")
	default:
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

// optionalID parses a UUID that may be empty; empty gives nil.
func optionalID(s string) (*uuid.UUID, error) {
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// utc returns a UTC copy of t, or nil.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// arrayLiteral writes ss as a Postgres text[] literal, every element quoted, for arrays of
// arrays passed through unnest as text.
func arrayLiteral(ss []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, c := range []byte(s) {
			if c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// pgID returns id as pgx writes a uuid directly; a uuid.UUID would go through its text form.
func pgID(id uuid.UUID) [16]byte { return id }

// pgOptionalID returns id as a nullable pgx uuid.
func pgOptionalID(id *uuid.UUID) pgtype.UUID {
	if id == nil {
		return pgtype.UUID{}
	}
	return pgtype.UUID{Bytes: *id, Valid: true}
}

// optionalFromPG returns a scanned nullable uuid as a pointer.
func optionalFromPG(id pgtype.UUID) *uuid.UUID {
	if !id.Valid {
		return nil
	}
	u := uuid.UUID(id.Bytes)
	return &u
}
