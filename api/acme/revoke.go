package acme

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

// Certificates find the certificates the ledger issued (the PKI read model, FinderOf).
type Certificates interface {
	// ByFingerprint returns the id of the certificate whose DER has this SHA-256 (lower-case
	// hex), uuid.Nil when there is none.
	ByFingerprint(ctx context.Context, fingerprintSHA256 string) (uuid.UUID, error)
	// BySerial returns the ids of the certificates with this serial (lower-case hex, no
	// leading zeros), of any CA.
	BySerial(ctx context.Context, serial string) ([]uuid.UUID, error)
}

// revokeCert revokes a certificate through the ledger's one revoke command (RFC 8555 §7.6),
// for the account it was issued to (signed by kid) or for whoever holds its key (signed by a
// jwk that is the certificate's public key). The revoking actor is then DEVOPS of the
// certificate's team, as "acme:<provisioner>:<account id>" or "acme:<provisioner>:key:<sha-256>".
func (s *Server) revokeCert(c echo.Context, p Provisioner) error {
	ctx := c.Request().Context()
	req, err := s.verify(ctx, c.Request(), s.url(c, p, "/revoke-cert"), byEither, s.lookup(c, p))
	if err != nil {
		return err
	}
	var in struct {
		Certificate string `json:"certificate"`
		Reason      *int   `json:"reason"`
	}
	if err := decodePayload(req.payload, &in); err != nil {
		return err
	}
	der, err := base64.RawURLEncoding.DecodeString(in.Certificate)
	leaf, perr := x509.ParseCertificate(der)
	if err != nil || perr != nil {
		return malformed("the certificate is not base64url DER")
	}
	reason := domain.ReasonUnspecified
	if in.Reason != nil {
		reason = domain.RevocationReason(*in.Reason)
		if _, err := domain.ParseRevocationReason(reason.String()); err != nil || *in.Reason == 8 {
			return problem(http.StatusBadRequest, "badRevocationReason", "reason %d is not one this ledger revokes for", *in.Reason)
		}
	}
	sum := sha256.Sum256(der)
	fp := hex.EncodeToString(sum[:])
	id := uuid.Nil
	if s.certificates != nil {
		if id, err = s.certificates.ByFingerprint(ctx, fp); err != nil {
			return err
		}
	}
	if id == uuid.Nil {
		return problem(http.StatusNotFound, "malformed", "this ledger issued no such certificate")
	}
	cert, err := s.ledger.Queries.Certificate(ctx, id)
	if err != nil {
		return err
	}
	if !bytes.Equal(cert.CertificateDER(), der) {
		return problem(http.StatusNotFound, "malformed", "this ledger issued no such certificate")
	}
	var by commands.Caller
	switch {
	case req.account != nil:
		by = caller(c, p, req.account.id, cert.Team())
		if cert.Owner() != by.Actor.Subject {
			return problem(http.StatusForbidden, "unauthorized", "the certificate was not issued to this account")
		}
	case !sameKey(req.jwk, &jose.JSONWebKey{Key: leaf.PublicKey}):
		return problem(http.StatusForbidden, "unauthorized", "the jwk is not the certificate's key")
	default:
		by = caller(c, p, "key:"+fp, cert.Team())
	}
	if _, revoked := cert.Revocation(); revoked {
		return problem(http.StatusBadRequest, "alreadyRevoked", "certificate %s is revoked already", id)
	}
	_, err = s.ledger.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(),
		CertificateID: id, Reason: reason.String()}, by)
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindConflict {
		return problem(http.StatusBadRequest, "alreadyRevoked", "%s", de.Error())
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusOK)
}

// FinderOf finds certificates in the PKI read model.
func FinderOf(q *pki.Queries) Certificates { return finder{q} }

type finder struct{ q *pki.Queries }

func (f finder) ByFingerprint(ctx context.Context, fingerprint string) (uuid.UUID, error) {
	row, err := f.q.CertificateByFingerprint(ctx, fingerprint)
	if errors.Is(err, pki.ErrNotFound) {
		return uuid.Nil, nil
	}
	return row.ID, err
}

func (f finder) BySerial(ctx context.Context, serial string) ([]uuid.UUID, error) {
	return f.q.CertificatesBySerial(ctx, serial)
}
