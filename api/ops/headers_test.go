package ops_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"

	"github.com/certledger/certledger/api/ops"
)

// wantSecurityHeaders are on every response SecurityHeaders touches.
var wantSecurityHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "no-referrer",
	"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// securityHeadersServer has an /api route, an /api route that sets its own caching, a route
// outside /api that sets no caching, and the /healthz route of api.NewServer.
func securityHeadersServer(t *testing.T, opts ops.SecurityOptions, start func(http.Handler) *httptest.Server) *httptest.Server {
	e := newAPIServer(t)
	e.Use(ops.SecurityHeaders(opts))
	e.GET("/api/v1/certificates/:id", ok)
	e.GET("/api/v1/cas/:id/certificate", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
		return c.String(http.StatusOK, "PEM")
	})
	e.GET("/crl/:name", ok)
	srv := start(e)
	t.Cleanup(srv.Close)
	return srv
}

func assertSecurityHeaders(t *testing.T, r response) {
	t.Helper()
	for name, want := range wantSecurityHeaders {
		assert.Equal(t, want, r.header.Get(name), name)
	}
}

func TestSecurityHeadersOnAPIPathsWithNoStore(t *testing.T) {
	srv := securityHeadersServer(t, ops.SecurityOptions{HSTS: true}, httptest.NewServer)

	r := get(t, srv, "/api/v1/certificates/42", nil)
	assert.Equal(t, http.StatusOK, r.status)
	assertSecurityHeaders(t, r)
	assert.Equal(t, "no-store", r.header.Get(echo.HeaderCacheControl))
	assert.Empty(t, r.header.Get(echo.HeaderStrictTransportSecurity), "never over plain HTTP")
}

func TestSecurityHeadersOnErrorResponses(t *testing.T) {
	srv := securityHeadersServer(t, ops.SecurityOptions{}, httptest.NewServer)

	r := get(t, srv, "/api/v1/no-such-route", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assertSecurityHeaders(t, r)
	assert.Equal(t, "no-store", r.header.Get(echo.HeaderCacheControl))
}

func TestSecurityHeadersOutsideAPIWithoutCacheControl(t *testing.T) {
	srv := securityHeadersServer(t, ops.SecurityOptions{}, httptest.NewServer)

	r := get(t, srv, "/healthz", nil)
	assert.Equal(t, http.StatusOK, r.status)
	assertSecurityHeaders(t, r)

	r = get(t, srv, "/crl/root.crl", nil)
	assert.Equal(t, http.StatusOK, r.status)
	assertSecurityHeaders(t, r)
	assert.Empty(t, r.header.Get(echo.HeaderCacheControl), "outside /api/ caching is the handler's choice")
}

func TestSecurityHeadersKeepAHandlersCacheControl(t *testing.T) {
	srv := securityHeadersServer(t, ops.SecurityOptions{}, httptest.NewServer)

	r := get(t, srv, "/api/v1/cas/7/certificate", nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []string{"public, max-age=3600"}, r.header.Values(echo.HeaderCacheControl))
}

func TestHSTSOnlyOverTLSAndOnlyWhenEnabled(t *testing.T) {
	enabled := securityHeadersServer(t, ops.SecurityOptions{HSTS: true}, httptest.NewTLSServer)
	r := get(t, enabled, "/healthz", nil)
	assert.Equal(t, "max-age=31536000", r.header.Get(echo.HeaderStrictTransportSecurity))
	assertSecurityHeaders(t, r)

	disabled := securityHeadersServer(t, ops.SecurityOptions{HSTS: false}, httptest.NewTLSServer)
	r = get(t, disabled, "/healthz", nil)
	assert.Empty(t, r.header.Get(echo.HeaderStrictTransportSecurity))
}
