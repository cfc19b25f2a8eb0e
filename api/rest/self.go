package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
)

func (h *handlers) selfRoutes() []Route {
	return []Route{
		{http.MethodGet, "/me", Self, "Who the request authenticates as: subject, roles and team", h.me},
	}
}

// me answers with the caller as the ledger sees it.
func (h *handlers) me(c echo.Context) error {
	a := actorOf(c)
	roles := make([]string, len(a.Roles))
	for i, r := range a.Roles {
		roles[i] = string(r)
	}
	return c.JSON(http.StatusOK, wire.Me{Roles: roles, Subject: a.Subject, Team: a.Team})
}
