package acme

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/domain"
)

// renewalRetryAfter is how soon a client should ask again (the Retry-After of an answer).
const renewalRetryAfter = 6 * time.Hour

type renewalInfoJSON struct {
	SuggestedWindow struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"suggestedWindow"`
	ExplanationURL string `json:"explanationURL,omitempty"`
}

// renewalInfo answers ARI (RFC 9773 §4.2) for a certificate id
// base64url(authority key identifier) "." base64url(DER serial): the ledger's renewal window
// (domain.RenewalWindow), or, for a revoked certificate, a window that has begun, so that the
// client renews at once.
func (s *Server) renewalInfo(c echo.Context, _ Provisioner) error {
	aki, serial, err := parseARICertID(c.Param("id"))
	if err != nil {
		return err
	}
	var leaf *domain.Certificate
	var ids []uuid.UUID
	if s.certificates != nil {
		if ids, err = s.certificates.BySerial(c.Request().Context(), serial.Text(16)); err != nil {
			return err
		}
	}
	for _, id := range ids {
		cert, err := s.ledger.Queries.Certificate(c.Request().Context(), id)
		if err != nil {
			return err
		}
		parsed, err := x509.ParseCertificate(cert.CertificateDER())
		if err == nil && bytes.Equal(parsed.AuthorityKeyId, aki) {
			leaf = cert
			break
		}
	}
	if leaf == nil {
		return problem(http.StatusNotFound, "malformed", "this ledger issued no certificate %s", c.Param("id"))
	}
	var out renewalInfoJSON
	start, end := domain.RenewalWindow(leaf.NotBefore(), leaf.NotAfter())
	if _, revoked := leaf.Revocation(); revoked {
		now := time.Now().UTC()
		start, end = now.Add(-time.Hour), now
	}
	out.SuggestedWindow.Start, out.SuggestedWindow.End = start.Format(time.RFC3339), end.Format(time.RFC3339)
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(renewalRetryAfter.Seconds())))
	return c.JSON(http.StatusOK, out)
}

// parseARICertID splits an ARI certificate id into the authority key identifier and serial.
func parseARICertID(id string) ([]byte, *big.Int, error) {
	bad := malformed("%q is not an ARI certificate id: base64url(AKI).base64url(serial)", id)
	akiPart, serialPart, ok := strings.Cut(id, ".")
	if !ok {
		return nil, nil, bad
	}
	aki, err := base64.RawURLEncoding.DecodeString(akiPart)
	if err != nil || len(aki) == 0 {
		return nil, nil, bad
	}
	der, err := base64.RawURLEncoding.DecodeString(serialPart)
	if err != nil || len(der) == 0 || len(der) > 21 {
		return nil, nil, bad
	}
	serial := new(big.Int)
	// The serial part is the DER INTEGER's content octets, without tag and length (RFC 9773 §4.1).
	if _, err := asn1.Unmarshal(append([]byte{0x02, byte(len(der))}, der...), &serial); err != nil || serial.Sign() <= 0 {
		return nil, nil, bad
	}
	return aki, serial, nil
}
