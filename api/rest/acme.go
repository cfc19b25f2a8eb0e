package rest

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// ACMEKeys mints External Account Binding keys for the ACME provisioners (*acme.Server).
type ACMEKeys interface {
	MintEABKey(ctx context.Context, commandID uuid.UUID, provisioner, team string, caller commands.Caller) (wire.EABKey, error)
}

// acmeRoutes are the ACME administration routes; the ACME protocol itself is served at
// /acme/{provisioner} by api/acme.
func (h *handlers) acmeRoutes() []Route {
	return []Route{
		{http.MethodPost, "/acme/eab-keys", Administer, "Mint an ACME External Account Binding key for a team", h.mintEABKey},
	}
}

// mintEABKey mints a key from {"provisioner", "team"}; its HMAC key is in this answer only. A
// retry with the same Idempotency-Key answers the same key again (it is derived from its id).
func (h *handlers) mintEABKey(c echo.Context) error {
	var req wire.EABKeyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if h.ACME == nil {
		return problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "this ledger serves no ACME provisioner"})
	}
	key, err := h.ACME.MintEABKey(c.Request().Context(), commandID(c), req.Provisioner, req.Team, caller(c))
	if err != nil {
		return problemOf(err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, key)
}
