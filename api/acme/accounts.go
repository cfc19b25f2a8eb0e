package acme

import (
	"context"
	"net/http"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// accountJSON is an account object (RFC 8555 §7.1.2).
type accountJSON struct {
	Status  string   `json:"status"`
	Contact []string `json:"contact,omitempty"`
	Orders  string   `json:"orders,omitempty"`
}

// newAccount registers the key of a jwk-signed request, or answers its existing account.
func (s *Server) newAccount(c echo.Context, p Provisioner) error {
	ctx := c.Request().Context()
	req, err := s.verify(ctx, c.Request(), s.url(c, p, "/new-account"), true, nil)
	if err != nil {
		return err
	}
	var in struct {
		Contact              []string `json:"contact"`
		TermsOfServiceAgreed bool     `json:"termsOfServiceAgreed"`
		OnlyReturnExisting   bool     `json:"onlyReturnExisting"`
	}
	if err := decodePayload(req.payload, &in); err != nil {
		return err
	}
	tp, err := thumbprint(req.jwk)
	if err != nil {
		return malformed("%v", err)
	}
	id := commands.ACMEAccountID(p.Name, tp)
	if in.OnlyReturnExisting {
		a, err := s.ledger.Queries.ACMEAccount(ctx, id)
		if err != nil {
			return err
		}
		if !a.Exists() {
			return problem(http.StatusBadRequest, "accountDoesNotExist", "no account for this key at this provisioner")
		}
		return s.writeAccount(c, p, a, http.StatusOK)
	}
	key, err := req.jwk.Public().MarshalJSON()
	if err != nil {
		return malformed("the jwk cannot be stored: %v", err)
	}
	reg, err := s.ledger.Commands.RegisterAccount.Handle(ctx, commands.RegisterACMEAccount{Provisioner: p.Name,
		Team: p.Team, Thumbprint: tp, KeyJWK: key, Contact: in.Contact}, caller(c, p, id.String()))
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if reg.Existed {
		status = http.StatusOK
	}
	return s.writeAccount(c, p, reg.Account, status)
}

// account answers a POST-as-GET of the signer's own account.
func (s *Server) account(c echo.Context, p Provisioner) error {
	req, err := s.verify(c.Request().Context(), c.Request(), s.url(c, p, "/account/"+c.Param("id")), false, s.lookup(c, p))
	if err != nil {
		return err
	}
	if req.account.id != c.Param("id") {
		return problem(http.StatusUnauthorized, "unauthorized", "an account may only read itself")
	}
	a, err := s.ledger.Queries.ACMEAccount(c.Request().Context(), uuid.MustParse(req.account.id))
	if err != nil {
		return err
	}
	return s.writeAccount(c, p, a, http.StatusOK)
}

func (s *Server) writeAccount(c echo.Context, p Provisioner, a *domain.ACMEAccount, status int) error {
	c.Response().Header().Set("Location", s.url(c, p, "/account/"+a.ID()))
	return c.JSON(status, accountJSON{Status: a.Status(), Contact: a.Contact()})
}

// lookup finds the account a kid names: this provisioner's account URL of a registered account.
func (s *Server) lookup(c echo.Context, p Provisioner) func(ctx context.Context, kid string) (*accountView, error) {
	return func(ctx context.Context, kid string) (*accountView, error) {
		raw, ok := strings.CutPrefix(kid, s.url(c, p, "/account/"))
		id, err := uuid.Parse(raw)
		if !ok || err != nil || id.String() != raw {
			return nil, nil
		}
		a, err := s.ledger.Queries.ACMEAccount(ctx, id)
		if err != nil || !a.Exists() || a.Provisioner() != p.Name {
			return nil, err
		}
		var key jose.JSONWebKey
		if err := key.UnmarshalJSON(a.KeyJWK()); err != nil {
			return nil, err
		}
		return &accountView{id: a.ID(), thumbprint: a.Thumbprint(), key: &key}, nil
	}
}
