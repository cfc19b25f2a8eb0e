package ops

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// SecurityOptions configures SecurityHeaders.
type SecurityOptions struct {
	// HSTS sends Strict-Transport-Security on responses to requests that arrived over TLS.
	// Leave it off while the server is reached only through a TLS-terminating proxy that sets
	// the header itself: this process cannot tell such a request from plain HTTP.
	HSTS bool
}

// securityHeaders are sent on every response. The API serves JSON, DER and PEM only, so the
// policy forbids every kind of content, framing and cross-origin embedding.
var securityHeaders = [...]struct{ name, value string }{
	{echo.HeaderXContentTypeOptions, "nosniff"},
	{echo.HeaderXFrameOptions, "DENY"},
	{echo.HeaderReferrerPolicy, "no-referrer"},
	{echo.HeaderContentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
}

// hstsValue asks browsers to use HTTPS for this host for one year.
const hstsValue = "max-age=31536000"

// apiPathPrefix marks the paths whose responses must not be cached by default.
const apiPathPrefix = "/api/"

// SecurityHeaders returns middleware that adds the security headers to every response, and
// "Cache-Control: no-store" to responses for paths under /api/. All headers are set before the
// handler runs, so they are on error responses too, and a handler overrides any of them with
// Header().Set, as a CA certificate route that may be cached does with Cache-Control.
func SecurityHeaders(opts SecurityOptions) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for _, sh := range securityHeaders {
				h.Set(sh.name, sh.value)
			}
			if strings.HasPrefix(c.Request().URL.Path, apiPathPrefix) {
				h.Set(echo.HeaderCacheControl, "no-store")
			}
			if opts.HSTS && c.Request().TLS != nil {
				h.Set(echo.HeaderStrictTransportSecurity, hstsValue)
			}
			return next(c)
		}
	}
}
