package est

import (
	"crypto/sha256"
	"crypto/x509"
	"net/http"
	"slices"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// namespace derives the ids of EST requests, so a repeated request finds what the first did.
var namespace = uuid.MustParse("6d1b6f0e-2f5e-4b8e-9a53-0c1b9f0e5e57")

// caCerts answers the label's CA chain (RFC 7030 §4.1); it needs no authentication.
func (s *Server) caCerts(c echo.Context, l Label) error {
	chain, err := s.deps.Certificates.CAChain(c.Request().Context(), l.CAID)
	if err != nil {
		return err
	}
	return certsOnly(c, chain)
}

// csrAttrs answers that the ledger asks for no particular CSR attributes (RFC 7030 §4.5.2): the
// label's profile decides what it accepts, and says why when it refuses.
func (s *Server) csrAttrs(c echo.Context, _ Label) error {
	return c.NoContent(http.StatusNoContent)
}

// simpleEnroll requests a certificate for the CSR, for the caller's team, under the label's CA
// and profile, for as long as the profile allows (RFC 7030 §4.2.1).
func (s *Server) simpleEnroll(c echo.Context, l Label) error {
	actor, err := s.tokenActor(c)
	if err != nil {
		return err
	}
	csrPEM, csrDER, err := readCSR(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	profile, err := s.deps.Certificates.Profile(ctx, l.Profile)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(csrDER)
	certID := uuid.NewSHA1(namespace, slices.Concat([]byte("enroll\x00"+l.Name+"\x00"+actor.Team+"\x00"), sum[:]))
	_, err = s.deps.Request.Handle(ctx, commands.RequestCertificate{CommandID: uuid.NewSHA1(certID, []byte("request")),
		CertificateID: certID, CAID: l.CAID, Profile: l.Profile, CSRPEM: csrPEM, Team: actor.Team,
		Owner: actor.Subject, ValidityDays: profile.MaxValidityDays()}, callerOf(c, actor))
	if err != nil {
		return err
	}
	return s.answerCertificate(c, certID)
}

// simpleReenroll renews the certificate the client authenticated with, for a CSR with the same
// subject and names (RFC 7030 §4.2.2), under the same CA, profile and team.
func (s *Server) simpleReenroll(c echo.Context, l Label) error {
	ctx := c.Request().Context()
	leaf, actor, err := s.clientCertificate(c)
	if err != nil {
		return err
	}
	issued, err := s.deps.Issued.IssuedCertificate(ctx, auth.Fingerprint(leaf))
	if err != nil {
		return err
	}
	oldID, err := uuid.Parse(issued.ID)
	if err != nil {
		return err
	}
	old, err := s.deps.Certificates.Certificate(ctx, oldID)
	if err != nil {
		return err
	}
	if old.CAID() != l.CAID {
		return fail(http.StatusForbidden, "the client certificate was issued by CA %s, not by this label's CA %s", old.CAID(), l.CAID)
	}
	csrPEM, csrDER, err := readCSR(c)
	if err != nil {
		return err
	}
	if err := sameNames(leaf, csrDER); err != nil {
		return err
	}
	sum := sha256.Sum256(csrDER)
	newID := uuid.NewSHA1(oldID, slices.Concat([]byte("reenroll\x00"), sum[:]))
	_, err = s.deps.Renew.Handle(ctx, commands.RenewCertificate{CommandID: uuid.NewSHA1(newID, []byte("renew")),
		CertificateID: oldID, NewCertificateID: newID, CSRPEM: csrPEM}, callerOf(c, actor))
	if err != nil {
		return err
	}
	return s.answerCertificate(c, newID)
}

// answerCertificate answers the certificate id as its request left it: issued, the certificate
// alone (RFC 7030 §4.2.3); waiting for approval, 202 with Retry-After, for the client to repeat
// the same request; rejected or otherwise, a refusal that says why.
func (s *Server) answerCertificate(c echo.Context, id uuid.UUID) error {
	cert, err := s.deps.Certificates.Certificate(c.Request().Context(), id)
	if err != nil {
		return err
	}
	switch cert.Status() {
	case domain.StatusIssued:
		return certsOnly(c, [][]byte{cert.CertificateDER()})
	case domain.StatusPendingApproval, domain.StatusApproved:
		c.Response().Header().Set("Retry-After", "60")
		return plain(c, http.StatusAccepted, "certificate "+id.String()+" waits for approval; send the same request again later")
	case domain.StatusRejected:
		return fail(http.StatusForbidden, "certificate %s was rejected: %s", id, cert.RejectionReason())
	}
	return fail(http.StatusConflict, "certificate %s for this CSR is %s; send a CSR for a new key", id, cert.Status())
}

// sameNames checks that the CSR asks for the subject and names of the certificate it renews.
func sameNames(leaf *x509.Certificate, csrDER []byte) error {
	csr, err := x509.ParseCertificateRequest(csrDER)
	if err != nil {
		return fail(http.StatusBadRequest, "the body is not a PKCS#10 CSR: %v", err)
	}
	if csr.Subject.String() != leaf.Subject.String() {
		return fail(http.StatusBadRequest, "re-enrollment keeps the subject: the CSR names %q, the certificate %q", csr.Subject, leaf.Subject)
	}
	if !domain.SameNames(csr.DNSNames, leaf.DNSNames) {
		return fail(http.StatusBadRequest, "re-enrollment keeps the DNS names: the CSR names %v, the certificate %v", csr.DNSNames, leaf.DNSNames)
	}
	return nil
}
