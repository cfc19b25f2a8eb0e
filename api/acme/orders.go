package acme

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// orderJSON is an order object (RFC 8555 §7.1.3).
type orderJSON struct {
	Status         string                  `json:"status"`
	Expires        string                  `json:"expires"`
	Identifiers    []domain.ACMEIdentifier `json:"identifiers"`
	Authorizations []string                `json:"authorizations"`
	Finalize       string                  `json:"finalize"`
	Certificate    string                  `json:"certificate,omitempty"`
	Error          *Problem                `json:"error,omitempty"`
}

// newOrder records an order for identifiers the provisioner's profile allows; any other is
// refused with rejectedIdentifier and nothing is recorded.
func (s *Server) newOrder(c echo.Context, p Provisioner) error {
	ctx := c.Request().Context()
	req, err := s.verify(ctx, c.Request(), s.url(c, p, "/new-order"), byKID, s.lookup(c, p))
	if err != nil {
		return err
	}
	var in struct {
		Identifiers []domain.ACMEIdentifier `json:"identifiers"`
	}
	if err := decodePayload(req.payload, &in); err != nil {
		return err
	}
	id := uuid.New()
	o, err := s.ledger.Commands.CreateOrder.Handle(ctx, commands.CreateACMEOrder{CommandID: uuid.New(), OrderID: id,
		AccountID: uuid.MustParse(req.account.id), Provisioner: p.Name, CAID: p.CAID, Profile: p.Profile, Team: req.account.team,
		Identifiers: in.Identifiers, Challenges: s.challengeTypes()}, req.caller(c, p))
	if err != nil {
		return problemOf(err, "rejectedIdentifier")
	}
	c.Response().Header().Set("Location", s.url(c, p, "/order/"+o.ID()))
	return s.writeOrder(c, p, o, http.StatusCreated)
}

// challengeTypes are the types of challenge every authorization offers, in a fixed order.
func (s *Server) challengeTypes() []string {
	var out []string
	for _, t := range []string{"http-01", "dns-01", "tls-alpn-01"} {
		if s.validators[t] != nil {
			out = append(out, t)
		}
	}
	return out
}

// order answers a POST-as-GET of one of the account's orders.
func (s *Server) order(c echo.Context, p Provisioner) error {
	o, _, err := s.ownOrder(c, p, "/order/"+c.Param("id"))
	if err != nil {
		return err
	}
	return s.writeOrder(c, p, o, http.StatusOK)
}

// ownOrder verifies a kid-signed request for path and loads the order :id, which must be the
// signing account's.
func (s *Server) ownOrder(c echo.Context, p Provisioner, path string) (*domain.ACMEOrder, *request, error) {
	req, err := s.verify(c.Request().Context(), c.Request(), s.url(c, p, path), byKID, s.lookup(c, p))
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.ledger.Queries.ACMEOrder(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if o.Created().AccountID != req.account.id || o.Created().Provisioner != p.Name {
		return nil, nil, problem(http.StatusForbidden, "unauthorized", "the order is not this account's")
	}
	return o, req, nil
}

func (s *Server) writeOrder(c echo.Context, p Provisioner, o *domain.ACMEOrder, status int) error {
	created := o.Created()
	out := orderJSON{Status: o.Status(), Expires: created.Expires.Format(time.RFC3339), Identifiers: created.Identifiers,
		Finalize: s.url(c, p, "/finalize/"+o.ID())}
	for i := range created.Authorizations {
		out.Authorizations = append(out.Authorizations, s.url(c, p, fmt.Sprintf("/authz/%s/%d", o.ID(), i)))
	}
	if f, failed := o.Failure(); failed {
		out.Error = problem(http.StatusForbidden, f.ProblemType, "%s", f.Detail)
	}
	if out.Status == domain.ACMEProcessing {
		st, err := s.certificateStatus(c.Request().Context(), o.CertificateID())
		if err != nil {
			return err
		}
		out.Status = st
		if st == domain.ACMEValid {
			out.Certificate = s.url(c, p, "/cert/"+o.ID())
		}
	}
	return c.JSON(status, out)
}

// certificateStatus is the order status its certificate's stream gives: valid once issued,
// invalid when rejected, processing while it waits for approval.
func (s *Server) certificateStatus(ctx context.Context, id string) (string, error) {
	cert, err := s.ledger.Queries.Certificate(ctx, uuid.MustParse(id))
	if err != nil {
		return "", err
	}
	switch {
	case len(cert.CertificateDER()) > 0:
		return domain.ACMEValid, nil
	case cert.Status() == domain.StatusRejected:
		return domain.ACMEInvalid, nil
	}
	return domain.ACMEProcessing, nil
}

// finalize requests the certificate of a ready order for the CSR, through RequestCertificate.
func (s *Server) finalize(c echo.Context, p Provisioner) error {
	o, req, err := s.ownOrder(c, p, "/finalize/"+c.Param("id"))
	if err != nil {
		return err
	}
	var in struct {
		CSR string `json:"csr"`
	}
	if err := decodePayload(req.payload, &in); err != nil {
		return err
	}
	der, err := base64.RawURLEncoding.DecodeString(in.CSR)
	if err != nil {
		return problem(http.StatusBadRequest, "badCSR", "the csr is not base64url DER")
	}
	actor := req.caller(c, p)
	o, err = s.ledger.Commands.FinalizeOrder.Handle(c.Request().Context(), commands.FinalizeACMEOrder{
		OrderID: uuid.MustParse(o.ID()), CSRPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}),
		Owner: actor.Actor.Subject}, actor)
	if err != nil {
		return problemOf(err, "badCSR")
	}
	c.Response().Header().Set("Location", s.url(c, p, "/order/"+o.ID()))
	return s.writeOrder(c, p, o, http.StatusOK)
}

// certificate answers the issued certificate followed by its CA chain (RFC 8555 §7.4.2).
func (s *Server) certificate(c echo.Context, p Provisioner) error {
	o, _, err := s.ownOrder(c, p, "/cert/"+c.Param("id"))
	if err != nil {
		return err
	}
	if o.CertificateID() == "" {
		return problem(http.StatusNotFound, "malformed", "the order has no certificate yet")
	}
	chain, err := s.ledger.Queries.CertificateChain(c.Request().Context(), uuid.MustParse(o.CertificateID()))
	if err != nil {
		return err
	}
	var out []byte
	for _, der := range chain {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return c.Blob(http.StatusOK, "application/pem-certificate-chain", out)
}

// authzIndex is the :n of an authorization or challenge path.
func authzIndex(c echo.Context, o *domain.ACMEOrder) (int, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || o.AuthorizationStatus(n) == "" {
		return 0, problem(http.StatusNotFound, "malformed", "no such authorization")
	}
	return n, nil
}
