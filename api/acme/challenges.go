package acme

import (
	"fmt"
	"net/http"
	"slices"
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
		cj := challengeJSON{Type: ch.Type, URL: s.url(c, p, fmt.Sprintf("/chall/%s/%d/%s", o.ID(), n, ch.Type)), Token: ch.Token,
			Status: status}
		if f, failed := o.Failure(); failed && f.Authorization == n && f.Challenge == ch.Type {
			cj.Error = problem(http.StatusForbidden, f.ProblemType, "%s", f.Detail)
		}
		if status == domain.ACMEPending {
			cj.Status = domain.ACMEPending
		}
		out.Challenges = append(out.Challenges, cj)
	}
	return out
}

// challenge validates one of an authorization's challenges from the ledger when the client
// says it is ready, records the result as an event, and answers the challenge.
func (s *Server) challenge(c echo.Context, p Provisioner) error {
	o, req, err := s.ownOrder(c, p, fmt.Sprintf("/chall/%s/%s/%s", c.Param("id"), c.Param("n"), c.Param("type")))
	if err != nil {
		return err
	}
	n, err := authzIndex(c, o)
	if err != nil {
		return err
	}
	a := o.Created().Authorizations[n]
	k := slices.IndexFunc(a.Challenges, func(ch domain.ACMEChallenge) bool { return ch.Type == c.Param("type") })
	validator, offered := s.validators[c.Param("type")]
	if k < 0 || !offered {
		return problem(http.StatusNotFound, "malformed", "no %s challenge in this authorization", c.Param("type"))
	}
	ch := a.Challenges[k]
	authzURL := s.url(c, p, fmt.Sprintf("/authz/%s/%d", o.ID(), n))
	if o.AuthorizationStatus(n) == domain.ACMEPending && o.Status() == domain.ACMEPending {
		attempts, kind, detail := validator.Validate(c.Request().Context(), a.Identifier.Value, ch.Token,
			ch.Token+"."+req.account.thumbprint)
		o, err = s.ledger.Commands.RecordChallenge.Handle(c.Request().Context(), commands.RecordACMEChallenge{
			CommandID: uuid.New(), OrderID: uuid.MustParse(o.ID()), Result: domain.ChallengeResult{Authorization: n,
				Challenge: ch.Type, Attempts: attempts, ProblemType: kind, Detail: detail}}, req.caller(c, p))
		if err != nil {
			return err
		}
	}
	c.Response().Header().Add("Link", "<"+authzURL+`>;rel="up"`)
	return c.JSON(http.StatusOK, s.authzOf(c, p, o, n).Challenges[k])
}
