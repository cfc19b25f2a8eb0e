package acme

import (
	"context"
	"encoding/json"
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

// newAccount registers the key of a jwk-signed request, or answers its existing account. A
// provisioner that requires External Account Binding registers only a key that comes with one.
func (s *Server) newAccount(c echo.Context, p Provisioner) error {
	ctx := c.Request().Context()
	url := s.url(c, p, "/new-account")
	req, err := s.verify(ctx, c.Request(), url, byJWK, nil)
	if err != nil {
		return err
	}
	var in struct {
		Contact                []string        `json:"contact"`
		TermsOfServiceAgreed   bool            `json:"termsOfServiceAgreed"`
		OnlyReturnExisting     bool            `json:"onlyReturnExisting"`
		ExternalAccountBinding json.RawMessage `json:"externalAccountBinding"`
	}
	if err := decodePayload(req.payload, &in); err != nil {
		return err
	}
	tp, err := thumbprint(req.jwk)
	if err != nil {
		return malformed("%v", err)
	}
	id := commands.ACMEAccountID(p.Name, tp)
	existing, err := s.ledger.Queries.ACMEAccount(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case existing.Exists() && existing.Thumbprint() != tp:
		return problem(http.StatusUnauthorized, "unauthorized", "this key was rolled over and signs for no account")
	case existing.Exists():
		return s.writeAccount(c, p, existing, http.StatusOK)
	case in.OnlyReturnExisting:
		return problem(http.StatusBadRequest, "accountDoesNotExist", "no account for this key at this provisioner")
	}
	cmd := commands.RegisterACMEAccount{Provisioner: p.Name, Team: p.Team, Thumbprint: tp, Contact: in.Contact}
	if len(in.ExternalAccountBinding) == 0 && p.ExternalAccountRequired {
		return problem(http.StatusUnauthorized, "externalAccountRequired", "this provisioner registers only accounts bound with an EAB key")
	}
	if len(in.ExternalAccountBinding) > 0 {
		if cmd.EABKeyID, cmd.EABKeySHA256, err = s.eab.verifyEAB(in.ExternalAccountBinding, url, req.jwk); err != nil {
			return err
		}
	}
	if cmd.KeyJWK, err = req.jwk.Public().MarshalJSON(); err != nil {
		return malformed("the jwk cannot be stored: %v", err)
	}
	reg, err := s.ledger.Commands.RegisterAccount.Handle(ctx, cmd, caller(c, p, id.String(), p.Team))
	if err != nil {
		return problemOf(err, "unauthorized")
	}
	status := http.StatusCreated
	if reg.Existed {
		status = http.StatusOK
	}
	return s.writeAccount(c, p, reg.Account, status)
}

// account answers a POST-as-GET of the signer's own account, or deactivates it when the
// payload asks for {"status": "deactivated"}.
func (s *Server) account(c echo.Context, p Provisioner) error {
	ctx := c.Request().Context()
	req, err := s.verify(ctx, c.Request(), s.url(c, p, "/account/"+c.Param("id")), byKID, s.lookup(c, p))
	if err != nil {
		return err
	}
	if req.account.id != c.Param("id") {
		return problem(http.StatusUnauthorized, "unauthorized", "an account may only read or change itself")
	}
	id := uuid.MustParse(req.account.id)
	var in struct {
		Status string `json:"status"`
	}
	if len(req.payload) > 0 {
		if err := decodePayload(req.payload, &in); err != nil {
			return err
		}
	}
	var a *domain.ACMEAccount
	switch in.Status {
	case "":
		a, err = s.ledger.Queries.ACMEAccount(ctx, id)
	case "deactivated":
		a, err = s.ledger.Commands.ChangeAccount.Deactivate(ctx, commands.DeactivateACMEAccount{AccountID: id}, req.caller(c, p))
	default:
		return malformed("an account's status can only be changed to deactivated")
	}
	if err != nil {
		return err
	}
	return s.writeAccount(c, p, a, http.StatusOK)
}

func (s *Server) writeAccount(c echo.Context, p Provisioner, a *domain.ACMEAccount, status int) error {
	c.Response().Header().Set("Location", s.url(c, p, "/account/"+a.ID()))
	return c.JSON(status, accountJSON{Status: a.Status(), Contact: a.Contact()})
}

// lookup finds the account a kid names: this provisioner's account URL of a registered
// account. A deactivated account is refused as unauthorized (RFC 8555 §7.3.6).
func (s *Server) lookup(c echo.Context, p Provisioner) func(ctx context.Context, kid string) (*accountView, error) {
	return func(ctx context.Context, kid string) (*accountView, error) {
		raw, ok := strings.CutPrefix(kid, s.url(c, p, "/account/"))
		id, err := uuid.Parse(raw)
		if !ok || err != nil || id.String() != raw {
			return nil, nil
		}
		a, err := s.ledger.Queries.ACMEAccount(ctx, id)
		if err != nil || !a.Exists() || a.Provisioner() != p.Name || a.ID() != raw {
			return nil, err
		}
		if !a.Active() {
			return nil, problem(http.StatusUnauthorized, "unauthorized", "account %s is %s", a.ID(), a.Status())
		}
		var key jose.JSONWebKey
		if err := key.UnmarshalJSON(a.KeyJWK()); err != nil {
			return nil, err
		}
		return &accountView{id: a.ID(), thumbprint: a.Thumbprint(), team: a.Team(), key: &key}, nil
	}
}
