package rest

import (
	_ "embed"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
)

// openAPIDocument is the OpenAPI 3.1 document of the REST API. It is written by hand; its tests
// check it against the route table, both ways, so a route cannot go undocumented, and its
// component schemas against the body types of package wire, so a field cannot either.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns a copy of the OpenAPI 3.1 document of the REST API, as JSON.
func OpenAPI() []byte { return slices.Clone(openAPIDocument) }

func (h *handlers) docRoutes() []Route {
	return []Route{
		{http.MethodGet, "/openapi.json", Self, "This OpenAPI 3.1 document of the REST API", h.openAPI},
	}
}

// openAPI serves the OpenAPI document to any authenticated caller: anonymous access is only
// for health, OCSP, CRLs and CA certificates.
func (h *handlers) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
}
