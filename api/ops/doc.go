// Package ops holds the operational middleware of certledger's echo server: request ids,
// security headers, per-principal rate limits and Prometheus metrics. It knows nothing of
// certificates; cmd/ledgerd installs it on the server that api.NewServer builds.
//
// A typical wiring, outermost first:
//
//	e.Use(ops.RequestID())
//	e.Use(ops.SecurityHeaders(ops.SecurityOptions{HSTS: true}))
//	e.Use(metrics.Middleware())
//	e.Use(limiter.Middleware())
//	e.GET("/metrics", echo.WrapHandler(metrics.Handler()))
//
// Invariants:
//
// Request ids
//   - Every request carries exactly one request id: an inbound X-Request-ID of 1–128 characters
//     from [A-Za-z0-9._:-] is kept, anything else is replaced by a fresh UUID v4. The id is put on
//     the request header (so later handlers and logs read the same value), on the response
//     header, and is returned by RequestIDOf.
//
// Security headers
//   - Every response, errors included, carries X-Content-Type-Options, X-Frame-Options,
//     Referrer-Policy, Content-Security-Policy and Cross-Origin-Resource-Policy.
//   - A response to a path under /api/ carries "Cache-Control: no-store" unless its handler set
//     its own Cache-Control. Paths outside /api/ (OCSP, CRLs, health) get no Cache-Control
//     from this package.
//   - Strict-Transport-Security is sent only when enabled and only on a request that arrived
//     over TLS on this process (Request.TLS != nil); a plain-HTTP response never carries it.
//
// Rate limits
//   - Each (principal, class) pair has its own token bucket; principals and classes never share
//     tokens. A class that the key function returns but that is not configured, and the empty
//     class, are not limited.
//   - A refused request consumes no token, and gets a 429 problem+json with a Retry-After of
//     whole seconds (at least 1) after which a token will be available.
//   - Memory is bounded: a principal unused for IdleTTL is forgotten, and at most MaxPrincipals
//     are remembered (the least recently seen is forgotten first). IdleTTL must be at least the
//     time every bucket needs to refill completely, so forgetting an idle principal never grants
//     it more tokens than it would have had; only the MaxPrincipals cap can do that.
//   - No goroutine is started: idle principals are dropped while requests are served.
//
// Metrics
//   - Metrics live in the Metrics' own registry, never in Prometheus' global default registry.
//   - Label values are bounded: route is the echo route template (c.Path()) or "unmatched", never
//     the raw URL; method is a standard HTTP method or "other"; status is the status code sent.
//   - The status recorded for a request is the one the client received: an error returned by a
//     handler is passed to the server's error handler before the status is read.
//   - A failing projection-lag callback never fails the whole scrape: that scrape has no lag
//     samples and the error is logged.
package ops
