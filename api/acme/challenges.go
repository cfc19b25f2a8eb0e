package acme

import (
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// authzJSON is an authorization object (RFC 8555 §7.1.4).
type authzJSON struct {
	Status     string                `json:"status"`
	Expires    string                `json:"expires"`
	Identifier domain.ACMEIdentifier `json:"identifier"`
	Challenges []challengeJSON       `json:"challenges"`
}

// challengeJSON is a challenge object (RFC 8555 §7.1.5, §8).
type challengeJSON struct {
	Type   string   `json:"type"`
	URL    string   `json:"url"`
	Token  string   `json:"token"`
	Status string   `json:"status"`
	Error  *Problem `json:"error,omitempty"`
}

// authz answers a POST-as-GET of one of the order's authorizations.
func (s *Server) authz(c echo.Context, p Provisioner) error {
	o, _, err := s.ownOrder(c, p, fmt.Sprintf("/authz/%s/%s", c.Param("id"), c.Param("n")))
	if err != nil {
		return err
	}
	n, err := authzIndex(c, o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.authzOf(c, p, o, n))
}

func (s *Server) authzOf(c echo.Context, p Provisioner, o *domain.ACMEOrder, n int) authzJSON {
	created := o.Created()
	a := created.Authorizations[n]
	status := o.AuthorizationStatus(n)
	out := authzJSON{Status: status, Expires: created.Expires.Format(time.RFC3339), Identifier: a.Identifier}
	for _, ch := range a.Challenges {
		cj := challengeJSON{Type: ch.Type, URL: s.url(c, p, fmt.Sprintf("/chall/%s/%d", o.ID(), n)), Token: ch.Token,
			Status: status}
		if f, failed := o.Failure(); failed && f.Authorization == n {
			cj.Error = problem(http.StatusForbidden, f.ProblemType, "%s", f.Detail)
		}
		if status == domain.ACMEPending {
			cj.Status = domain.ACMEPending
		}
		out.Challenges = append(out.Challenges, cj)
	}
	return out
}

// challenge validates an authorization's http-01 challenge from the ledger when the client
// says it is ready, records the result as an event, and answers the challenge.
func (s *Server) challenge(c echo.Context, p Provisioner) error {
	o, req, err := s.ownOrder(c, p, fmt.Sprintf("/chall/%s/%s", c.Param("id"), c.Param("n")))
	if err != nil {
		return err
	}
	n, err := authzIndex(c, o)
	if err != nil {
		return err
	}
	authzURL := s.url(c, p, fmt.Sprintf("/authz/%s/%d", o.ID(), n))
	if o.AuthorizationStatus(n) == domain.ACMEPending && o.Status() == domain.ACMEPending {
		a := o.Created().Authorizations[n]
		ch := a.Challenges[0]
		attempts, kind, detail := s.validator.Validate(c.Request().Context(), a.Identifier.Value, ch.Token,
			ch.Token+"."+req.account.thumbprint)
		o, err = s.ledger.Commands.RecordChallenge.Handle(c.Request().Context(), commands.RecordACMEChallenge{
			CommandID: uuid.New(), OrderID: uuid.MustParse(o.ID()), Result: domain.ChallengeResult{Authorization: n,
				Challenge: ch.Type, Attempts: attempts, ProblemType: kind, Detail: detail}}, caller(c, p, req.account.id))
		if err != nil {
			return err
		}
	}
	c.Response().Header().Add("Link", "<"+authzURL+`>;rel="up"`)
	return c.JSON(http.StatusOK, s.authzOf(c, p, o, n).Challenges[0])
}
