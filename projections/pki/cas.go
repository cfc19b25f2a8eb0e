package pki

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/certledger/certledger/projections"
)

// CARow is a CA as the read model has it.
type CARow struct {
	ID         uuid.UUID `json:"id"`
	Name       string    `json:"name"`
	CommonName string    `json:"common_name"`
	KeyType    string    `json:"key_type"`
	// KeyLabel is the label of the CA's key pair in the HSM.
	KeyLabel string `json:"key_label"`
	// ParentID is the CA that signed this one, nil for a root.
	ParentID       *uuid.UUID `json:"parent_id,omitempty"`
	Status         string     `json:"status"` // domain.CAStatus
	Serial         string     `json:"serial"`
	NotBefore      time.Time  `json:"not_before"`
	NotAfter       time.Time  `json:"not_after"`
	CertificateDER []byte     `json:"certificate_der"`
	// The CA's current delegated OCSP responder: its certificate and HSM key label; empty
	// until one is certified.
	ResponderSerial   string     `json:"responder_serial,omitempty"`
	ResponderDER      []byte     `json:"responder_der,omitempty"`
	ResponderKeyLabel string     `json:"responder_key_label,omitempty"`
	ResponderNotAfter *time.Time `json:"responder_not_after,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	RevokedAt         *time.Time `json:"revoked_at,omitempty"`
	RevocationReason  *int       `json:"revocation_reason,omitempty"`
	// CRLPartitions is how many partitions the CA's CRL has; 0 or 1 means one CRL.
	CRLPartitions int `json:"crl_partitions,omitempty"`
	// CRLURL is the distribution point the CA's certificates name, as recorded at its creation.
	CRLURL string `json:"crl_url"`
	// Position is the $all position of the last event that changed the CA.
	Position int64 `json:"position"`
}

const caSelect = `SELECT id, name, common_name, key_type, key_label, parent_id, status, serial, not_before, not_after,
	certificate_der, coalesce(responder_serial, ''), responder_der, coalesce(responder_key_label, ''),
	responder_not_after, created_at, revoked_at, revocation_reason, crl_partitions, crl_url, position FROM rm_pki.cas`

func scanCA(row pgx.CollectableRow) (CARow, error) {
	var c CARow
	var parent pgtype.UUID
	err := row.Scan((*[16]byte)(&c.ID), &c.Name, &c.CommonName, &c.KeyType, &c.KeyLabel, &parent, &c.Status, &c.Serial,
		&c.NotBefore, &c.NotAfter, &c.CertificateDER, &c.ResponderSerial, &c.ResponderDER, &c.ResponderKeyLabel,
		&c.ResponderNotAfter, &c.CreatedAt, &c.RevokedAt, &c.RevocationReason, &c.CRLPartitions, &c.CRLURL, &c.Position)
	c.ParentID = optionalFromPG(parent)
	c.NotBefore, c.NotAfter, c.CreatedAt = c.NotBefore.UTC(), c.NotAfter.UTC(), c.CreatedAt.UTC()
	c.ResponderNotAfter, c.RevokedAt = utc(c.ResponderNotAfter), utc(c.RevokedAt)
	return c, err
}

// ListCAs returns every CA, oldest first.
func (q *Queries) ListCAs(ctx context.Context) ([]CARow, error) {
	return projections.QueryAll(ctx, q.pool, "CAs", scanCA, caSelect+" ORDER BY created_at, id")
}

// CA returns the CA with the given id; an unknown id is ErrNotFound.
func (q *Queries) CA(ctx context.Context, id uuid.UUID) (CARow, error) {
	return projections.QueryOne(ctx, q.pool, "CA "+id.String(), ErrNotFound, scanCA, caSelect+" WHERE id = $1", id)
}
