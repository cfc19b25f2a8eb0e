package main

import (
	"context"
	"crypto/x509"
	"fmt"

	"github.com/google/uuid"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/api/crl"
	"github.com/certledger/certledger/api/ocsp"
	"github.com/certledger/certledger/projections/pki"
)

// The read model and the HSM as the OCSP responder and the CRL service see them.

// The PKI read model answers the OCSP responder's status look-ups as it is.
var _ ocsp.StatusSource = (*pki.Queries)(nil)

// revocationFeed serves the PKI read model's revocations to the OCSP responder and the CRLs.
type revocationFeed struct{ q *pki.Queries }

func (f revocationFeed) RevokedSince(ctx context.Context, after int64, limit int) ([]ocsp.Revocation, error) {
	revs, err := f.q.RevokedSince(ctx, after, limit)
	out := make([]ocsp.Revocation, len(revs))
	for i, r := range revs {
		out[i] = ocsp.Revocation{IssuerID: r.CAID.String(), Serial: r.Serial, Position: r.Position}
	}
	return out, err
}

// crlSource is the read model as the CRL service's Source.
type crlSource struct{ q *pki.Queries }

func (s crlSource) RevokedByCA(ctx context.Context, caID string) ([]crl.Entry, error) {
	id, err := uuid.Parse(caID)
	if err != nil {
		return nil, fmt.Errorf("CA id %q: %w", caID, err)
	}
	revs, err := s.q.RevokedByCA(ctx, id)
	out := make([]crl.Entry, len(revs))
	for i, r := range revs {
		out[i] = entryOf(r)
	}
	return out, err
}

func (s crlSource) RevokedSince(ctx context.Context, after int64, limit int) ([]crl.Revocation, error) {
	revs, err := s.q.RevokedSince(ctx, after, limit)
	out := make([]crl.Revocation, len(revs))
	for i, r := range revs {
		out[i] = crl.Revocation{CAID: r.CAID.String(), Entry: entryOf(r), Position: r.Position}
	}
	return out, err
}

func entryOf(r pki.Revocation) crl.Entry {
	return crl.Entry{Serial: r.Serial, RevokedAt: r.RevokedAt, Reason: r.Reason, InvalidityDate: r.InvalidityDate,
		CACertificate: r.CACertificate}
}

// signingCA is a CA of the read model with its certificates parsed and its signers from the HSM.
type signingCA struct {
	row       pki.CARow
	cert      *x509.Certificate
	responder *x509.Certificate // nil until one is certified
}

// signingCAs lists the read model's CAs with what signing for them needs.
func signingCAs(ctx context.Context, q *pki.Queries) ([]signingCA, error) {
	rows, err := q.ListCAs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]signingCA, 0, len(rows))
	for _, row := range rows {
		ca := signingCA{row: row}
		if ca.cert, err = x509.ParseCertificate(row.CertificateDER); err != nil {
			return nil, fmt.Errorf("CA %s certificate: %w", row.ID, err)
		}
		if len(row.ResponderDER) > 0 {
			if ca.responder, err = x509.ParseCertificate(row.ResponderDER); err != nil {
				return nil, fmt.Errorf("CA %s responder certificate: %w", row.ID, err)
			}
		}
		out = append(out, ca)
	}
	return out, nil
}

// ocspIssuers is the read model's CAs with responders, and their HSM signers.
type ocspIssuers struct {
	q   *pki.Queries
	hsm *hsm.HSM
}

func (s ocspIssuers) Issuers(ctx context.Context) ([]ocsp.Issuer, error) {
	cas, err := signingCAs(ctx, s.q)
	if err != nil {
		return nil, err
	}
	var out []ocsp.Issuer
	for _, ca := range cas {
		if ca.responder == nil {
			continue
		}
		signer, err := s.hsm.Signer(ca.row.ResponderKeyLabel)
		if err != nil {
			return nil, fmt.Errorf("OCSP responder key of CA %s: %w", ca.row.ID, err)
		}
		out = append(out, ocsp.Issuer{ID: ca.row.ID.String(), Certificate: ca.cert, ResponderCert: ca.responder, Signer: signer})
	}
	return out, nil
}

func (f revocationFeed) IssuedSince(ctx context.Context, after int64, limit int) ([]ocsp.Issuance, error) {
	issued, err := f.q.IssuedSince(ctx, after, limit)
	out := make([]ocsp.Issuance, len(issued))
	for i, it := range issued {
		out[i] = ocsp.Issuance{IssuerID: it.CAID.String(), Serial: it.Serial, Position: it.Position}
	}
	return out, err
}

func (f revocationFeed) LatestPosition(ctx context.Context) (int64, error) {
	return f.q.LatestPosition(ctx)
}
