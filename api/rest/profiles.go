package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// defineProfile creates a profile from a domain.ProfileSpec in JSON. Profiles made for TLS
// servers need not spell out usages: without them a profile gets digitalSignature and
// serverAuth, and requires the common name among the SANs.
func (h *handlers) defineProfile(c echo.Context) error {
	var spec domain.ProfileSpec
	if err := bind(c, &spec); err != nil {
		return err
	}
	if len(spec.KeyUsages) == 0 && len(spec.ExtKeyUsages) == 0 {
		spec.KeyUsages, spec.ExtKeyUsages, spec.RequireCNInSANs = []string{"digitalSignature"}, []string{"serverAuth"}, true
	}
	res, err := h.cmds.DefineProfile(c.Request().Context(), commands.DefineProfile{CommandID: commandID(c), Spec: spec}, caller(c))
	if err != nil {
		return problemOf(err)
	}
	return c.JSON(http.StatusCreated, map[string]any{
		"id": commands.ProfileID(spec.Name).String(), "name": spec.Name, "revision": res.Head.Next - 1, "spec": spec})
}
